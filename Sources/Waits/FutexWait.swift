/// Names what a futex wait is (a mutex, a condition variable, or a bare
/// futex) and, for a mutex, which thread holds it.
///
/// The evidence, strongest first: the thread's own frames (glibc's lock and
/// condvar functions); a priority-inheritance op, whose word holds the
/// owner's tid by the kernel's contract; a word laid out as a locked glibc
/// pthread_mutex_t whose owner field names a live thread of the process;
/// last, FUTEX_WAIT_BITSET with the match-any bitset, which glibc 2.34+
/// uses for condition variables but also for semaphores, rwlocks, barriers
/// and pthread_join, so "condvar" from it alone is a likely guess, not a fact.
struct FutexWait {
    let world: WaitWorld

    static let mutexFunctions: Set<String> = [
        "pthread_mutex_lock", "__pthread_mutex_lock", "___pthread_mutex_lock", "__pthread_mutex_lock_full",
        "__lll_lock_wait", "pthread_mutex_timedlock", "__pthread_mutex_timedlock", "pthread_mutex_clocklock",
        "__pthread_mutex_clocklock_common", "__pthread_mutex_cond_lock", "___pthread_mutex_timedlock",
    ]
    static let condvarFunctions: Set<String> = [
        "pthread_cond_wait", "__pthread_cond_wait", "pthread_cond_timedwait", "__pthread_cond_timedwait",
        "pthread_cond_clockwait", "__pthread_cond_clockwait", "__pthread_cond_wait_common",
        // glibc 2.34+ implements the versioned symbols under three underscores.
        "___pthread_cond_wait", "___pthread_cond_timedwait", "___pthread_cond_clockwait",
    ]

    /// glibc x86_64 pthread_mutex_t: int __lock at +0, unsigned __count +4,
    /// int __owner +8 (the owner's tid, for normal mutexes too), __nusers +12, __kind +16.
    struct MutexWords {
        var lock: Int32
        var owner: Int32

        /// Locked (1) or locked with waiters (2), by someone who is a thread of the process.
        func looksLocked(byThreadOf pid: Int32, world: WaitWorld) -> Bool {
            (1...2).contains(lock) && owner > 0 && world.isLiveThread(pid: pid, tid: owner)
        }
    }

    enum FrameEvidence { case mutex, condvar }

    /// The innermost frame that is a lock or condvar function decides: a
    /// condvar wait re-taking its mutex is a mutex wait.
    static func evidence(in frames: [String]?) -> FrameEvidence? {
        for label in frames ?? [] {
            for word in identifiers(in: label).map(String.init) {
                if mutexFunctions.contains(word) { return .mutex }
                if condvarFunctions.contains(word) { return .condvar }
            }
        }
        return nil
    }

    /// "___pthread_mutex_lock+0x65" and "inline __lll_lock_wait" name their function among these words.
    static func identifiers(in label: String) -> [Substring] {
        label.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
    }

    func resolve(_ call: FutexCall, pid: Int32, frames: [String]?, into wait: inout ThreadWait, notes: inout [String]) {
        let address = "0x" + String(call.address, radix: 16)
        let fromFrames = Self.evidence(in: frames)
        if call.operation.holdsOwnerInWord {
            wait.object = .mutex
            guard let word = world.memory.words32(pid: pid, address: call.address, count: 1)?.first else {
                notes.append("PI futex word at \(address) unreadable")
                return
            }
            setOwner(Int32(bitPattern: word & FutexOperation.tidMask), pid: pid, into: &wait, notes: &notes)
            return
        }
        let words = world.memory.words32(pid: pid, address: call.address, count: 5)
        let mutex = words.map { MutexWords(lock: Int32(bitPattern: $0[0]), owner: Int32(bitPattern: $0[2])) }
        let mutexLike = mutex?.looksLocked(byThreadOf: pid, world: world) ?? false
        switch fromFrames {
        case .mutex:
            wait.object = .mutex
        case .condvar:
            wait.object = .condvar
            return
        case nil where mutexLike:
            wait.object = .mutex
        case nil:
            let anyBitset = call.operation.command == FutexOperation.waitBitset && call.value3 == FutexOperation.bitsetMatchAny
            wait.object = anyBitset && words != nil ? .condvar : .futex
            if words == nil { notes.append("futex word at \(address) unreadable") }
            return
        }
        guard let mutex else {
            notes.append("mutex at \(address) unreadable")
            return
        }
        guard mutex.lock != 0 else {
            notes.append("mutex at \(address) is unlocked (released meanwhile)")
            return
        }
        setOwner(mutex.owner, pid: pid, into: &wait, notes: &notes)
    }

    private func setOwner(_ tid: Int32, pid: Int32, into wait: inout ThreadWait, notes: inout [String]) {
        guard tid > 0 else {
            notes.append("mutex names no owner")
            return
        }
        guard world.isLiveThread(pid: pid, tid: tid) else {
            notes.append("mutex owner \(tid) is not a live thread of \(pid)")
            return
        }
        wait.owner = tid
        wait.ownerPid = pid
        wait.ownerName = world.threadName(pid: pid, tid: tid)
    }
}
