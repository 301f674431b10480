/// The top line: which process, whether it is live, how often and how long
/// snapshots stop it, and for the picker the count, sort and filter.
/// Messages have their own line at the bottom (`MessageLine`), so nothing
/// here is pushed off by one. When space runs out the details go first, then
/// the command shrinks; whatever is cut ends in the cut mark.
enum StatusLine {
    static func drawMain(_ status: InspectorStatus, into grid: inout CellGrid, context: DrawContext) {
        let theme = context.theme
        var state = StyledLine()
        state.append("  ")
        state.append(status.paused ? "PAUSED" : "LIVE", status.paused ? theme.paused : theme.info)
        state.append(" every \(Formatting.seconds(status.interval))")
        var details = [state]
        if status.holdingNew { details.append(StyledLine("  holding new", style: theme.held)) }
        if let stall = status.stallMicroseconds {
            details.append(StyledLine("  stall \(stall)\(context.unicode ? "µs" : "us")"))
        }
        draw(lead: "PID \(status.pid) ", shrinkable: status.command, details: details, into: &grid, context: context)
    }

    static func drawPicker(total: Int, shown: Int, sortedBy: String, tree: Bool, filter: FilterField,
                           into grid: inout CellGrid, context: DrawContext) {
        var counts = StyledLine("  \(shown == total ? "\(total)" : "\(shown) of \(total)") processes, by \(sortedBy)")
        if tree { counts.append(", tree") }
        var details = [counts]
        if filter.isActive { details.append(StyledLine("  /\(filter.text)", style: context.theme.keyName)) }
        draw(lead: "lwpscope ", shrinkable: "attach to a process", details: details, into: &grid, context: context)
    }

    /// `details` in order of importance: when the line is too narrow the
    /// last ones give way (the first always stays).
    private static func draw(lead: String, shrinkable: String, details: [StyledLine], into grid: inout CellGrid,
                             context: DrawContext) {
        let minimumShrinkable = min(8, shrinkable.count)
        var kept = details
        func room() -> Int { grid.width - lead.count - kept.reduce(0) { $0 + $1.count } }
        while kept.count > 1, room() < minimumShrinkable { kept.removeLast() }
        var line = StyledLine(lead, style: context.theme.title)
        line.append(TerminalText.truncate(shrinkable, to: max(minimumShrinkable, room()), unicode: context.unicode))
        for detail in kept { line.spans += detail.spans }
        line.cut(to: grid.width, unicode: context.unicode).draw(into: &grid, x: 0, y: 0, width: grid.width)
    }
}
