/// One process around the attached ones: their parent chains and their
/// children, already in display order with `depth` for indentation.
public struct ProcessTreeRow: Hashable, Sendable, Identifiable {
    public var pid: Int32
    public var parent: Int32?
    public var command: String
    public var depth: Int
    /// The process whose threads the other panes show.
    public var isCurrent: Bool
    public var traced: Bool
    public var heldAtBirth: Bool
    /// Exit status text ("exited 1", "killed by SIGKILL") once it is gone.
    public var exited: String?
    /// The process state letter from /proc (R, S, t, Z...); nil when unknown.
    public var state: Character?
    /// Share of one CPU since the last refresh; nil before there are two.
    public var cpuPercent: Double?
    /// Its threads held now (at birth or on a hold flag).
    public var heldThreads: Int
    /// Shown above an attached process for context only (a parent, a grandparent).
    public var isAncestor: Bool

    public var id: Int32 { pid }

    public init(pid: Int32, parent: Int32?, command: String, depth: Int, isCurrent: Bool = false,
                traced: Bool = false, heldAtBirth: Bool = false, exited: String? = nil, state: Character? = nil,
                cpuPercent: Double? = nil, heldThreads: Int = 0, isAncestor: Bool = false) {
        self.pid = pid
        self.parent = parent
        self.command = command
        self.depth = depth
        self.isCurrent = isCurrent
        self.traced = traced
        self.heldAtBirth = heldAtBirth
        self.exited = exited
        self.state = state
        self.cpuPercent = cpuPercent
        self.heldThreads = heldThreads
        self.isAncestor = isAncestor
    }
}
