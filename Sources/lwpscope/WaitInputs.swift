import Backtraces
import Engine
import Waits

/// What the wait analyzer is given from what a command already read.
enum WaitInputs {
    /// A snapshot's threads, with the system calls /proc gave just before the stop.
    static func of(_ snapshot: ProcessSnapshot) -> [ThreadWaitInput] {
        snapshot.threads.map { ThreadWaitInput(pid: snapshot.pid, tid: $0.tid, name: $0.name, syscall: $0.syscall) }
    }

    /// Unwound threads, with their frames (a mutex is known by its functions);
    /// the system call is read from /proc now.
    static func of(_ backtraces: ProcessBacktraces) -> [ThreadWaitInput] {
        backtraces.threads.map {
            ThreadWaitInput(pid: backtraces.pid, tid: $0.tid, name: $0.name, frames: $0.frames.map(\.text.label))
        }
    }
}
