import Engine
import Holds
import InspectorFeed

/// Attach, survey the hold flags, do what was asked, survey again; the
/// actions are `HoldActions`', as in the inspector.
struct HoldSession {
    let engine: TraceEngine
    let extraNames: [FlagName]

    func run(pid: Int32, assignment: (name: String, value: UInt64)?, releaseThread: Int32?) async
        -> Result<HoldReport, HoldActionError>
    {
        let processID: Int32
        switch await EngineCall.attach(pid, engine: engine) {
        case .success(let attached): processID = attached
        case .failure(let error): return .failure(.engine(error))
        }
        let holds = HoldActions(engine: engine)
        var actions: [String] = []
        do throws(HoldActionError) {
            if let assignment {
                let change = try await holds.set(
                    named: assignment.name, to: assignment.value, pid: processID, extraNames: extraNames)
                actions.append(change.description)
            }
            if let tid = releaseThread {
                let survey = try await holds.survey(processID, extraNames: extraNames)
                actions.append(try await holds.release(tid, pid: processID, survey: survey).description)
            }
            let final = try await holds.survey(processID, extraNames: extraNames)
            return .success(HoldReport(pid: processID, survey: final, actions: actions))
        } catch {
            return .failure(error)
        }
    }
}
