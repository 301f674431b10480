#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser

/// Prints one line to stderr and exits non-zero: how every command reports failure.
func fail(_ message: CustomStringConvertible) -> ExitCode {
    var line = "lwpscope: \(message)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    return ExitCode(1)
}
