/// The hold points set in one process's memory: what each trap byte
/// replaced and where its displaced copy lives.
struct PointTable {
    struct Installed {
        var spec: HoldPointSpec
        /// The byte the trap replaced.
        var originalByte: UInt8
        /// What the copy's room held before.
        var scratchOriginal: [UInt8]
        /// Removed by the user: the trap byte is gone, the copy stays until
        /// we leave (a thread may still be running it).
        var removed = false
    }

    var points: [Int: Installed] = [:]
    /// /proc/PID/stat's start time when the points were set: the guardian's
    /// check that the pid still names this process.
    var startTime: UInt64
    /// A vfork child: its memory is its parent's until it execs, so its
    /// points are the parent's and are never written through it.
    var sharesParentMemory = false

    func point(trappingAt address: UInt64) -> Installed? {
        points.values.first { !$0.removed && $0.spec.address == address }
    }

    /// The point whose displaced copy holds `pc`, if any.
    func point(withCopyContaining pc: UInt64) -> Installed? {
        points.values.first { pc >= $0.spec.copyAddress && pc < $0.spec.copyAddress + UInt64($0.spec.copyCode.count) }
    }

    var isEmpty: Bool { points.isEmpty }
}
