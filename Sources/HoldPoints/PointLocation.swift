/// Where a hold point goes, as the user wrote it (gdb's linespec forms).
public enum PointLocation: Equatable, Sendable, CustomStringConvertible {
    /// `FUNCTION` or `MODULE:FUNCTION`: a symbol, as printed (demangled) or raw.
    case function(name: String, module: String?)
    /// `FILE:LINE`: FILE a basename or a path suffix.
    case line(file: String, line: Int)
    /// `*0xADDRESS`: a runtime address.
    case address(UInt64)

    public var description: String {
        switch self {
        case .function(let name, let module?): "\(module):\(name)"
        case .function(let name, nil): name
        case .line(let file, let line): "\(file):\(line)"
        case .address(let address): "*0x\(String(address, radix: 16))"
        }
    }
}
