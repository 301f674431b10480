/// A futex(2) call's arguments: the word waited on and what kind of wait.
struct FutexCall: Equatable, Sendable {
    var address: UInt64
    var operation: FutexOperation
    /// The value the word was expected to hold (FUTEX_WAIT's val).
    var value: UInt32
    /// FUTEX_WAIT_BITSET's bitset.
    var value3: UInt32
}

/// futex(2)'s op argument, from linux/futex.h.
struct FutexOperation: Equatable, Sendable {
    var raw: UInt32

    static let privateFlag: UInt32 = 128
    static let clockRealtime: UInt32 = 256
    static let wait: UInt32 = 0
    static let lockPI: UInt32 = 6
    static let waitBitset: UInt32 = 9
    static let waitRequeuePI: UInt32 = 11
    static let lockPI2: UInt32 = 13
    static let bitsetMatchAny: UInt32 = 0xffff_ffff
    /// A PI futex word's owner tid (FUTEX_TID_MASK); the top bits are WAITERS and OWNER_DIED.
    static let tidMask: UInt32 = 0x3fff_ffff

    /// The command with the private and clock flags masked off.
    var command: UInt32 { raw & ~(Self.privateFlag | Self.clockRealtime) }

    /// Priority-inheritance waits: the kernel keeps the owner's tid in the word.
    var holdsOwnerInWord: Bool { [Self.lockPI, Self.lockPI2, Self.waitRequeuePI].contains(command) }
}
