/// Other spellings of a symbol, from the toolchains' own demanglers: binutils'
/// `c++filt` for Itanium C++ (`_Z...`) and the Swift toolchain's
/// `swift-demangle` for Swift (`$s...`), in its full and its simplified form
/// (`fixture_swift.spinOnHold() -> ()` and `spinOnHold()`). gdb prints Swift
/// symbols mangled and symbol tables hold C++ ones mangled; the scorer reads
/// them through these tools, never through lwpscope's own demangler.
public enum ExternalDemangler {
    /// `name` itself, then whatever the demanglers make of it.
    public static func spellings(of name: String) -> [String] {
        cache.value(for: name) {
            var spellings = [name]
            if name.hasPrefix("_Z"), let cxxfilt = findExecutable("c++filt") {
                spellings += demangled(by: cxxfilt, [], name)
            } else if isSwiftSymbol(name), let swiftDemangle = findExecutable("swift-demangle") {
                spellings += demangled(by: swiftDemangle, ["--compact"], name)
                spellings += demangled(by: swiftDemangle, ["--compact", "--simplified"], name)
            }
            return spellings
        }
    }

    static func isSwiftSymbol(_ name: String) -> Bool {
        ["$s", "$S", "_T0", "$e"].contains { name.hasPrefix($0) }
    }

    private static let cache = LockedCache<String, [String]>()

    private static func demangled(by tool: String, _ options: [String], _ name: String) -> [String] {
        guard let result = try? run(tool, options + [name]), result.exitCode == 0 else { return [] }
        let text = result.stdout.split(separator: "\n").first.map(String.init) ?? ""
        return text.isEmpty || text == name ? [] : [text]
    }
}
