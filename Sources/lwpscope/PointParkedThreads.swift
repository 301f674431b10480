import Backtraces
import ELF
import Engine
import HoldPoints
import Instructions
import Paths
import ProcFS

/// Threads another lwpscope session holds at a hold point, seen from outside
/// (`graph` cannot attach to a process someone else traces): stopped under a
/// tracer that is lwpscope, its pc at the displaced copy of a point's
/// instruction whose trap byte is in place (a parked thread already stands
/// where it goes on from, so that a dying tracer resumes it correctly).
struct PointParkedThreads {
    let procfs: ProcFS
    let backtracer: Backtracer

    struct Parked {
        /// The function the point is in, when named.
        var function: String?
        /// "point FUNCTION (FILE:LINE)", as heldBy shows a flag's name.
        var label: String
    }

    /// The point a thread is parked at, nil when it is not parked at one.
    func point(pid: Int32, tid: Int32, in space: AddressSpace) -> Parked? {
        guard let status = procfs.status(pid, thread: tid), status.state == .tracingStop,
              status.tracerID > 0, isLwpscope(status.tracerID),
              case .blockedOutsideSyscall(_, let pc)? = procfs.syscall(pid, thread: tid),
              let copy = read(pid, pc, DisplacedCopy.maximumLength)
        else { return nil }
        guard let address = DisplacedCopyOrigin.point(
            ofCopy: copy, at: pc,
            original: { DisplacedCopyOrigin.fileCode(at: RuntimeAddress($0), in: space) },
            isTrap: { read(pid, $0, 1) == [0xCC] })
        else { return nil }
        // Inline frames come first: the innermost has the point's line, the
        // outermost the function the code is in.
        let frames = backtracer.frames(at: address, in: space)
        guard let function = frames.last?.function else {
            return Parked(function: nil, label: "point *0x" + String(address, radix: 16))
        }
        let line = frames.first?.file.map { file in
            " (\(Path.basename(file))\(frames.first?.line.map { ":\($0)" } ?? ""))"
        } ?? ""
        return Parked(function: function, label: "point \(function)\(line)")
    }

    private func read(_ pid: Int32, _ address: UInt64, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { ProcessMemory.readPrefix(pid: pid, address: address, into: $0) }
        return got > 0 ? Array(bytes.prefix(got)) : nil
    }

    /// The tracer field names the tracing thread; its executable is the process's.
    private func isLwpscope(_ tracer: Int32) -> Bool {
        procfs.executablePath(tracer).map(Path.basename) == "lwpscope"
    }
}
