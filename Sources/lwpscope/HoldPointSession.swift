import Engine
import Guardian
import HoldPoints
import InspectorFeed
import ProcFS
#if canImport(Glibc)
import Glibc
#endif

/// `lwpscope hold PID --at LOCATION...`: sets the points, stays attached,
/// prints one event per line, and obeys commands on stdin (`release TID`,
/// `release all`, `list`, `quit`). EOF, `quit`, SIGINT, SIGTERM and SIGHUP
/// all take the points out, let every thread go, detach and exit 0.
struct HoldPointSession {
    let pid: Int32
    let locations: [String]
    let threadPattern: String?
    let json: Bool

    private enum Input {
        case engine(EngineEvent)
        case command(String)
        case endOfInput
        /// Once a second: pending points are tried again if a library loaded.
        case tick
    }

    func run() async -> Int32 {
        let engine = TraceEngine()
        await engine.setGuardianLauncher(GuardianLaunch.ourselves)
        // Its points are set again in a new image before the program runs.
        await engine.setHoldExecsWithPoints(true)
        let shutdown = ShutdownOnSignals {
            await engine.close()
            exit(0)
        }
        defer { shutdown.disarm() }
        let processID: Int32
        switch await EngineCall.attach(pid, engine: engine) {
        case .success(let attached): processID = attached
        case .failure(let error):
            await engine.close()
            return report(error)
        }
        let placer = HoldPointPlacer(engine: engine)
        for location in locations {
            do {
                for placed in try await placer.place(location, in: processID, threadPattern: threadPattern) {
                    emit(.point(placed))
                }
            } catch {
                await engine.close()
                return report(error)
            }
        }

        let (inputs, feed) = AsyncStream.makeStream(of: Input.self)
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
        defer {
            engineEvents.cancel()
            commands.cancel()
            ticks.cancel()
        }
        var parked: [Int32: Int32] = [:]  // tid → pid
        loop: for await input in inputs {
            switch input {
            case .engine(.parkedAtPoint(let pid, let tid, let id)) where await placer.isLoaderWatch(id):
                report(await placer.loaderStopped(pid: pid, tid: tid))
            case .engine(.parkedAtPoint(let pid, let tid, let id)):
                parked[tid] = pid
                let name = ProcFS().comm(pid, thread: tid) ?? ""
                emit(.parked(pid: pid, tid: tid, name: name, point: await placer.point(id)))
            case .engine(.threadExited(let pid, let tid)) where parked[tid] != nil:
                parked[tid] = nil
                emit(.exited(pid: pid, tid: tid))
            case .engine(.processForked(let parent, let child)):
                await placer.inherit(child, from: parent)
            case .engine(.processExecuted(let pid)):
                report(await placer.imageReplaced(pid))
            case .tick:
                report(await placer.retryPending())
            case .engine(.processExited(let pid, _)):
                for (tid, owner) in parked where owner == pid { parked[tid] = nil }
                emit(.exited(pid: pid, tid: pid))
                if pid == processID { break loop }
            case .engine:
                break
            case .command(let line):
                if await obey(line, in: processID, engine: engine, placer: placer, parked: &parked) == .quit { break loop }
            case .endOfInput:
                break loop
            }
        }
        await engine.close()
        return 0
    }

    private enum Obeyed { case goOn, quit }

    private func obey(_ line: String, in processID: Int32, engine: TraceEngine, placer: HoldPointPlacer, parked: inout [Int32: Int32]) async -> Obeyed {
        let words = line.split(separator: " ").map(String.init)
        switch words.first {
        case nil: return .goOn
        case "quit"?: return .quit
        case "list"?:
            let byPoint = Dictionary(grouping: await engine.parkedThreads(), by: \.pointID).mapValues { $0.map(\.tid) }
            // The flags beside them, from one snapshot (parked threads stay parked).
            let survey = try? await HoldActions(engine: engine).survey(processID)
            emit(.list(pid: processID, points: await placer.points(), parked: byPoint, flags: survey.map(HoldReport.flags) ?? []))
        case "release"? where words.count == 2 && words[1] == "all":
            // Those the user saw parked (not a loader watch's, which go on by themselves).
            for thread in await engine.parkedThreads() where parked[thread.tid] != nil {
                guard await engine.releaseFromPoint(thread.tid) else { continue }
                parked[thread.tid] = nil
                emit(.released(pid: thread.pid, tid: thread.tid))
            }
        case "release"? where words.count == 2:
            guard let tid = Int32(words[1]) else { return complain("release takes a thread id or `all`, not \(words[1])") }
            let owner = await engine.parkedThreads().first { $0.tid == tid }?.pid
            guard let owner, await engine.releaseFromPoint(tid) else { return complain("thread \(tid) is not parked at a point") }
            parked[tid] = nil
            emit(.released(pid: owner, tid: tid))
        default:
            return complain("unknown command \(line): use release TID, release all, list or quit")
        }
        return .goOn
    }

    /// The points a new image got, those still pending, those that failed.
    private func report(_ retries: [PointRetry]) {
        for retry in retries {
            switch retry {
            case .placed(let points): points.forEach { emit(.point($0)) }
            case .pending(let request, let pid, let reason): emit(.pending(pid: pid, location: request.location, reason: reason))
            case .failed(let request, let pid, let reason):
                printLine("lwpscope: cannot set \(request.location) in \(pid)'s new image: \(reason)", to: STDERR_FILENO)
            }
        }
    }

    private func complain(_ message: String) -> Obeyed {
        printLine("lwpscope: \(message)", to: STDERR_FILENO)
        return .goOn
    }

    private func emit(_ event: HoldPointEvent) {
        printLine(json ? event.json : event.text, to: STDOUT_FILENO)
    }

    private func report(_ error: CustomStringConvertible) -> Int32 {
        printLine("lwpscope: \(error)", to: STDERR_FILENO)
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
