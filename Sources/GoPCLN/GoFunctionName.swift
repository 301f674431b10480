/// Go function names as gdb shows them from DWARF: the linker's ABI
/// suffixes (`runtime.futex.abi0`, `….abiinternal`), which only .symtab
/// spells, left off.
public enum GoFunctionName {
    static let abiSuffixes = [".abi0", ".abiinternal"]

    public static func withoutABISuffix(_ name: String) -> String {
        for suffix in abiSuffixes where name.hasSuffix(suffix) && name.count > suffix.count {
            return String(name.dropLast(suffix.count))
        }
        return name
    }
}
