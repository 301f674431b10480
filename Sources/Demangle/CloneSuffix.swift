/// GCC/LLVM clone suffixes (`.cold`, `.isra.0`, `.constprop.0`, `.part.1`).
enum CloneSuffix {
    /// Demangles the part of `name` before its first `.` and appends each
    /// clone the way c++filt does: `foo(int) [clone .isra.0] [clone .cold]`.
    /// Nil when there is no well-formed clone suffix or the base fails.
    static func demangle(_ name: String, with demangler: (String) -> String?) -> String? {
        guard let dot = name.firstIndex(of: "."), dot != name.startIndex,
              let clones = clones(in: name[dot...]),
              let readable = demangler(String(name[..<dot])) else { return nil }
        return ([readable] + clones.map { "[clone \($0)]" }).joined(separator: " ")
    }

    /// Splits `.isra.0.cold` into `.isra.0` and `.cold`: each clone is one
    /// `.word` followed by any purely numeric `.N` groups.
    static func clones(in suffix: Substring) -> [Substring]? {
        var clones: [Substring] = []
        var rest = suffix
        while let first = group(at: rest) {
            var end = first.endIndex
            while let number = group(at: rest[end...]), number.dropFirst().allSatisfy(\.isNumber) {
                end = number.endIndex
            }
            clones.append(rest[..<end])
            rest = rest[end...]
        }
        return rest.isEmpty && !clones.isEmpty ? clones : nil
    }

    /// `.` and a run of ASCII letters, digits or `_` at the start of `text`.
    private static func group(at text: Substring) -> Substring? {
        guard text.first == "." else { return nil }
        let body = text.dropFirst().prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        return body.isEmpty ? nil : text[..<body.endIndex]
    }
}
