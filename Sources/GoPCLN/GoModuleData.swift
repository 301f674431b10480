import ELF

/// Finds where a Go binary's funcdata lies, for its inline trees. From 1.18
/// funcdata are offsets from `runtime.moduledata.gofunc`, a field of data
/// that no section names and `-s` leaves no symbol for; moduledata itself
/// starts with the pclntab's address and funcnametab's, so a scan of the
/// Go data sections for that pair finds it (as Delve and GoReSym do).
enum GoModuleData {
    static let dataSections = [".noptrdata", ".data"]

    static func functionData(in elf: ELFFile, tableAddress: UInt64, header: GoPCLNHeader) -> GoFunctionData? {
        guard let baseOffset = header.version.moduleDataFunctionDataOffset else {
            // 1.16 stores absolute funcdata pointers, into .rodata.
            return section(named: ".rodata", in: elf).map { GoFunctionData(base: 0, section: $0.bytes, at: $0.address) }
        }
        let names = tableAddress &+ UInt64(header.functionNamesOffset)
        for name in dataSections {
            guard let data = section(named: name, in: elf) else { continue }
            var cursor = PCLNCursor(data.bytes)
            var offset = 0
            while offset + baseOffset + 8 <= data.bytes.count {
                defer { offset += 8 }
                guard (try? cursor.seek(to: offset)) != nil, (try? cursor.u64()) == tableAddress,
                      (try? cursor.u64()) == names else { continue }
                guard (try? cursor.seek(to: offset + GoPCLNVersion.moduleDataTextOffset)) != nil,
                      let text = try? cursor.u64(), header.textStart == 0 || text == header.textStart,
                      (try? cursor.seek(to: offset + baseOffset)) != nil, let base = try? cursor.u64(),
                      let holder = section(containing: base, in: elf) else { continue }
                return GoFunctionData(base: base, section: holder.bytes, at: holder.address)
            }
        }
        return nil
    }

    private static func section(named name: String, in elf: ELFFile) -> (bytes: UnsafeRawBufferPointer, address: UInt64)? {
        guard let section = elf.section(named: name), section.type != .nobits,
              let bytes = try? elf.data(of: section) else { return nil }
        return (bytes, section.addr.rawValue)
    }

    private static func section(containing address: UInt64, in elf: ELFFile) -> (bytes: UnsafeRawBufferPointer, address: UInt64)? {
        guard let section = elf.sections.first(where: {
            $0.type != .nobits && $0.flags.contains(.alloc) && address >= $0.addr.rawValue && address - $0.addr.rawValue < $0.size
        }), let bytes = try? elf.data(of: section) else { return nil }
        return (bytes, section.addr.rawValue)
    }
}
