import ArgumentParser
import FoundationEssentials
import Inspector
import ProcFS
#if canImport(Glibc)
import Glibc
#endif

struct PsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps", abstract: "List processes, as the attach picker does.")

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let listing = ProcFS().processListing()
        if json {
            try printJSON(listing.map(ProcessRow.init))
            return
        }
        // Containers get their columns only when there is one to show.
        let containers = listing.contains { $0.container != nil }
        var table = TextTable([
            ("PID", .right), ("PPID", .right), ("USER", .left), ("THR", .right), ("S", .left),
            ("CPU%", .right), ("RSS", .right), ("START", .left),
        ] + (containers ? [("NSPID", .right), ("CONTAINER", .left)] : []) + [("COMMAND", .left)])
        for process in listing {
            table.append([
                String(process.pid), String(process.parentID), process.user, String(process.threadCount),
                String(process.state.letter), Formatting.oneDecimal(process.cpuPercent),
                formatKiB(process.residentKiB), formatStart(process.startTime),
            ] + (containers ? [process.container == nil ? "" : String(process.namespacePID),
                               process.container.map(ContainerName.short) ?? ""] : [])
              + [process.command])
        }
        print(table.render())
    }
}

/// The JSON shape of one `ps` row.
struct ProcessRow: Encodable {
    var pid: Int32
    var ppid: Int32
    var user: String
    var threads: Int
    var state: String
    var cpuPercent: Double
    var rssKiB: Int64
    var startTime: Int64
    var name: String
    var command: String
    var kernelThread: Bool
    var tracerPid: Int32
    /// The pid inside its innermost pid namespace (the pid itself outside containers).
    var nsPid: Int32
    /// The cgroup of a process in a container (a pid namespace below ours); absent otherwise.
    var container: String?

    init(_ p: ProcessSummary) {
        pid = p.pid
        ppid = p.parentID
        user = p.user
        threads = p.threadCount
        state = String(p.state.letter)
        cpuPercent = p.cpuPercent
        rssKiB = p.residentKiB
        startTime = p.startTime
        name = p.name
        command = p.command
        kernelThread = p.isKernelThread
        tracerPid = p.tracerID
        nsPid = p.namespacePID
        container = p.container
    }
}

func formatKiB(_ kib: Int64) -> String {
    if kib >= 10 * 1024 * 1024 { return "\(kib / (1024 * 1024))G" }
    if kib >= 10 * 1024 { return "\(kib / 1024)M" }
    return "\(kib)K"
}

/// When a process started, as ps's STIME: `14:03` within a day, else `Dec02`.
func formatStart(_ epochSeconds: Int64) -> String {
    var when = time_t(epochSeconds), parts = tm()
    guard localtime_r(&when, &parts) != nil else { return "?" }
    let format = time(nil) - when < 86_400 ? "%H:%M" : "%b%d"
    var buffer = [CChar](repeating: 0, count: 32)
    let count = strftime(&buffer, buffer.count, format, &parts)
    return count > 0 ? String(cString: buffer) : "?"
}
