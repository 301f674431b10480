/// Semantic styles. With colors a role carries the meaning; without, the same
/// meaning must survive as attributes alone, so held rows turn bold and
/// warnings underlined instead of yellow.
struct Theme: Sendable {
    let colors: Bool

    var normal: CellStyle { .plain }
    var border: CellStyle { colors ? CellStyle(role: .border) : .plain }
    var title: CellStyle { CellStyle(role: colors ? .title : .normal, bold: true) }
    var focusTitle: CellStyle { CellStyle(role: colors ? .focusTitle : .normal, bold: true, reverse: true) }
    /// Without colors the header is bold and underlined, not reversed:
    /// reverse is the selection's, and the two must not look alike.
    var header: CellStyle {
        colors ? CellStyle(role: .header, reverse: true) : CellStyle(role: .normal, bold: true, underline: true)
    }
    var selected: CellStyle { CellStyle(role: colors ? .selected : .normal, reverse: true) }
    var selectedUnfocused: CellStyle { CellStyle(role: colors ? .selectedUnfocused : .normal, underline: true) }
    var held: CellStyle { CellStyle(role: colors ? .held : .normal, bold: true) }
    var muted: CellStyle { CellStyle(role: colors ? .muted : .normal, dim: true) }
    var info: CellStyle { colors ? CellStyle(role: .info) : .plain }
    var warning: CellStyle { CellStyle(role: colors ? .warning : .normal, bold: true) }
    var error: CellStyle { CellStyle(role: colors ? .error : .normal, bold: true, reverse: !colors) }
    var keyName: CellStyle { CellStyle(role: colors ? .keyName : .normal, bold: true) }
    var keyLabel: CellStyle { CellStyle(role: colors ? .keyLabel : .normal, reverse: true) }
    var paused: CellStyle { CellStyle(role: colors ? .paused : .normal, bold: true, reverse: !colors) }

    func message(_ severity: StatusMessage.Severity) -> CellStyle {
        switch severity {
        case .info: info
        case .warning: warning
        case .error: error
        }
    }

    /// The row style with the selection laid over it: reverse wins in the
    /// focused pane, an underline marks where the cursor waits in the others.
    func selecting(_ style: CellStyle, focused: Bool) -> CellStyle {
        var result = focused ? selected : selectedUnfocused
        result.bold = result.bold || style.bold
        // A dimmed row (one that cannot be attached) stays dim under the cursor.
        result.dim = style.dim
        return result
    }
}
