/// WAITS ON cut to its column, keeping who is at the other end: the peer
/// ("← 4711 virsh") is where `f` goes, so a path before it gives way first
/// ("read unix /run/… ← 4711 virsh").
enum WaitsOnText {
    static func fitted(_ label: String, width: Int, unicode: Bool = true) -> String {
        guard label.count > width, let arrow = label.lastIndex(of: "←") else { return label }
        var head = label[..<arrow]
        while head.last == " " { head = head.dropLast() }
        let tail = " " + label[arrow...]
        let room = width - tail.count
        // Too narrow for the whole peer: cut at the end as any column.
        guard room >= 1, !head.isEmpty else { return label }
        return TerminalText.truncate(String(head), to: room, unicode: unicode) + tail
    }
}
