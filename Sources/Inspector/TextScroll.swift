/// Where a read-only text view (help, the event log) is scrolled: its first
/// shown line, or pinned to the end so new lines stay in view, as `tail -f`.
struct TextScroll: Sendable {
    private(set) var top = 0
    private(set) var pinnedToEnd = false

    init(pinnedToEnd: Bool = false) { self.pinnedToEnd = pinnedToEnd }

    /// Opened at line `top` (kept within the text when drawn).
    init(top: Int) { self.top = max(0, top) }

    /// The first line shown when `visible` of `total` lines fit.
    func firstLine(total: Int, visible: Int) -> Int {
        let last = max(0, total - max(1, visible))
        return pinnedToEnd ? last : min(top, last)
    }

    /// ↑ ↓ j k PgUp PgDn Home End and the wheel; false for any other key.
    mutating func handle(_ key: KeyEvent, total: Int, visible: Int) -> Bool {
        let page = max(1, visible - 1), current = firstLine(total: total, visible: visible)
        let last = max(0, total - max(1, visible))
        let next: Int
        switch key {
        case .up, .character("k"): next = current - 1
        case .down, .character("j"): next = current + 1
        case .pageUp: next = current - page
        case .pageDown: next = current + page
        case .home: next = 0
        case .end: next = last
        case .mouse(_, _, .wheelUp): next = current - 3
        case .mouse(_, _, .wheelDown): next = current + 3
        default: return false
        }
        top = max(0, min(next, last))
        pinnedToEnd = top == last
        return true
    }
}
