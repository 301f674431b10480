/// What a cell means on screen. The driver maps each role to a color pair;
/// without colors every role draws as the terminal's default and only the
/// attributes in `CellStyle` remain, so the theme puts the meaning there too.
public enum ColorRole: Character, Sendable, CaseIterable {
    case normal = "."
    case header = "h"
    case selected = "s"
    /// The selected row of a pane that does not have the focus.
    case selectedUnfocused = "u"
    case focusTitle = "F"
    case title = "t"
    case border = "b"
    case held = "H"
    case warning = "w"
    case error = "e"
    case muted = "m"
    case info = "i"
    case keyName = "k"
    case keyLabel = "l"
    case paused = "p"
}

/// Attributes plus a color role: everything the driver needs to draw a cell.
public struct CellStyle: Hashable, Sendable {
    public var bold: Bool
    public var reverse: Bool
    public var dim: Bool
    public var underline: Bool
    public var role: ColorRole

    public init(role: ColorRole = .normal, bold: Bool = false, reverse: Bool = false, dim: Bool = false, underline: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
    }

    public static let plain = CellStyle()
}
