/// The four panes of the main screen, numbered as the keys `1`-`4` pick them.
public enum PaneID: Int, CaseIterable, Hashable, Sendable {
    case tree = 1
    case threads = 2
    case backtrace = 3
    case flags = 4

    /// Tab order follows the numbers and wraps.
    func next(by step: Int) -> PaneID {
        let count = PaneID.allCases.count
        return PaneID(rawValue: ((rawValue - 1 + step) % count + count) % count + 1)!
    }
}
