import TestSupport

/// Starts a fixture program and waits until it says it is parked.
func startFixture(_ name: String, _ arguments: [String] = []) throws -> ChildProcess {
    let child = try ChildProcess(path: BuiltProducts.path(name), arguments: arguments)
    try child.waitForLine(startingWith: "ready")
    return child
}

extension GDBThread {
    /// True when every name in `wanted` appears among the frames, innermost
    /// first, in that order (other frames may come between).
    func callsInOrder(_ wanted: [String]) -> Bool {
        var remaining = wanted[...]
        for case let name? in functionNames where name == remaining.first { remaining.removeFirst() }
        return remaining.isEmpty
    }
}

/// The frames' names, for failure messages.
func describe(_ thread: GDBThread?) -> String {
    guard let thread else { return "no such thread" }
    return "\(thread.name ?? "?") (\(thread.tid)): " + thread.functionNames.map { $0 ?? "??" }.joined(separator: " < ")
}
