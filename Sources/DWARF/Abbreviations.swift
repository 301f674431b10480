import ELF

/// One attribute of an abbreviation: its name and how its value is encoded.
struct AttributeSpec: Sendable {
    let name: UInt64
    let form: UInt64
    /// The value itself, for DW_FORM_implicit_const.
    let implicitConst: Int64
}

/// The shape every DIE with this code shares.
struct Abbreviation: Sendable {
    let tag: UInt64
    let hasChildren: Bool
    let attributes: ArraySlice<AttributeSpec>
}

/// One unit's abbreviation table from .debug_abbrev.
///
/// Codes are almost always 1, 2, 3...: they index an array; sparse tables
/// (rare, hand-made or corrupt) fall back to a dictionary.
struct AbbreviationTable: Sendable {
    private var dense: [Abbreviation?] = []
    private var sparse: [UInt64: Abbreviation] = [:]

    init(section: UnsafeRawBufferPointer, offset: Int) throws(DWARFError) {
        var r = ByteReader(section)
        var specs: [AttributeSpec] = []
        var parsed: [(code: UInt64, tag: UInt64, hasChildren: Bool, range: Range<Int>)] = []
        do throws(ByteReadError) {
            try r.seek(to: offset)
            while true {
                let code = try r.uleb128()
                if code == 0 { break }
                let tag = try r.uleb128()
                let hasChildren = try r.u8() != 0
                let first = specs.count
                while true {
                    let name = try r.uleb128()
                    let form = try r.uleb128()
                    if name == 0 && form == 0 { break }
                    let implicitConst = form == DWForm.implicitConst ? try r.sleb128() : 0
                    specs.append(AttributeSpec(name: name, form: form, implicitConst: implicitConst))
                }
                parsed.append((code, tag, hasChildren, first ..< specs.count))
            }
        } catch {
            throw .truncated(section: ".debug_abbrev", error)
        }
        let maxCode = parsed.map(\.code).max() ?? 0
        let useDense = maxCode <= UInt64(parsed.count) * 2 + 64
        if useDense { dense = Array(repeating: nil, count: Int(maxCode) + 1) }
        for entry in parsed {
            let abbreviation = Abbreviation(tag: entry.tag, hasChildren: entry.hasChildren, attributes: specs[entry.range])
            if useDense { dense[Int(entry.code)] = abbreviation } else { sparse[entry.code] = abbreviation }
        }
    }

    subscript(code: UInt64) -> Abbreviation? {
        if code < UInt64(dense.count) { return dense[Int(code)] }
        return sparse[code]
    }
}
