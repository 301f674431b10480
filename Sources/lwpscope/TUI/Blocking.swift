import Dispatch

/// Runs async work from the inspector's own thread and waits for it. That
/// thread is not one of the cooperative pool's, so blocking it is fine; the
/// work itself hops to the engine's thread.
func blocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
    let done = DispatchSemaphore(value: 0)
    let box = ResultBox<T>()
    Task.detached {
        box.value = await work()
        done.signal()
    }
    done.wait()
    return box.value!
}

private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
