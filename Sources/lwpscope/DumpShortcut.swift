/// `lwpscope dump PID`, with `--json` or `--no-arguments` or both, read
/// without ArgumentParser: building its tree of commands and options costs
/// 2.5 ms of type metadata and protocol conformance lookups, a fifth of a
/// 1-thread dump, and these are the forms a script runs in a loop. Anything
/// else (another option, `--help`, a pid that is not all digits, a flag
/// given twice) is left to ArgumentParser, which reads and reports it.
enum DumpShortcut {
    static func request(_ arguments: ArraySlice<String>) -> DumpRequest? {
        guard arguments.first == "dump", (2...4).contains(arguments.count) else { return nil }
        var pid: Int32?
        var json = false, noArguments = false
        for argument in arguments.dropFirst() {
            switch argument {
            case "--json" where !json: json = true
            case "--no-arguments" where !noArguments: noArguments = true
            default:
                guard pid == nil, !argument.isEmpty, argument.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                      let value = Int32(argument) else { return nil }
                pid = value
            }
        }
        guard let pid else { return nil }
        return DumpRequest(pid: pid, json: json, noArguments: noArguments)
    }
}
