/// Left- or right-aligned columns for plain-text output; the last column is never padded.
struct TextTable {
    enum Alignment { case left, right }
    let columns: [(title: String, alignment: Alignment)]
    private var rows: [[String]] = []

    init(_ columns: [(String, Alignment)]) {
        self.columns = columns.map { (title: $0.0, alignment: $0.1) }
    }

    mutating func append(_ row: [String]) { rows.append(row) }

    func render() -> String {
        let all = [columns.map(\.title)] + rows
        var widths = [Int](repeating: 0, count: columns.count)
        for row in all {
            for (i, cell) in row.enumerated() where i < widths.count - 1 { widths[i] = max(widths[i], cell.count) }
        }
        return all.map { row in
            row.enumerated().map { i, cell in
                guard i < columns.count - 1 else { return cell }
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return columns[i].alignment == .left ? cell + pad : pad + cell
            }.joined(separator: " ")
        }.joined(separator: "\n")
    }
}
