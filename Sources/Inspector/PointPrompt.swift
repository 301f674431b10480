/// The text typed after `b`: where to set a hold point, as `hold --at`
/// takes it (FUNCTION, MODULE:FUNCTION, FILE:LINE, *0xADDRESS), optionally
/// followed by `thread GLOB`. Tab completes a function name from the
/// process's symbols, which the controller gives once the prompt opens.
struct PointPrompt: Sendable {
    /// What Enter gives: the location and the thread glob, if any.
    struct Request: Hashable, Sendable {
        var location: String
        var threadPattern: String?
    }

    enum Outcome: Hashable, Sendable {
        case typing
        /// Tab: the matches, at most `listed` of them, and how many there are.
        case completed(shown: [String], total: Int)
        case done(Request)
        case cancelled
    }

    static let listed = 6

    private(set) var text = ""
    private(set) var typing = false
    /// Function names, sorted and unique; empty until the controller has them.
    private(set) var names: [String] = []

    mutating func start() {
        text = ""
        typing = true
    }

    mutating func setNames(_ sorted: [String]) { names = sorted }

    /// nil: not the prompt's key (it is not open).
    mutating func handle(_ key: KeyEvent) -> Outcome? {
        guard typing else { return nil }
        switch key {
        case .character(let character) where !character.isNewline:
            text.append(TerminalText.singleColumn(character))
        case .backspace:
            if !text.isEmpty { text.removeLast() }
        case .tab:
            return complete()
        case .enter:
            typing = false
            guard let request = Self.request(text) else { return .cancelled }
            return .done(request)
        case .escape:
            typing = false
            return .cancelled
        default:
            break
        }
        return .typing
    }

    /// `LOCATION [thread GLOB]`; nil for nothing typed.
    static func request(_ text: String) -> Request? {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let location = words.first else { return nil }
        if words.count >= 3, words[words.count - 2] == "thread" {
            return Request(location: words[..<(words.count - 2)].joined(separator: " "), threadPattern: words.last)
        }
        return Request(location: words.joined(separator: " "), threadPattern: nil)
    }

    /// Extends the text to the longest prefix every matching name shares.
    private mutating func complete() -> Outcome {
        let prefix = text
        let matches = Self.matches(of: prefix, in: names)
        guard let first = matches.first, let last = matches.last else { return .completed(shown: [], total: 0) }
        // Sorted: the first and last match share what all of them share.
        let common = String(zip(first, last).prefix { $0 == $1 }.map(\.0))
        if common.count > text.count { text = common }
        return .completed(shown: Array(matches.prefix(Self.listed)), total: matches.count)
    }

    /// The names that start with `prefix`, from the sorted list, by binary search.
    static func matches(of prefix: String, in sorted: [String]) -> ArraySlice<String> {
        guard !prefix.isEmpty else { return sorted[...] }
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < prefix { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < sorted.count, sorted[end].hasPrefix(prefix) { end += 1 }
        return sorted[low..<end]
    }
}
