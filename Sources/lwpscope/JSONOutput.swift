import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Writes an Encodable as JSON on stdout, with stable key order.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    var data = try encoder.encode(value)
    data.append(UInt8(ascii: "\n"))
    // Straight to the descriptor: what print() buffered so far goes first.
    fflush(nil)
    data.withUnsafeBytes { bytes in
        var done = 0
        while done < bytes.count {
            let wrote = write(STDOUT_FILENO, bytes.baseAddress! + done, bytes.count - done)
            if wrote < 0, errno == EINTR { continue }
            guard wrote > 0 else { return }
            done += wrote
        }
    }
}

func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
