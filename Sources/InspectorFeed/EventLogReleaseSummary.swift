import Inspector

/// One status line for releasing the threads of a row (a grouped row stands
/// for several): which went, which did not and why.
public enum ReleaseSummary {
    public static func message(
        released: [ThreadReleaseOutcome], failed: [(tid: Int32, error: HoldActionError)]
    ) -> StatusMessage {
        let total = released.count + failed.count
        // One thread: its own words, as `lwpscope hold` says them.
        if total == 1 {
            if let outcome = released.first { return StatusMessage(outcome.description) }
            if let failure = failed.first { return StatusMessage(failure.error.description, severity: severity(of: [failure])) }
        }
        let releasedTIDs = released.map { String($0.tid) }.joined(separator: " ")
        guard !failed.isEmpty else {
            return StatusMessage("released \(total) threads of the group: \(releasedTIDs)")
        }
        let reasons = failed.map { "\($0.tid): \($0.error.description)" }.joined(separator: "; ")
        if released.isEmpty {
            return StatusMessage("released none of the group's \(total) threads; \(reasons)",
                                 severity: severity(of: failed))
        }
        return StatusMessage("released \(released.count) of the group's \(total) threads (\(releasedTIDs)); \(reasons)",
                             severity: .warning)
    }

    /// A thread that turned out not to be held is a warning; anything else failed.
    private static func severity(of failed: [(tid: Int32, error: HoldActionError)]) -> StatusMessage.Severity {
        failed.allSatisfy { if case .notHeld = $0.error { true } else { false } } ? .warning : .error
    }
}

extension ThreadReleaseOutcome {
    /// The thread let go.
    public var tid: Int32 {
        switch self {
        case .heldAtBirth(let tid), .fromPoint(let tid), .signalPassed(let tid): tid
        case .fromFlag(_, let release): release.tid
        }
    }
}
