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

    public var id: Int32 { pid }

    public init(pid: Int32, ppid: Int32, user: String, threads: Int, state: Character, cpuPercent: Double,
                rssKiB: UInt64, command: String, attachable: Bool = true, whyNot: String? = nil) {
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
    }
}
