/// A table's columns fitted to a width: fixed columns keep their width, the
/// flexible one takes what is left, and when even that does not fit the least
/// important columns go first, so a narrow pane still shows TID and NAME.
struct TableColumn: Sendable {
    enum Alignment: Sendable { case left, right }

    var title: String
    var width: Int
    var alignment: Alignment = .left
    /// Takes the spare width; `width` is then its minimum.
    var flexible = false
    /// 0 never goes; higher numbers are dropped first.
    var dropOrder = 0

    /// As wide as its widest value (or title), within `limit`: a column of
    /// short names gives its space to the flexible column.
    func fitted(to values: some Sequence<String>, limit: Int) -> TableColumn {
        var column = self
        let widest = values.reduce(title.count) { max($0, $1.count) }
        column.width = max(width, min(limit, widest))
        return column
    }
}

struct TableColumns: Sendable {
    struct Fitted: Sendable {
        /// Index into the columns the table was built from.
        var source: Int
        var column: TableColumn
        var width: Int
    }

    private(set) var fitted: [Fitted] = []

    init(_ columns: [TableColumn], width: Int) {
        var kept = Array(columns.indices)
        func needed(_ indices: [Int]) -> Int {
            indices.reduce(0) { $0 + columns[$1].width } + max(0, indices.count - 1)
        }
        while needed(kept) > width,
              let victim = kept.filter({ columns[$0].dropOrder > 0 }).max(by: { columns[$0].dropOrder < columns[$1].dropOrder }) {
            kept.removeAll { $0 == victim }
        }
        let spare = max(0, width - needed(kept))
        let flexible = kept.first { columns[$0].flexible }
        fitted = kept.map { index in
            Fitted(source: index, column: columns[index], width: columns[index].width + (index == flexible ? spare : 0))
        }
    }

    /// One row: `values` are indexed like the columns the table was built from.
    func line(_ values: [String]) -> String {
        fitted.map { column in
            let value = column.source < values.count ? values[column.source] : ""
            switch column.column.alignment {
            case .left: return TerminalText.padRight(value, to: column.width)
            case .right: return TerminalText.padLeft(value, to: column.width)
            }
        }.joined(separator: " ")
    }

    var header: String { line(fitted.isEmpty ? [] : headerValues) }

    private var headerValues: [String] {
        var values = Array(repeating: "", count: (fitted.map(\.source).max() ?? -1) + 1)
        for column in fitted { values[column.source] = column.column.title }
        return values
    }
}
