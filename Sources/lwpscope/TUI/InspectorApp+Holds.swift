import Engine
import Inspector
import InspectorFeed

/// The hold keys, done by `HoldActions` as `lwpscope hold` does them.
extension InspectorApp {
    func toggleFlag(at address: UInt64) {
        guard let pid = watched.current,
              let entry = feed.survey?.entries.first(where: { $0.flag.address == address }) else { return }
        do {
            let change = try holds.toggle(entry, pid: pid)
            state.showMessage(StatusMessage("\(change.flag.displayName) = \(change.after)"))
        } catch {
            state.showMessage(StatusMessage(error.description, severity: .error))
        }
        nextRefresh = 0
    }

    func release(_ tid: Int32) {
        guard let pid = watched.current else { return }
        let survey = feed.survey
        let result = blocking { [holds] () -> Result<ThreadReleaseOutcome, HoldActionError> in
            do throws(HoldActionError) {
                return .success(try await holds.release(tid, pid: pid, survey: survey))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let outcome):
            state.showMessage(StatusMessage(outcome.description))
        case .failure(let error):
            let severity: StatusMessage.Severity = if case .notHeld = error { .warning } else { .error }
            state.showMessage(StatusMessage(error.description, severity: severity))
        }
        nextRefresh = 0
    }

    func toggleHoldNew() {
        guard let pid = watched.current else { return }
        let on = !state.status.holdingNew
        let failure = blocking { [engine] () -> String? in
            do { try await engine.setHoldNew(pid, on); return nil } catch { return "\(error)" }
        }
        if let failure {
            state.showMessage(StatusMessage(failure, severity: .error))
        } else {
            state.setHoldingNew(on)
            state.showMessage(StatusMessage(
                on ? "new threads and children are held at birth" : "new threads and children run freely"))
        }
    }
}
