/// One function of a pclntab: its pc range and the fields an unwinder and
/// a symbolizer need. Offsets refer into the table it came from.
public struct GoFunction: Sendable, Equatable {
    /// The table's position of this function, in entry order.
    public let index: Int
    /// The first pc, as a link-time (file) address.
    public let entry: UInt64
    /// The next function's entry: this one's code ends before it.
    public let end: UInt64
    /// Into funcnametab.
    let nameOffset: UInt32
    /// Into pctab: the pc-to-sp-delta table.
    let pcspOffset: UInt32
    /// runtime funcID (its numbering differs between Go releases).
    public let funcID: UInt8
    public let flags: GoFunctionFlags
    /// Where its `_func` record starts in the table.
    let recordOffset: Int
    /// How many pcdata tables and funcdata pointers follow the record.
    let pcdataCount: UInt32
    let funcdataCount: UInt8

    public func contains(_ pc: UInt64) -> Bool { pc >= entry && pc < end }
}
