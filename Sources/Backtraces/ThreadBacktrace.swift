import Engine
import ProcFS

/// One thread's backtrace at the snapshot's instant.
public struct ThreadBacktrace: Sendable {
    public var tid: Int32
    public var name: String
    public var state: TaskState
    public var waitChannel: String?
    public var frames: [SymbolizedFrame]
    /// Why the unwind ended, in words ("outermost frame", "pc outside any executable mapping"...).
    public var stopReason: String
    /// Why there is no backtrace at all (no registers), when there is none.
    public var error: String?
    /// The thread pointer (fs_base): on x86_64 glibc the thread's pthread_t,
    /// which gdb shows as `Thread 0x7f… (LWP N)`. Nil without registers or when 0.
    public var threadPointer: UInt64? = nil
}

public struct ProcessBacktraces: Sendable {
    public var pid: Int32
    public var command: String
    public var stoppedMicroseconds: Int
    public var threads: [ThreadBacktrace]
}
