/// A table's columns fitted to a width: every column gets its minimum, the
/// fixed ones then grow towards what their content wants, and the flexible
/// one takes what is left. When even the minimums do not fit, the least
/// important columns go first, so a narrow pane still shows TID and NAME.
/// Values wider than their column are cut by `TerminalText`, which marks the cut.
struct TableColumn: Sendable {
    enum Alignment: Sendable { case left, right }

    var title: String
    /// The minimum width (never below the title's).
    var width: Int
    var alignment: Alignment = .left
    /// Takes the spare width; `width` is then its minimum.
    var flexible = false
    /// 0 never goes; higher numbers are dropped first.
    var dropOrder = 0
    /// What the content needs; the column grows to it before the flexible
    /// column gets anything, so a flag name is not cut while FUNCTION has room.
    var wanted: Int?

    /// As wide as its widest value (or title), within `limit`: a column of
    /// short names gives its space to the flexible column.
    func fitted(to values: some Sequence<String>, limit: Int) -> TableColumn {
        var column = self
        column.width = max(width, min(limit, Self.widest(values, title: title)))
        return column
    }

    /// Keeps its minimum but asks for its widest value, within `limit`,
    /// when the width allows.
    func wanting(_ values: some Sequence<String>, limit: Int) -> TableColumn {
        var column = self
        column.wanted = min(limit, Self.widest(values, title: title))
        return column
    }

    var minimumWidth: Int { max(width, title.count) }

    private static func widest(_ values: some Sequence<String>, title: String) -> Int {
        values.reduce(title.count) { max($0, $1.count) }
    }
}

struct TableColumns: Sendable {
    struct Fitted: Sendable {
        /// Index into the columns the table was built from.
        var source: Int
        var column: TableColumn
        var width: Int
        /// Where the column starts within the line.
        var x = 0
    }

    private(set) var fitted: [Fitted] = []

    /// Whether a cut may show as `…` (else ASCII's mark).
    let unicode: Bool

    init(_ columns: [TableColumn], width: Int, unicode: Bool = true) {
        self.unicode = unicode
        var kept = Array(columns.indices)
        func needed(_ indices: [Int]) -> Int {
            indices.reduce(0) { $0 + columns[$1].minimumWidth } + max(0, indices.count - 1)
        }
        while needed(kept) > width,
              let victim = kept.filter({ columns[$0].dropOrder > 0 }).max(by: { columns[$0].dropOrder < columns[$1].dropOrder }) {
            kept.removeAll { $0 == victim }
        }
        var widths = Dictionary(uniqueKeysWithValues: kept.map { ($0, columns[$0].minimumWidth) })
        var spare = max(0, width - needed(kept))
        // Fixed columns grow a column at a time in turn, so one long value
        // does not take all the room from the others.
        var growing = kept.filter { !columns[$0].flexible && (columns[$0].wanted ?? 0) > widths[$0]! }
        while spare > 0, !growing.isEmpty {
            for index in growing where spare > 0 {
                widths[index]! += 1
                spare -= 1
            }
            growing.removeAll { widths[$0]! >= columns[$0].wanted! }
        }
        let flexible = kept.first { columns[$0].flexible }
        if let flexible { widths[flexible]! += spare }
        var x = 0
        fitted = kept.map { index in
            defer { x += widths[index]! + 1 }
            return Fitted(source: index, column: columns[index], width: widths[index]!, x: x)
        }
    }

    /// One row: `values` are indexed like the columns the table was built from.
    func line(_ values: [String]) -> String {
        fitted.map { column in
            let value = column.source < values.count ? values[column.source] : ""
            return Self.cell(value, column, unicode: unicode)
        }.joined(separator: " ")
    }

    /// The fitted column built from `source`, if it was kept.
    func column(from source: Int) -> Fitted? { fitted.first { $0.source == source } }

    var header: String { line(fitted.isEmpty ? [] : headerValues) }

    static func cell(_ value: String, _ column: Fitted, unicode: Bool = true) -> String {
        switch column.column.alignment {
        case .left: TerminalText.padRight(value, to: column.width, unicode: unicode)
        case .right: TerminalText.padLeft(value, to: column.width, unicode: unicode)
        }
    }

    private var headerValues: [String] {
        var values = Array(repeating: "", count: (fitted.map(\.source).max() ?? -1) + 1)
        for column in fitted { values[column.source] = column.column.title }
        return values
    }
}
