/// One ELF note (Elf64_Nhdr + name + descriptor). `descriptor` points into
/// the file and is valid while the `ELFFile` is alive.
public struct ELFNote {
    public let name: String
    public let type: UInt32
    public let descriptor: UnsafeRawBufferPointer
}

extension ELFFile {
    public static let noteTypeGNUBuildID: UInt32 = 3

    /// Every note in the file's SHT_NOTE sections; if there are none (no
    /// section table, as in core files or sstripped binaries), the PT_NOTE
    /// segments. Sections come first because in a separate debug file the
    /// program headers describe the original file's layout, not this one's.
    /// Malformed notes end the walk of their section or segment.
    public var notes: [ELFNote] {
        var result: [ELFNote] = []
        var sawNoteSection = false
        for section in sections where section.type == .note {
            sawNoteSection = true
            guard let data = try? data(of: section) else { continue }
            ELFFile.parseNotes(data, alignment: section.addralign, into: &result)
        }
        if !sawNoteSection {
            for segment in programHeaders where segment.type == .note {
                guard let range = try? checkRange(offset: segment.offset, size: segment.filesz, within: bytes.count, "note segment", at: 0)
                else { continue }
                ELFFile.parseNotes(UnsafeRawBufferPointer(rebasing: bytes[range]), alignment: segment.align, into: &result)
            }
        }
        return result
    }

    /// The GNU build-id (NT_GNU_BUILD_ID descriptor), usually 20 bytes.
    /// Looked up once, then cached: debug-file lookup and module identity ask often.
    public var buildID: [UInt8]? {
        buildIDCache.withLock { cached in
            if let cached { return cached }
            let found = notes.first { $0.type == ELFFile.noteTypeGNUBuildID && $0.name == "GNU" && $0.descriptor.count > 0 }
                .map { Array($0.descriptor) }
            cached = .some(found)
            return found
        }
    }

    /// The build-id as lowercase hex, as `readelf -n` and .build-id paths spell it.
    public var buildIDHex: String? { buildID.map(hexString) }

    /// Notes are 4-byte aligned, except sections/segments declaring 8 (as
    /// .note.gnu.property does), where descriptors and next notes start 8-aligned.
    static func parseNotes(_ data: UnsafeRawBufferPointer, alignment: UInt64, into result: inout [ELFNote]) {
        let align = alignment == 8 ? 8 : 4
        func aligned(_ n: Int) -> Int { (n + align - 1) & ~(align - 1) }
        var at = 0
        while data.count - at >= 12 {
            let nameSize = Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
            let descSize = Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self)))
            let type = UInt32(littleEndian: data.loadUnaligned(fromByteOffset: at + 8, as: UInt32.self))
            let nameAt = at + 12
            // Padding aligns the offsets (from the start of the note area), not the sizes.
            let descAt = aligned(nameAt + nameSize)
            guard descAt <= data.count, descSize <= data.count - descAt else { return }
            let nameBytes = UnsafeRawBufferPointer(rebasing: data[nameAt ..< nameAt + nameSize])
            result.append(ELFNote(name: StringTable.string(in: nameBytes, at: 0), type: type,
                                  descriptor: UnsafeRawBufferPointer(rebasing: data[descAt ..< descAt + descSize])))
            at = aligned(descAt + descSize)
        }
    }
}

func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0xf)])
    }
    return String(decoding: out, as: UTF8.self)
}
