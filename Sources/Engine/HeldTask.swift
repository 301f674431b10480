/// Why a thread or process is held, as callers see it.
public enum HeldFor: Equatable, Sendable {
    /// Stopped as it was created (a new thread, or a forked child).
    case birth
    /// At its exec, before the new program's first instruction, by an exec rule.
    case exec(path: String)
    /// At the start of a program `launch` ran (`run --hold-start`).
    case start(path: String)
    /// At the delivery of a fatal signal; `address` is the fault address (0 when none).
    case signal(Int32, address: UInt64)
    /// Parked at a hold point.
    case point(Int)
}

/// A thread the engine holds, with how long it has been held.
public struct HeldTask: Equatable, Sendable {
    public var pid: Int32
    public var tid: Int32
    public var reason: HeldFor
    /// When the hold began, in seconds on the monotonic clock (`MonotonicClock.seconds()`).
    public var since: Double

    /// Held longer than this, it is flagged: its parent or peers may time out on it.
    public static let longHold: Double = 10

    public func heldFor(now: Double) -> Double { max(0, now - since) }
}
