/// One thread of the attached process, from the latest snapshot.
public struct ThreadRow: Hashable, Sendable, Identifiable {
    public var tid: Int32
    public var name: String
    public var state: Character
    public var cpuPercent: Double
    public var wchan: String?
    /// The innermost frame that has a name.
    public var function: String?
    /// The display name of the hold flag this thread waits on.
    public var heldFlag: String?
    /// Stopped by lwpscope as it was created, until released.
    public var heldAtBirth: Bool
    /// Parked at a hold point: the point's location as the user wrote it.
    public var heldPoint: String?
    /// With `heldAtBirth` (held by lwpscope): why and how long, when not
    /// simply born (`exec 12s!`, `SIGSEGV`).
    public var heldNote: String?
    /// Threads with the same value have identical stacks (the controller
    /// numbers them); nil groups with no other thread.
    public var stackGroup: Int?
    /// Every frame's function label, innermost first, so `/` matches any
    /// frame of the stack; as deep as the refresh unwound.
    public var stackFunctions: [String]
    /// Why it waits and on whom, when it is blocked ("read pipe ← 4711 virsh").
    public var waitsOn: String?
    /// It is in a wait-for cycle: threads waiting on each other.
    public var deadlocked = false
    /// Where `f` goes from its wait: the peer process (and thread) or the mutex owner.
    public var follow: FollowTarget?
    /// In the grouped table: how many threads this row stands for.
    public var groupSize = 1
    /// In the grouped table: the tids this row stands for, lowest first;
    /// the screen fills it, the controller leaves it empty.
    public var memberTIDs: [Int32] = []
    /// Those of `memberTIDs` that are held now.
    public var heldMemberTIDs: [Int32] = []

    public var id: Int32 { tid }
    public var isHeld: Bool { heldFlag != nil || heldAtBirth || heldPoint != nil }

    public init(tid: Int32, name: String, state: Character, cpuPercent: Double = 0, wchan: String? = nil,
                function: String? = nil, heldFlag: String? = nil, heldAtBirth: Bool = false, stackGroup: Int? = nil,
                stackFunctions: [String] = []) {
        self.tid = tid
        self.name = name
        self.state = state
        self.cpuPercent = cpuPercent
        self.wchan = wchan
        self.function = function
        self.heldFlag = heldFlag
        self.heldAtBirth = heldAtBirth
        self.stackGroup = stackGroup
        self.stackFunctions = stackFunctions
    }
}

/// The other end of a thread's wait, for `f`: a process, and its thread when known.
public struct FollowTarget: Hashable, Sendable {
    public var pid: Int32
    public var tid: Int32?

    public init(pid: Int32, tid: Int32?) {
        self.pid = pid
        self.tid = tid
    }
}
