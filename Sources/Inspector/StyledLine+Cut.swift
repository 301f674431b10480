extension StyledLine {
    /// The line cut to `width` columns; when anything went, its last column
    /// is the cut mark, in the style of the text it replaced.
    func cut(to width: Int, unicode: Bool) -> StyledLine {
        guard count > width else { return self }
        var result = StyledLine()
        result.fill = fill
        var room = max(0, width - 1)
        for span in spans where room > 0 {
            let kept = String(span.text.prefix(room))
            result.append(kept, span.style)
            room -= kept.count
        }
        guard width > 0 else { return result }
        let style = result.spans.last?.style ?? spans.first?.style ?? .plain
        result.append(String(TerminalText.cutMark(unicode: unicode)), style)
        return result
    }
}
