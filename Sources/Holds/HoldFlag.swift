import ELF
import Paths

/// A variable threads are parked on (`while (hold);`), found in one loaded
/// instance of a module.
public struct HoldFlag: Sendable, Hashable, CustomStringConvertible {
    /// Where the variable was declared, as far as its symbol tells.
    public enum Scope: Sendable, Hashable {
        /// File scope, external linkage (STB_GLOBAL or STB_WEAK).
        case global
        /// File scope, `static` (STB_LOCAL without a function in its name).
        case fileStatic
        /// `static` inside a function: gcc's `hold.N`, clang's `FUNCTION.hold`.
        case functionStatic
    }

    /// As in the symbol table: `hold`, `hold.0`, `spin_on_static_hold.hold`.
    public var name: String
    /// The variable's name in the source: `hold` for all three above.
    public var variableName: String
    /// The functions a function-static belongs to: from clang's name, or for
    /// gcc's `hold.N` the functions whose code uses it (several when inlined).
    public var owners: [String]
    public var scope: Scope
    /// The module's path as /proc/PID/maps names it.
    public var modulePath: String
    /// Where the variable is in the process, as a number for display and
    /// for the engine's reads and writes (`runtimeAddress` is the same).
    public var address: UInt64
    /// Where the variable is in the file (st_value).
    public var linkAddress: FileAddress
    /// 1, 2, 4 or 8 bytes.
    public var size: Int

    public init(name: String, variableName: String, owners: [String], scope: Scope, modulePath: String,
                address: UInt64, linkAddress: FileAddress, size: Int) {
        self.name = name
        self.variableName = variableName
        self.owners = owners
        self.scope = scope
        self.modulePath = modulePath
        self.address = address
        self.linkAddress = linkAddress
        self.size = size
    }

    public var runtimeAddress: RuntimeAddress { RuntimeAddress(address) }

    /// The load bias of the module instance the flag is in.
    public var loadBias: LoadBias { LoadBias(runtime: runtimeAddress, file: linkAddress) }

    /// The module's file name, for short listings.
    public var moduleName: String {
        Path.basename(modulePath)
    }

    /// What to show a user: `hold`, or `hold (in spin_on_static_hold)` for a
    /// function-static; the raw name when gcc's owner could not be found.
    public var displayName: String {
        guard scope == .functionStatic else { return name }
        if owners.isEmpty { return name }
        return "\(variableName) (in \(owners.joined(separator: ", ")))"
    }

    public var description: String {
        "\(displayName) [\(moduleName) 0x\(String(address, radix: 16)), \(size) bytes]"
    }

    /// The bytes the variable occupies in the process.
    public var addressRange: Range<RuntimeAddress> { runtimeAddress ..< runtimeAddress + UInt64(size) }
    /// The bytes the variable occupies in the file's address space.
    public var linkRange: Range<FileAddress> { linkAddress ..< linkAddress + UInt64(size) }

    /// Sizes a flag read/written as one integer can have.
    static func isSupportedSize(_ size: UInt64) -> Bool {
        size == 1 || size == 2 || size == 4 || size == 8
    }
}
