/// What every pane needs to draw besides its own state.
struct DrawContext: Sendable {
    let theme: Theme
    let unicode: Bool

    init(capabilities: Capabilities) {
        theme = Theme(colors: capabilities.colors)
        unicode = capabilities.unicode
    }
}
