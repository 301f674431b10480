import Engine
import HoldPoints
import Inspector
import InspectorFeed
import Paths

/// Hold points from the screen: `b` sets one, Space on its row in pane 4
/// removes it, `r` releases a parked thread (as `HoldActions` does), and
/// the gdb hand-off sets them again afterwards.
extension InspectorApp {
    /// `b` opened its prompt: the function names Tab completes, read from
    /// the process's modules (the symbol tables are cached by the reader).
    func loadPointNames(_ pid: Int32) {
        guard let resolver = try? PointResolver(pid: pid) else {
            return say("cannot read the modules of \(pid) for completion; type the location whole", severity: .warning)
        }
        state.setPointNames(resolver.functionNames())
    }

    func addPoint(_ pid: Int32, at location: String, threadPattern: String?) {
        let result = blocking { [placer] () -> Result<[PlacedPoint], HoldPointError> in
            do throws(HoldPointError) {
                return .success(try await placer.place(location, in: pid, threadPattern: threadPattern))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let placed):
            let only = threadPattern.map { ", for threads named \($0)" } ?? ""
            let shown = placed.count == 1
                ? placed[0].whereText ?? location
                : "\(location) (\(placed.count) addresses)"
            let address = placed.first.map { " at \(hex($0.spec.address)) in \(Path.basename($0.resolved.module))" } ?? ""
            say("hold point \(shown)\(placed.count == 1 ? address : "")\(only): threads that reach it are parked",
                kind: .hold)
        case .failure(let error):
            say(error.description, severity: .error, kind: .hold)
        }
        refreshWhatChanged()
    }

    func removePoint(id: Int) {
        let (point, parked) = blocking { [placer, engine] in
            let point = await placer.point(id)
            let parked = await engine.parkedThreads().filter { $0.pointID == id }.count
            await placer.remove(id: id)
            return (point, parked)
        }
        guard let point else { return }
        let threads = parked == 0 ? "" : parked == 1 ? "; its thread runs on" : "; its \(parked) threads run on"
        say("removed hold point \(point.location)\(threads)", kind: .hold)
        refreshWhatChanged()
    }

    /// What a refresh of `pid` shows of the points: each parked thread's
    /// location (HELD) and pane 4's point rows.
    func pointsShown(in pid: Int32) -> (heldAtPoints: [Int32: String], rows: [HoldFlagRow], parked: [ParkedThread]) {
        let (placed, ids, parked) = blocking { [placer, engine] in
            (await placer.points(), Set(await engine.points(in: pid).map(\.id)), await engine.parkedThreads())
        }
        guard !placed.isEmpty else { return ([:], [], parked) }
        let locations = Dictionary(placed.map { ($0.spec.id, $0.location) }, uniquingKeysWith: { a, _ in a })
        var held: [Int32: String] = [:]
        // A thread at a loader watch (no location) is not the user's, and goes on by itself.
        let users = parked.filter { locations[$0.pointID] != nil }
        for thread in users where thread.pid == pid { held[thread.tid] = locations[thread.pointID] }
        return (held, HoldFlagRow.points(placed, setIn: ids, parked: users, in: pid), users)
    }

    /// Before `pid` leaves (a detach restores its code and lets its threads
    /// go): forgets its points, and returns them to be set again.
    func forgetPoints(of pid: Int32) -> [PlacedPoint] {
        blocking { [placer] in await placer.forget(pid: pid) }
    }

    /// After gdb: the points `pid` had, set again from their locations.
    /// Returns a clause for the message when some could not be.
    func restorePoints(_ points: [PlacedPoint], in pid: Int32) -> String? {
        var seen: Set<String> = []
        var failed: [String] = []
        for point in points where seen.insert(point.location + "\u{0}" + (point.spec.threadPattern ?? "")).inserted {
            let location = point.location, pattern = point.spec.threadPattern
            let error = blocking { [placer] () -> HoldPointError? in
                do throws(HoldPointError) {
                    _ = try await placer.place(location, in: pid, threadPattern: pattern)
                    return nil
                } catch {
                    return error
                }
            }
            if let error { failed.append("\(location): \(error)") }
        }
        guard !seen.isEmpty else { return nil }
        return failed.isEmpty
            ? "hold points set again"
            : "hold points not set again: " + failed.joined(separator: "; ")
    }
}

extension InspectorApp {
    /// A fork hands the child its parent's locations; an exec sets them again in the new image.
    func pointsFollow(_ event: EngineEvent) {
        switch event {
        case .processForked(let parent, let child):
            blocking { [placer] in await placer.inherit(child, from: parent) }
        case .processExecuted(let pid):
            report(blocking { [placer] in await placer.imageReplaced(pid) })
        default:
            break
        }
    }

    /// A thread stopped at a loader watch (libraries just mapped) is not the
    /// user's: the pending locations are tried, it goes on, and the event is dropped.
    func withoutLoaderWatches(_ events: [EngineEvent]) -> [EngineEvent] {
        events.filter { event in
            guard case .parkedAtPoint(let pid, let tid, let id) = event,
                  blocking({ [placer] in await placer.isLoaderWatch(id) }) else { return true }
            report(blocking { [placer] in await placer.loaderStopped(pid: pid, tid: tid) })
            return false
        }
    }

    /// Each refresh: a pending location may have come with a library just loaded.
    func retryPendingPoints() {
        report(blocking { [placer] in await placer.retryPending() })
    }

    private func report(_ retries: [PointRetry]) {
        for retry in retries {
            switch retry {
            case .placed(let points):
                guard let first = points.first else { continue }
                say("hold point \(first.whereText ?? first.location) set again in \(first.pid)'s new image", kind: .hold)
            case .pending(let request, let pid, _):
                say("hold point \(request.location) pending in \(pid): not in its new image (yet)", severity: .warning,
                    kind: .hold)
            case .failed(let request, let pid, let reason):
                say("hold point \(request.location) not set in \(pid)'s new image: \(reason)", severity: .error, kind: .hold)
            }
        }
    }
}
