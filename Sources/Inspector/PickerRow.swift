/// One process in the attach picker, as the controller reads it from /proc.
public struct PickerRow: Hashable, Sendable, Identifiable {
    public var pid: Int32
    public var ppid: Int32
    public var user: String
    public var threads: Int
    public var state: Character
    public var cpuPercent: Double
    public var rssKiB: UInt64
    public var command: String
    /// False for kernel threads, processes we may not trace, zombies, ourselves;
    /// `whyNot` then says which, for the status line.
    public var attachable: Bool
    public var whyNot: String?
    /// Who traces it now, as users know it: `1234 gdb` (the tracer's process
    /// and command, not its thread); nil when untraced.
    public var tracer: String?
    /// Attachable, but worth a second thought (PID 1, an ancestor of
    /// lwpscope): Enter shows this and asks again.
    public var caution: String?
    /// In a container (a pid namespace below ours): its short name and the
    /// pid it has in there. Nil for our own namespace's processes.
    public var container: PickerContainer?

    public var id: Int32 { pid }

    public init(pid: Int32, ppid: Int32, user: String, threads: Int, state: Character, cpuPercent: Double,
                rssKiB: UInt64, command: String, attachable: Bool = true, whyNot: String? = nil,
                tracer: String? = nil, caution: String? = nil) {
        self.pid = pid
        self.ppid = ppid
        self.user = user
        self.threads = threads
        self.state = state
        self.cpuPercent = cpuPercent
        self.rssKiB = rssKiB
        self.command = command
        self.attachable = attachable
        self.whyNot = whyNot
        self.tracer = tracer
        self.caution = caution
    }
}

/// Where a picker row's process lives when it is in a container.
public struct PickerContainer: Hashable, Sendable {
    /// The cgroup's last component, as `docker ps` names it.
    public var name: String
    /// The pid inside the container's namespace.
    public var namespacePID: Int32

    public init(name: String, namespacePID: Int32) {
        self.name = name
        self.namespacePID = namespacePID
    }

    /// What the COMMAND cell starts with: `[docker-ab12.scope pid 1] `.
    public var prefix: String { "[\(name) pid \(namespacePID)] " }
}
