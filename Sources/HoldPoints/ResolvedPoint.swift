import ELF

/// One address a location resolved to in a process.
public struct ResolvedPoint: Equatable, Sendable {
    public var runtimeAddress: RuntimeAddress
    /// The module's path as the process maps it.
    public var module: String
    /// The function containing the address (demangled), when named.
    public var function: String?
    public var file: String?
    public var line: Int?

    public init(runtimeAddress: RuntimeAddress, module: String, function: String?, file: String?, line: Int?) {
        self.runtimeAddress = runtimeAddress
        self.module = module
        self.function = function
        self.file = file
        self.line = line
    }
}
