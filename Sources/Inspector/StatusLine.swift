/// The top line: which process, whether it is live, how often and how long
/// snapshots stop it, and the latest message. The command shrinks first so
/// the state and the message stay readable at 80 columns.
enum StatusLine {
    static func drawMain(_ status: InspectorStatus, message: StatusMessage?, into grid: inout CellGrid,
                         context: DrawContext) {
        let theme = context.theme
        var tail = StyledLine()
        tail.append("  ")
        tail.append(status.paused ? "PAUSED" : "LIVE", status.paused ? theme.paused : theme.info)
        tail.append(" every \(Formatting.seconds(status.interval))")
        if let stall = status.stallMicroseconds {
            tail.append("  stall \(stall)\(context.unicode ? "µs" : "us")")
        }
        if status.holdingNew { tail.append("  holding new", theme.held) }
        draw(lead: "PID \(status.pid) ", shrinkable: status.command, tail: tail, message: message,
             into: &grid, theme: theme)
    }

    static func drawPicker(total: Int, shown: Int, sortedBy: String, tree: Bool, filter: FilterField,
                           message: StatusMessage?, into grid: inout CellGrid, theme: Theme) {
        var tail = StyledLine()
        tail.append("  \(shown == total ? "\(total)" : "\(shown)/\(total)") processes, by \(sortedBy)")
        if tree { tail.append(", tree") }
        if filter.isActive { tail.append("  /\(filter.text)", theme.keyName) }
        draw(lead: "lwpscope ", shrinkable: "attach to a process", tail: tail, message: message,
             into: &grid, theme: theme)
    }

    private static func draw(lead: String, shrinkable: String, tail: StyledLine, message: StatusMessage?,
                             into grid: inout CellGrid, theme: Theme) {
        let messageText = message.map { "  " + $0.text } ?? ""
        let room = grid.width - lead.count - tail.count - messageText.count
        var line = StyledLine(lead, style: theme.title)
        line.append(TerminalText.truncate(shrinkable, to: max(min(8, shrinkable.count), room)))
        line.spans += tail.spans
        if let message { line.append(messageText, theme.message(message.severity)) }
        line.draw(into: &grid, x: 0, y: 0, width: grid.width)
    }
}
