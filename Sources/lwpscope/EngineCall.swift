import Engine
import ProcFS

/// Engine calls as Results. A `catch let e as EngineError` around typed-throwing
/// async calls crashes the Swift 6.3 compiler, and commands want to close the
/// engine before reporting anyway.
enum EngineCall {
    static func attach(_ pid: Int32, engine: TraceEngine) async -> Result<Int32, EngineError> {
        do { return .success(try await engine.attach(pid)) } catch { return .failure(error) }
    }

    static func snapshot(
        _ pid: Int32, engine: TraceEngine, stackBytes: Int = 0, eachThread: Bool = false, detachAfter: Bool = false,
        details: ThreadDetails = .all, beforeStopping: (@Sendable () -> Void)? = nil
    ) async -> Result<ProcessSnapshot, EngineError> {
        do {
            return .success(
                eachThread
                    ? try await engine.snapshotEachThread(
                        pid, stackBytes: stackBytes, detachAfter: detachAfter, details: details, beforeStopping: beforeStopping)
                    : try await engine.snapshot(
                        pid, stackBytes: stackBytes, detachAfter: detachAfter, details: details, beforeStopping: beforeStopping))
        } catch {
            return .failure(error)
        }
    }

    /// Attach, one snapshot, detach: what the one-shot commands do.
    /// - beforeStopping: run on the engine thread once attached and /proc is
    ///   read, before any thread is stopped.
    static func oneSnapshot(
        _ pid: Int32, stackBytes: Int = 0, eachThread: Bool = false, beforeStopping: (@Sendable () -> Void)? = nil
    ) async -> Result<ProcessSnapshot, EngineError> {
        let engine = TraceEngine()
        // Ctrl-C, SIGTERM, SIGHUP (a closed terminal) and SIGQUIT detach first.
        let shutdown = ShutdownOnSignals { await engine.close() }
        defer { shutdown.disarm() }
        let result: Result<ProcessSnapshot, EngineError>
        switch await attach(pid, engine: engine) {
        case .success(let processID):
            result = await snapshot(
                processID, engine: engine, stackBytes: stackBytes, eachThread: eachThread, detachAfter: true,
                details: [], beforeStopping: beforeStopping)
        case .failure(let error):
            result = .failure(error)
        }
        if case .failure = result { await shutdown.yieldToSignalHandler() }
        await engine.close()
        return result
    }
}
