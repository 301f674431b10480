import ELF

/// Machine code of a file, at its file address.
struct CodeBlock {
    var address: FileAddress
    var bytes: UnsafeRawBufferPointer
}

extension ELFFile {
    /// The executable sections with bytes; the executable PT_LOAD segments
    /// when the section headers are gone. Views into the file, valid while it
    /// is alive; unreadable (corrupt) ones are left out.
    var codeBlocks: [CodeBlock] {
        let sections = sections.filter { $0.isExecutable && $0.type != .nobits && $0.size > 0 }
        if !sections.isEmpty {
            return sections.compactMap { section in
                guard let bytes = try? data(of: section) else { return nil }
                return CodeBlock(address: section.addr, bytes: bytes)
            }
        }
        return loadSegments.compactMap { segment in
            guard segment.flags.contains(.execute), segment.offset <= UInt64(bytes.count),
                  segment.filesz <= UInt64(bytes.count) - segment.offset else { return nil }
            let start = Int(segment.offset)
            return CodeBlock(address: segment.vaddr, bytes: UnsafeRawBufferPointer(rebasing: bytes[start ..< start + Int(segment.filesz)]))
        }
    }
}
