/// A variable in the target that lwpscope can set to hold threads at a point.
public struct HoldFlagRow: Hashable, Sendable, Identifiable {
    public var name: String
    /// Full path of the module defining it; the pane shows its file name.
    public var module: String
    public var value: UInt64
    public var size: Int
    public var address: UInt64
    public var heldThreadCount: Int

    /// The address: two modules may both define a flag of the same name.
    public var id: UInt64 { address }

    public init(name: String, module: String, value: UInt64, size: Int, address: UInt64, heldThreadCount: Int = 0) {
        self.name = name
        self.module = module
        self.value = value
        self.size = size
        self.address = address
        self.heldThreadCount = heldThreadCount
    }
}
