/// The top line: which process, whether it is live, how often and how long
/// snapshots stop it, and the latest message. When space runs out the details
/// go first, then the command shrinks, so the state and the message stay
/// readable at 80 columns.
enum StatusLine {
    static func drawMain(_ status: InspectorStatus, message: StatusMessage?, into grid: inout CellGrid,
                         context: DrawContext) {
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
        draw(lead: "PID \(status.pid) ", shrinkable: status.command, details: details, message: message,
             into: &grid, theme: theme)
    }

    static func drawPicker(total: Int, shown: Int, sortedBy: String, tree: Bool, filter: FilterField,
                           message: StatusMessage?, into grid: inout CellGrid, theme: Theme) {
        var counts = StyledLine("  \(shown == total ? "\(total)" : "\(shown)/\(total)") processes, by \(sortedBy)")
        if tree { counts.append(", tree") }
        var details = [counts]
        if filter.isActive { details.append(StyledLine("  /\(filter.text)", style: theme.keyName)) }
        draw(lead: "lwpscope ", shrinkable: "attach to a process", details: details, message: message,
             into: &grid, theme: theme)
    }

    /// `details` in order of importance: with a message to show, the last
    /// ones give way (the first always stays).
    private static func draw(lead: String, shrinkable: String, details: [StyledLine], message: StatusMessage?,
                             into grid: inout CellGrid, theme: Theme) {
        let messageText = message.map { "  " + $0.text } ?? ""
        let minimumShrinkable = min(8, shrinkable.count)
        var kept = details
        func room() -> Int { grid.width - lead.count - kept.reduce(0) { $0 + $1.count } - messageText.count }
        while kept.count > 1, room() < minimumShrinkable { kept.removeLast() }
        var line = StyledLine(lead, style: theme.title)
        line.append(TerminalText.truncate(shrinkable, to: max(minimumShrinkable, room())))
        for detail in kept { line.spans += detail.spans }
        if let message { line.append(messageText, theme.message(message.severity)) }
        line.draw(into: &grid, x: 0, y: 0, width: grid.width)
    }
}
