/// Register values indexed by DWARF register number, each known or unknown.
/// Storage is a fixed-size array plus a bit mask, so a register set can be
/// reused across frames without allocating.
public struct UnwindRegisters: Equatable, Sendable {
    public let architecture: UnwindArchitecture
    @usableFromInline var values: [UInt64]
    @usableFromInline var known: UInt64 = 0

    public init(architecture: UnwindArchitecture = .x86_64) {
        self.architecture = architecture
        values = [UInt64](repeating: 0, count: architecture.registerCount)
    }

    public var count: Int { values.count }

    /// The value of register `number`, or nil if unknown or not tracked.
    @inlinable
    public subscript(number: Int) -> UInt64? {
        get {
            guard number >= 0, number < values.count, known & (1 << UInt64(number)) != 0 else { return nil }
            return values[number]
        }
        set {
            guard number >= 0, number < values.count else { return }
            if let v = newValue {
                values[number] = v
                known |= 1 << UInt64(number)
            } else {
                values[number] = 0
                known &= ~(1 << UInt64(number))
            }
        }
    }

    public func isKnown(_ number: Int) -> Bool { self[number] != nil }

    /// Forgets every register, keeping the storage.
    public mutating func clear() {
        known = 0
        for i in values.indices { values[i] = 0 }
    }

    /// Copies `other`'s values into this set's storage (no allocation when the
    /// storage is uniquely held and the architectures match).
    public mutating func assign(from other: UnwindRegisters) {
        guard other.values.count == values.count else { self = other; return }
        for i in values.indices { values[i] = other.values[i] }
        known = other.known
    }

    public var pc: UInt64? {
        get { self[architecture.programCounter] }
        set { self[architecture.programCounter] = newValue }
    }
    public var sp: UInt64? {
        get { self[architecture.stackPointer] }
        set { self[architecture.stackPointer] = newValue }
    }
    public var fp: UInt64? {
        get { self[architecture.framePointer] }
        set { self[architecture.framePointer] = newValue }
    }
}

extension UnwindRegisters {
    /// x86_64 registers by name, for callers that hold a `user_regs_struct`.
    public static func x86_64(rip: UInt64, rsp: UInt64, rbp: UInt64? = nil,
                              rbx: UInt64? = nil, r12: UInt64? = nil, r13: UInt64? = nil,
                              r14: UInt64? = nil, r15: UInt64? = nil) -> UnwindRegisters {
        var r = UnwindRegisters(architecture: .x86_64)
        r[16] = rip
        r[7] = rsp
        r[6] = rbp
        r[3] = rbx
        r[12] = r12
        r[13] = r13
        r[14] = r14
        r[15] = r15
        return r
    }
}
