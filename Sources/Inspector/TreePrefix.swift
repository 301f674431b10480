/// Tree branches for rows already in depth-first order, as htop draws them.
/// One backward pass: a level stays open while a later sibling is still to come.
enum TreePrefix {
    static func compute(depths: [Int], unicode: Bool) -> [String] {
        let (branch, last, through, blank) = unicode ? ("├─ ", "└─ ", "│  ", "   ") : ("|- ", "`- ", "|  ", "   ")
        var open: [Bool] = []
        var prefixes = Array(repeating: "", count: depths.count)
        for index in depths.indices.reversed() {
            let depth = max(0, depths[index])
            if open.count <= depth { open += Array(repeating: false, count: depth + 1 - open.count) }
            if depth > 0 {
                var prefix = ""
                for level in 1..<depth { prefix += open[level] ? through : blank }
                prefix += open[depth] ? branch : last
                prefixes[index] = prefix
            }
            open[depth] = true
            for level in (depth + 1)..<open.count { open[level] = false }
        }
        return prefixes
    }
}
