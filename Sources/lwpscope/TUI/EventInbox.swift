import Engine
import Synchronization

/// Collects the engine's events (a thread born, a process exited) for the
/// inspector's thread to pick up between frames.
final class EventInbox: Sendable {
    private let events = Mutex<[EngineEvent]>([])

    init(_ stream: AsyncStream<EngineEvent>) {
        Task.detached { [weak self] in
            for await event in stream { self?.events.withLock { $0.append(event) } }
        }
    }

    func drain() -> [EngineEvent] {
        events.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }
}
