import Engine
import Inspector
import InspectorFeed

/// The hold keys, done by `HoldActions` as `lwpscope hold` does them. Each
/// refreshes what it changed, paused or not.
extension InspectorApp {
    func toggleFlag(at address: UInt64) {
        guard let pid = watched.current,
              let entry = feed.survey?.entries.first(where: { $0.flag.address == address }) else { return }
        do {
            let change = try holds.toggle(entry, pid: pid)
            say("\(change.flag.displayName) = \(change.after)", kind: .hold)
        } catch {
            say(error.description, severity: .error, kind: .hold)
        }
        refreshWhatChanged()
    }

    /// Releases each thread (a grouped row's several), then says in one line
    /// which went and which did not.
    func release(_ tids: [Int32]) {
        guard let pid = watched.current, !tids.isEmpty else { return }
        let survey = feed.survey
        let results = blocking { [holds] () -> [(Int32, Result<ThreadReleaseOutcome, HoldActionError>)] in
            var results: [(Int32, Result<ThreadReleaseOutcome, HoldActionError>)] = []
            for tid in tids {
                do throws(HoldActionError) {
                    results.append((tid, .success(try await holds.release(tid, pid: pid, survey: survey))))
                } catch {
                    results.append((tid, .failure(error)))
                }
            }
            return results
        }
        var released: [ThreadReleaseOutcome] = []
        var failed: [(tid: Int32, error: HoldActionError)] = []
        for (tid, result) in results {
            switch result {
            case .success(let outcome): released.append(outcome)
            case .failure(let error): failed.append((tid, error))
            }
        }
        say(ReleaseSummary.message(released: released, failed: failed), kind: .hold)
        refreshWhatChanged()
    }

    /// For every process of the session at once: hold-new is the session's.
    func toggleHoldNew() {
        guard let shown = watched.current else { return }
        let on = !state.status.holdingNew
        let pids = watched.roots.contains(shown) ? watched.roots : [shown] + watched.roots
        if let failure = pids.lazy.compactMap({ self.setHoldNew($0, on) }).first {
            say(failure, severity: .error, kind: .hold)
        } else {
            state.setHoldingNew(on)
            say(on ? "new threads and children are held at birth" : "new threads and children run freely", kind: .hold)
        }
        refreshWhatChanged()
    }

    /// nil when done, else why not.
    func setHoldNew(_ pid: Int32, _ on: Bool) -> String? {
        blocking { [engine] () -> String? in
            do { try await engine.setHoldNew(pid, on); return nil } catch { return "\(error)" }
        }
    }

    /// One refresh soon, even while paused (which it does not end): what a
    /// command changed shows at once.
    func refreshWhatChanged() {
        refreshEvenIfPaused = true
        nextRefresh = 0
    }
}
