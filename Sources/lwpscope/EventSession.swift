import Engine
import HoldPoints
import ProcFS
#if canImport(Glibc)
import Glibc
#endif

/// What an event session holds: births, execs whose program matches, and
/// threads that reach hold points. Fatal signals are always held.
struct SessionRules: Sendable {
    var births = false
    var execs: [String] = []
    var locations: [String] = []
    var threadPattern: String?
}

/// Why a session could not begin: one line for stderr.
struct SessionFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// How an event session gets its first process.
enum SessionStart: Sendable {
    case attach(Int32)
    /// `run`: start the command traced (held at its start if asked).
    case launch([String], holdAtStart: Bool)
    /// `--wait-for`: the first new process whose command matches, held at once.
    case waitFor(String)
}

/// `hold PID --at/--births/--execs`, `hold --wait-for` and `run --events`:
/// stays attached, prints one event per line, and obeys commands on stdin
/// (`release PID|TID`, `release all`, `pass TID`, `list`, `quit`). EOF,
/// `quit`, SIGINT, SIGTERM and SIGHUP all take the points out, let every
/// thread go (a held fatal signal is delivered), detach and exit 0; so does
/// the end of the last traced process.
struct EventSession {
    let start: SessionStart
    let rules: SessionRules
    let json: Bool

    enum Input {
        case engine(EngineEvent)
        case command(String)
        case endOfInput
        /// Once a second: pending points tried again, long holds flagged.
        case tick
    }

    func run() async -> Int32 {
        let engine = TraceEngine()
        await engine.setGuardianLauncher(GuardianLaunch.ourselves)
        // Its points are set again in a new image before the program runs.
        await engine.setHoldExecsWithPoints(true)
        await engine.setHoldFatalSignals(true)
        let shutdown = ShutdownOnSignals {
            await engine.close()
            exit(0)
        }
        defer { shutdown.disarm() }
        let processID: Int32
        switch await begin(engine) {
        case .success(let pid): processID = pid
        case .failure(let failure):
            await engine.close()
            return report(failure.message)
        }
        let placer = HoldPointPlacer(engine: engine)
        for location in rules.locations {
            do {
                for placed in try await placer.place(location, in: processID, threadPattern: rules.threadPattern) {
                    emit(.point(placed))
                }
            } catch {
                await engine.close()
                return report(error.description)
            }
        }
        var state = EventSessionState(processID: processID, engine: engine, placer: placer, session: self)
        for await input in inputs(engine) {
            guard await state.handle(input) else { break }
        }
        await engine.close()
        return 0
    }

    /// Attaches, launches or waits; then the rules apply to that process.
    private func begin(_ engine: TraceEngine) async -> Result<Int32, SessionFailure> {
        let pid: Int32
        switch start {
        case .attach(let requested):
            switch await EngineCall.attach(requested, engine: engine) {
            case .success(let attached): pid = attached
            case .failure(let error): return .failure(SessionFailure(error.description))
            }
        case .launch(let command, let holdAtStart):
            if let problem = CommandLookup.problem(command) { return .failure(SessionFailure(problem)) }
            do {
                pid = try await engine.launch(command, holdAtStart: holdAtStart, input: .null,
                                              births: rules.births, execs: rules.execs)
            } catch {
                return .failure(SessionFailure(error.description))
            }
            return .success(pid)
        case .waitFor(let pattern):
            let caught = await ProcessWaiter(pattern: pattern).catchFirst(engine: engine)
            emit(.attached(pid: caught.pid, command: caught.command, delayMilliseconds: caught.delayMilliseconds))
            pid = caught.pid
        }
        if rules.births || !rules.execs.isEmpty {
            do { try await engine.setRules(pid, births: rules.births, execs: rules.execs) } catch {
                return .failure(SessionFailure(error.description))
            }
        }
        return .success(pid)
    }

    private func inputs(_ engine: TraceEngine) -> AsyncStream<Input> {
        let (stream, feed) = AsyncStream.makeStream(of: Input.self)
        let engineEvents = Task {
            for await event in engine.events { feed.yield(.engine(event)) }
        }
        let commands = Task {
            for await line in StandardInputLines.stream() { feed.yield(.command(line)) }
            feed.yield(.endOfInput)
        }
        let ticks = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                feed.yield(.tick)
            }
        }
        feed.onTermination = { _ in
            engineEvents.cancel()
            commands.cancel()
            ticks.cancel()
        }
        return stream
    }

    func emit(_ event: SessionEvent) {
        printLine(json ? event.json : event.text, to: STDOUT_FILENO)
    }

    func complain(_ message: String) {
        printLine("lwpscope: \(message)", to: STDERR_FILENO)
    }

    private func report(_ message: String) -> Int32 {
        complain(message)
        return 1
    }
}

/// One whole line with one write where it fits, so a reader of a pipe
/// shared with the program's own output never sees half of ours.
func printLine(_ text: String, to fd: Int32) {
    var line = text + "\n"
    line.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let wrote = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if wrote < 0 && errno == EINTR { continue }
            guard wrote > 0 else { return }
            offset += wrote
        }
    }
}
