#if canImport(Glibc)
import Glibc
#endif

/// A plain OS thread for work that blocks: the inspector's key reads, the signal watcher.
enum DedicatedThread {
    static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        final class Box: @unchecked Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, context)
        precondition(rc == 0, "cannot start the \(name) thread")
        pthread_detach(thread)
    }
}
