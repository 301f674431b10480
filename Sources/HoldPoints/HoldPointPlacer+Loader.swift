/// Pending points and the dynamic loader: ld.so calls `_dl_debug_state`
/// (the `r_brk` of its debugger rendezvous) each time it has mapped or
/// unmapped libraries: at start-up before any library's code runs, and at
/// each dlopen. A hidden point there, set while a location is pending, stops
/// the thread just long enough to try the pending locations again, as gdb's
/// shared-library event breakpoint does.
extension HoldPointPlacer {
    static let loaderFunction = "_dl_debug_state"

    /// Whether point `id` is a loader watch (not the user's: never listed or shown as parked).
    public func isLoaderWatch(_ id: Int) -> Bool { loaderWatches.values.contains(id) }

    /// A thread stopped at a loader watch in `pid`: the pending locations are
    /// tried at once (libraries have just been mapped), then it runs on; the
    /// watch goes when nothing is pending any more.
    public func loaderStopped(pid: Int32, tid: Int32) async -> [PointRetry] {
        lastMappings[pid] = nil
        let results = await retryNow(pid)
        await updateLoaderWatch(pid)
        await engine.releaseFromPoint(tid)
        return results
    }

    /// Sets the watch in `pid` if it has pending locations and none yet;
    /// takes it out when it has none. Quietly does without where the loader
    /// has no such function (a static program): the once-a-second retry remains.
    func updateLoaderWatch(_ pid: Int32) async {
        let needed = !(pending[pid] ?? []).isEmpty
        if !needed, let id = loaderWatches[pid] {
            loaderWatches[pid] = nil
            if !loaderWatches.values.contains(id) { await engine.removePoint(id: id) }
            return
        }
        guard needed, loaderWatches[pid] == nil,
              let resolver = try? PointResolver(pid: pid),
              let point = try? resolver.resolve(Self.loaderFunction).first,
              let spec = try? spec(for: point, in: pid, threadPattern: nil) else { return }
        do {
            try await engine.installPoint(pid, spec)
            loaderWatches[pid] = spec.id
        } catch {
            return
        }
    }
}
