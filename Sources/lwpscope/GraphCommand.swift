import ArgumentParser
import Waits

struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print who waits on whom, following pipes, sockets, mutexes and children across processes.",
        discussion: """
            From the given processes, follows each blocked thread's wait to the other end (the \\
            process holding the pipe's other end, the unix or loopback TCP peer, the mutex's \\
            owner, the child waited for) and on from there, up to --depth hops. Prints one chain \\
            per line, cycles (threads waiting on each other: a deadlock) first. Each process \\
            reached is stopped once, briefly, for its functions and hold flags, then let go; \\
            with --no-stop nothing is attached or stopped: waits come from /proc, sock_diag and \\
            memory alone, safe on a production system.
            """)

    @Argument(help: "The processes to start from (a thread id stands for its process).")
    var pids: [Int32]

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Option(name: .long, help: "How many hops to follow from the given processes.")
    var depth = 4

    @Flag(name: .long, help: "Attach to nothing and stop nothing: no functions, no hold flags.")
    var noStop = false

    func validate() throws {
        guard !pids.isEmpty else { throw ValidationError("give at least one process id") }
        guard (0...64).contains(depth) else { throw ValidationError("--depth must be 0...64") }
    }

    func run() async throws {
        let graph: GatheredGraph
        switch await GraphGathering.gather(from: pids, depth: depth, stopping: !noStop) {
        case .success(let gathered): graph = gathered
        case .failure(let error): throw fail(error)
        }
        if json {
            try printJSON(GraphJSON(graph))
        } else {
            print(GraphText.lines(graph).joined(separator: "\n"))
        }
    }
}
