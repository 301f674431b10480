import ProcFS

/// What became of a location tried again in a process's new image.
public enum PointRetry: Sendable {
    case placed([PlacedPoint])
    /// Not there (yet): kept, and tried again when the mappings change.
    case pending(PointRequest, pid: Int32, reason: String)
    /// Found, but it could not be set (no room, an instruction that cannot be moved).
    case failed(PointRequest, pid: Int32, reason: String)
}

/// Points across images: a forked child wants its parent's locations; an
/// exec replaces the code, so every location the process wants is resolved
/// again in the new program and its libraries, pending until the name appears.
extension HoldPointPlacer {
    /// A fork: the engine copied the parent's points into the child; the
    /// child wants the same locations after an exec.
    public func inherit(_ child: Int32, from parent: Int32) {
        if let locations = wanted[parent] { wanted[child] = locations }
    }

    /// `pid` has exec'd: the engine has forgotten its points (the old code is
    /// gone); each location it wanted is resolved in the new image now.
    /// Then the process goes on: held at its exec stop (the engine's
    /// `setHoldExecsWithPoints`), its new program has not run yet.
    public func imageReplaced(_ pid: Int32) async -> [PointRetry] {
        for point in placed.values where point.pid == pid { placed[point.spec.id] = nil }
        used[pid] = nil
        pending[pid] = wanted[pid]
        wanted[pid] = nil
        lastMappings[pid] = nil
        let results = await retryPending(pid)
        await engine.releaseAfterPoints(pid)
        return results
    }

    /// Tries the pending locations of every process whose mappings changed
    /// since the last try (a library loaded); cheap when nothing changed.
    public func retryPending() async -> [PointRetry] {
        var results: [PointRetry] = []
        for pid in pending.keys.sorted() { results += await retryPending(pid) }
        return results
    }

    public func pendingRequests() -> [(pid: Int32, request: PointRequest)] {
        pending.keys.sorted().flatMap { pid in (pending[pid] ?? []).map { (pid, $0) } }
    }

    private func retryPending(_ pid: Int32) async -> [PointRetry] {
        let results = await retryNow(pid)
        await updateLoaderWatch(pid)
        return results
    }

    func retryNow(_ pid: Int32) async -> [PointRetry] {
        guard let requests = pending[pid], !requests.isEmpty else { return [] }
        let mappings = Self.codeMappings(pid)
        guard let mappings else {
            // Gone: nothing to wait for.
            pending[pid] = nil
            lastMappings[pid] = nil
            return []
        }
        if lastMappings[pid] == mappings { return [] }
        lastMappings[pid] = mappings
        var results: [PointRetry] = []
        var still: [PointRequest] = []
        for request in requests {
            do throws(HoldPointError) {
                results.append(.placed(try await place(request.location, in: pid, threadPattern: request.threadPattern)))
            } catch {
                switch error {
                case .location(let reason) where reason.isNotFound:
                    still.append(request)
                    results.append(.pending(request, pid: pid, reason: reason.description))
                default:
                    results.append(.failed(request, pid: pid, reason: error.description))
                }
            }
        }
        pending[pid] = still.isEmpty ? nil : still
        return results
    }

    /// The file-backed executable mappings, which a library's load changes.
    static func codeMappings(_ pid: Int32) -> [String]? {
        ProcFS().memoryMap(pid).map { maps in
            maps.filter { $0.isExecutable && $0.isFileBacked }.map { "\($0.start) \($0.path)" }
        }
    }
}
