/// The argument lists of gdb's `thread apply all bt` with `set print
/// frame-arguments all` and `set print entry-values default`:
///
///     #3  0x00005608812133b0 in clobbered (c=8, b=7, a=6) at args.c:67
///     #2  ... in park (depth=<optimized out>, why=why@entry=0x5608 "bottom") at args.c:24
///
/// Each frame's arguments become name → value pairs, `n=n@entry=3` both
/// `n` and `n@entry`. Strings may hold commas, parentheses and quotes, and
/// gdb folds repeats into `"ab", 'x' <repeats 15 times>` at the top level.
public struct GDBFrameArguments: Equatable, Sendable {
    public var index: Int
    public var function: String
    /// In gdb's order; keys are `name` or `name@entry`.
    public var values: [(key: String, value: String)]

    public static func == (a: Self, b: Self) -> Bool {
        a.index == b.index && a.function == b.function && a.values.map(\.key) == b.values.map(\.key)
            && a.values.map(\.value) == b.values.map(\.value)
    }

    public func value(_ key: String) -> String? { values.first { $0.key == key }?.value }
}

public enum GDBArgumentParser {
    /// tid → its frames' arguments, for every frame line with an argument list.
    public static func parse(_ text: String) -> [Int32: [GDBFrameArguments]] {
        var result: [Int32: [GDBFrameArguments]] = [:]
        var tid: Int32?
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingTrailingWhitespace()
            if let header = GDBOutputParser.threadHeader(line) {
                tid = header.tid
                result[header.tid, default: []] = []
            } else if line.hasPrefix("#"), let tid, let frame = frame(line) {
                result[tid, default: []].append(frame)
            }
        }
        return result
    }

    static func frame(_ line: Substring) -> GDBFrameArguments? {
        var rest = line.dropFirst()
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard let index = Int(digits) else { return nil }
        rest = rest[digits.endIndex...].drop { $0 == " " }
        if rest.hasPrefix("0x"), let inRange = rest.range(of: " in ") { rest = rest[inRange.upperBound...] }
        // The first " (" whose balanced, quote-aware group ends where the
        // source position or library begins.
        var search = rest.startIndex
        while let open = rest[search...].range(of: " (") {
            let start = rest.index(before: open.upperBound)
            if let close = matchingClose(rest, from: start) {
                let after = rest[rest.index(after: close)...]
                if after.isEmpty || after.hasPrefix(" at ") || after.hasPrefix(" from ") {
                    let function = String(rest[..<open.lowerBound])
                    let inside = rest[rest.index(after: start) ..< close]
                    return GDBFrameArguments(index: index, function: function, values: arguments(inside))
                }
            }
            search = open.upperBound
        }
        return nil
    }

    /// The index of the `)` closing the `(` at `start`, skipping quoted text.
    static func matchingClose(_ text: Substring, from start: Substring.Index) -> Substring.Index? {
        var depth = 0
        var quote: Character? = nil
        var escaped = false
        var i = start
        while i < text.endIndex {
            let c = text[i]
            if let q = quote {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "(" || c == "{" || c == "<" {
                depth += 1
            } else if c == ")" || c == "}" || c == ">" {
                depth -= 1
                if depth == 0 { return c == ")" ? i : nil }
            }
            i = text.index(after: i)
        }
        return nil
    }

    /// `a=1, b=b@entry=0x5 "x, y"` → [a: 1, b: 0x5 "x, y", b@entry: 0x5 "x, y"].
    static func arguments(_ text: Substring) -> [(key: String, value: String)] {
        var pieces: [String] = []
        var current = ""
        var depth = 0
        var quote: Character? = nil
        var escaped = false
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i)
            if let q = quote {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "(" || c == "{" || c == "<" {
                depth += 1
            } else if c == ")" || c == "}" || c == ">" {
                depth -= 1
            } else if c == ",", depth == 0, next < text.endIndex, text[next] == " " {
                pieces.append(current)
                current = ""
                i = text.index(after: next)
                continue
            }
            current.append(c)
            i = next
        }
        if !current.isEmpty { pieces.append(current) }
        // A piece without `name=` continues the value before it (a folded repeat).
        var merged: [String] = []
        for piece in pieces {
            if startsWithName(piece) || merged.isEmpty { merged.append(piece) } else { merged[merged.count - 1] += ", " + piece }
        }
        var values: [(key: String, value: String)] = []
        for item in merged {
            guard let eq = item.firstIndex(of: "=") else { continue }
            let name = String(item[..<eq])
            var value = String(item[item.index(after: eq)...])
            let compact = name + "@entry="
            if !name.hasSuffix("@entry"), value.hasPrefix(compact) {
                value = String(value.dropFirst(compact.count))
                values.append((name, value))
                values.append((name + "@entry", value))
            } else {
                values.append((name, value))
            }
        }
        return values
    }

    private static func startsWithName(_ piece: String) -> Bool {
        guard let eq = piece.firstIndex(of: "=") else { return false }
        let name = piece[..<eq]
        let bare = name.hasSuffix("@entry") ? name.dropLast(6) : name
        guard let first = bare.first, first == "_" || first.isLetter else { return false }
        return bare.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
    }
}
