import ELF

/// The debug sections of one ELF file, inflated when compressed; a missing
/// section is an empty buffer. The bytes belong to `file`, which this value
/// keeps alive, and never change, so sharing between threads is safe.
struct DWARFSections: @unchecked Sendable {
    let file: ELFFile
    let info: UnsafeRawBufferPointer
    let abbrev: UnsafeRawBufferPointer
    let line: UnsafeRawBufferPointer
    let str: UnsafeRawBufferPointer
    let lineStr: UnsafeRawBufferPointer
    let strOffsets: UnsafeRawBufferPointer
    let addr: UnsafeRawBufferPointer
    let ranges: UnsafeRawBufferPointer
    let rnglists: UnsafeRawBufferPointer
    let aranges: UnsafeRawBufferPointer
    /// Location lists: DWARF 2-4 and DWARF 5.
    let loc: UnsafeRawBufferPointer
    let loclists: UnsafeRawBufferPointer

    init(file: ELFFile) {
        self.file = file
        func bytes(_ name: String) -> UnsafeRawBufferPointer {
            // A section that cannot be read (bad bounds, bad compression) counts as absent.
            guard let section = file.section(named: name), let data = try? file.data(of: section) else {
                return UnsafeRawBufferPointer(start: nil, count: 0)
            }
            return data
        }
        info = bytes(".debug_info")
        abbrev = bytes(".debug_abbrev")
        line = bytes(".debug_line")
        str = bytes(".debug_str")
        lineStr = bytes(".debug_line_str")
        strOffsets = bytes(".debug_str_offsets")
        addr = bytes(".debug_addr")
        ranges = bytes(".debug_ranges")
        rnglists = bytes(".debug_rnglists")
        aranges = bytes(".debug_aranges")
        loc = bytes(".debug_loc")
        loclists = bytes(".debug_loclists")
    }

    /// The NUL-terminated string at `offset` in `section`, nil when out of bounds.
    static func string(in section: UnsafeRawBufferPointer, at offset: UInt64) -> String? {
        guard let start = Int(exactly: offset), start < section.count else { return nil }
        var reader = ByteReader(section, offset: start)
        return try? reader.cString()
    }
}
