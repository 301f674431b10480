import TestSupport

/// Starts a fixture program and waits until it says it is parked.
func startFixture(_ name: String, _ arguments: [String] = []) throws -> ChildProcess {
    let child = try ChildProcess(path: BuiltProducts.path(name), arguments: arguments)
    try child.waitForLine(startingWith: "ready")
    return child
}
