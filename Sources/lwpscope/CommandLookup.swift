#if canImport(Glibc)
import Glibc
#endif

/// Whether `run` can start a command, said before anything is started: the
/// starter would only find out after it had been traced.
enum CommandLookup {
    /// nil when the command's program exists and is executable; else why not.
    static func problem(_ command: [String]) -> String? {
        guard let program = command.first, !program.isEmpty else { return "run needs a command after --" }
        if program.contains("/") {
            return access(program, X_OK) == 0 ? nil : "cannot run \(program): \(String(cString: strerror(errno)))"
        }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + program
            if access(candidate, X_OK) == 0 { return nil }
        }
        return "cannot run \(program): not found in PATH"
    }
}
