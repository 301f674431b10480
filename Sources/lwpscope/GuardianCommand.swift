import ArgumentParser
import Guardian
#if canImport(Glibc)
import Glibc
#endif

/// `lwpscope _guardian`: the guardian process itself (see `GuardianLink`),
/// which lwpscope starts with its first code patch; not for people. It reads
/// records on stdin and does nothing else first, so that it is ready fast.
struct GuardianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_guardian",
        abstract: "Restore patched code when lwpscope dies (started by lwpscope itself).",
        shouldDisplay: false)

    @Flag(name: .customLong("parent-thread"), help: "Restore as soon as the thread that started it exits.")
    var watchParentThread = false

    func run() throws {
        Glibc.exit(GuardianService.run(input: STDIN_FILENO, watchParentThread: watchParentThread))
    }
}
