/// A row of pane 4: a variable in the target that lwpscope can set to hold
/// threads (a hold flag), or a hold point lwpscope has set (`pointID`).
public struct HoldFlagRow: Hashable, Sendable, Identifiable {
    public var name: String
    /// Full path of the module defining it; the pane shows its file name.
    public var module: String
    public var value: UInt64
    public var size: Int
    public var address: UInt64
    public var heldThreadCount: Int
    /// A hold point's id: the row stands for the point, `name` is its
    /// location as written, and Space removes it.
    public var pointID: Int?

    /// The address: two modules may both define a flag of the same name; a
    /// point and a flag never share one (a flag is data, a point code).
    public var id: UInt64 { address }

    public var isPoint: Bool { pointID != nil }

    /// VAL: a flag's value; `@` for a point, which has none.
    public var valueText: String { isPoint ? "@" : "\(value)" }

    /// Drawn as holding: a set flag, or a point with threads parked.
    public var isHolding: Bool { isPoint ? heldThreadCount > 0 : value != 0 }

    public init(name: String, module: String, value: UInt64, size: Int, address: UInt64, heldThreadCount: Int = 0) {
        self.name = name
        self.module = module
        self.value = value
        self.size = size
        self.address = address
        self.heldThreadCount = heldThreadCount
    }

    /// A hold point's row.
    public init(point id: Int, location: String, module: String, address: UInt64, parkedThreadCount: Int) {
        self.init(name: location, module: module, value: 0, size: 1, address: address,
                  heldThreadCount: parkedThreadCount)
        pointID = id
    }
}
