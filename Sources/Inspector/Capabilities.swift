/// What the terminal can draw, decided once by the driver (locale, TERM, NO_COLOR).
public struct Capabilities: Hashable, Sendable {
    /// Box drawing characters (─│┌┐) instead of ASCII (-|+).
    public var unicode: Bool
    /// Color pairs; false under NO_COLOR or on a monochrome terminal.
    public var colors: Bool

    public init(unicode: Bool = true, colors: Bool = true) {
        self.unicode = unicode
        self.colors = colors
    }
}
