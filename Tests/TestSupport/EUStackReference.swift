import Foundation

/// elfutils' eu-stack as a second opinion on backtraces. Its output:
///
///     PID 1234 - process
///     TID 1234:
///     #0  0x00007f7a9d0ed545 clock_nanosleep@GLIBC_2.2.5
///     #2  0x00007f7a9d2d44a3
///     #3  0x00005580ff7f14a2 main - /tmp/prog          (with -m)
///
/// Caller addresses are return addresses, as with gdb; a frame without a
/// symbol has no name. eu-stack is optional: `isAvailable` says whether it is
/// installed (Debian package elfutils).
public enum EUStackReference {
    public struct Frame: Equatable, Sendable {
        public var index: Int
        public var pc: UInt64
        public var function: String?
        public var module: String?

        public init(index: Int, pc: UInt64, function: String?, module: String? = nil) {
            self.index = index
            self.pc = pc
            self.function = function
            self.module = module
        }
    }

    public struct Thread: Equatable, Sendable {
        public var tid: Int32
        public var frames: [Frame]
    }

    public static let executable: String? = findExecutable("eu-stack")
    public static var isAvailable: Bool { executable != nil }

    /// Every thread's backtrace of `pid`, with module paths.
    public static func backtraces(of pid: Int32, timeout: Double = 60) throws -> [Thread] {
        guard let euStack = executable else { throw TestFailure("eu-stack is not installed") }
        let result = try run(euStack, ["-m", "-p", String(pid)], timeout: timeout)
        let threads = parse(result.stdout)
        guard !threads.isEmpty else {
            throw TestFailure("eu-stack printed no backtraces for pid \(pid):\n\(result.stdout)\n\(result.stderr)")
        }
        return threads
    }

    public static func parse(_ text: String) -> [Thread] {
        var threads: [Thread] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("TID "), line.hasSuffix(":"), let tid = Int32(line.dropFirst(4).dropLast()) {
                threads.append(Thread(tid: tid, frames: []))
            } else if line.hasPrefix("#"), !threads.isEmpty, let frame = frame(line) {
                threads[threads.count - 1].frames.append(frame)
            }
        }
        return threads
    }

    /// `#N  0xADDR[ NAME][ - MODULE]`.
    static func frame(_ line: Substring) -> Frame? {
        let fields = line.dropFirst().split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard fields.count >= 2, let index = Int(fields[0]), fields[1].hasPrefix("0x"),
              let pc = UInt64(fields[1].dropFirst(2), radix: 16) else { return nil }
        var rest = fields.count > 2 ? fields[2] : ""
        var module: String?
        if let dash = rest.range(of: " - ", options: .backwards) {
            module = String(rest[dash.upperBound...])
            rest = rest[..<dash.lowerBound]
        } else if rest.hasPrefix("- ") {
            module = String(rest.dropFirst(2))
            rest = ""
        }
        return Frame(index: index, pc: pc, function: rest.isEmpty ? nil : String(rest), module: module)
    }
}
