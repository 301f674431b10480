import Backtraces
import Engine
import Holds

/// Attach, survey the hold flags, do what was asked, survey again.
struct HoldSession {
    let engine: TraceEngine
    let extraNames: [FlagName]
    let backtracer = Backtracer()

    func run(pid: Int32, assignment: (name: String, value: UInt64)?, releaseThread: Int32?) async
        -> Result<HoldReport, Failure>
    {
        let processID: Int32
        switch await EngineCall.attach(pid, engine: engine) {
        case .success(let attached): processID = attached
        case .failure(let error): return .failure(Failure(error))
        }
        var actions: [String] = []
        do {
            if let assignment {
                let entry = try await survey(processID).entry(named: assignment.name)
                let before = entry.value
                try engine.writeValue(pid: processID, address: entry.flag.address, size: entry.flag.size, value: assignment.value)
                actions.append("set \(entry.flag.displayName) (\(entry.flag.moduleName)) to \(assignment.value)"
                    + (before.map { ", was \($0)" } ?? ""))
            }
            if let tid = releaseThread {
                let current = try await survey(processID)
                guard let flag = current.heldBy[tid] else {
                    return .failure(Failure("thread \(tid) is not held on any hold flag of pid \(processID); `lwpscope hold \(processID)` lists who is"))
                }
                let release = try await engine.releaseThread(
                    pid: processID, tid: tid, flagAddress: flag.address, flagSize: flag.size)
                actions.append("released thread \(tid) from \(flag.displayName) after \(release.steps) steps; \(flag.displayName) is \(release.flagValueAfter) again")
            }
            let final = try await survey(processID)
            return .success(HoldReport(pid: processID, survey: final, actions: actions))
        } catch let error as HoldFlagError {
            return .failure(Failure(error))
        } catch let error as HoldError {
            return .failure(Failure(error))
        } catch let error as EngineError {
            return .failure(Failure(error))
        } catch {
            return .failure(Failure("\(error)"))
        }
    }

    private func survey(_ pid: Int32) async throws -> HoldSurvey {
        let snapshot = try await engine.snapshot(pid, stackBytes: 8192)
        let space = backtracer.addressSpace(of: pid)
        let backtraces = backtracer.backtraces(of: snapshot, in: space)
        return try HoldSurvey.take(backtraces: backtraces, space: space, extraNames: extraNames) { flag in
            try? engine.readValue(pid: pid, address: flag.address, size: flag.size)
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ value: CustomStringConvertible) { description = value.description }
    }
}
