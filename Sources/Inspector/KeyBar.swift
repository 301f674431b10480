/// The bottom line of keys, htop's `F1Help` style: the key, then its label
/// in a bar. When the width runs out the least needed items go; a click on an
/// item acts as its key.
struct KeyBarItem: Sendable {
    var key: String
    var label: String
    var event: KeyEvent
    /// 0 always stays; higher numbers are dropped first.
    var dropOrder = 0

    var width: Int { key.count + label.count }
}

enum KeyBar {
    /// The items that fit, with their starting columns.
    static func place(_ items: [KeyBarItem], width: Int) -> [(item: KeyBarItem, x: Int)] {
        var kept = items
        func needed() -> Int { kept.reduce(0) { $0 + $1.width } + max(0, kept.count - 1) }
        while needed() > width, let victim = kept.indices.filter({ kept[$0].dropOrder > 0 })
            .max(by: { kept[$0].dropOrder < kept[$1].dropOrder }) {
            kept.remove(at: victim)
        }
        var x = 0
        return kept.map { item in
            defer { x += item.width + 1 }
            return (item, x)
        }
    }

    static func draw(_ items: [KeyBarItem], into grid: inout CellGrid, y: Int, theme: Theme) {
        var line = StyledLine()
        for (offset, placed) in place(items, width: grid.width).enumerated() {
            if offset > 0 { line.append(" ") }
            line.append(placed.item.key, theme.keyName)
            line.append(placed.item.label, theme.keyLabel)
        }
        line.draw(into: &grid, x: 0, y: y, width: grid.width)
    }

    static func item(atX x: Int, _ items: [KeyBarItem], width: Int) -> KeyBarItem? {
        place(items, width: width).first { x >= $0.x && x < $0.x + $0.item.width }?.item
    }

    /// While a filter is being typed the bar becomes its prompt, as in htop.
    static func drawFilterPrompt(_ filter: FilterField, label: String, into grid: inout CellGrid, y: Int, theme: Theme) {
        drawPrompt(label: label, text: filter.text, keys: [("Enter", "Done"), ("Esc", "Clear")], into: &grid, y: y,
                   theme: theme)
    }

    /// A line being typed, with the keys that end it: `Label: text_  Enter Done`.
    static func drawPrompt(label: String, text: String, keys: [(key: String, label: String)], into grid: inout CellGrid,
                           y: Int, theme: Theme) {
        var line = StyledLine()
        line.append(label, theme.keyName)
        line.append(text + "_ ")
        for (key, label) in keys {
            line.append(" " + key, theme.keyName)
            line.append(label, theme.keyLabel)
        }
        line.draw(into: &grid, x: 0, y: y, width: grid.width)
    }
}
