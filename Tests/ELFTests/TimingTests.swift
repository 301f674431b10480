import Foundation
import Testing
@testable import ELF

/// Prints parse and lookup times for big real symbol tables; asserts only
/// loose bounds (debug builds are slow), the numbers are for the report.
/// Run with `swift test -c release --filter TimingTests` for real figures.
@Suite(.serialized) struct TimingTests {
    static let candidates = [
        libcPath,
        installedLibcDebugFile ?? libcPath,
        "/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1",
        "/usr/bin/node",
    ]

    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    @Test func symbolTableTimings() throws {
        for path in Set(Self.candidates).sorted() where FileManager.default.fileExists(atPath: path) {
            let clock = ContinuousClock()
            var file: ELFFile!
            let open = clock.measure { file = try? ELFFile.open(path: path) }
            let f = try #require(file)
            var table = SymbolTable.empty
            let build = clock.measure { table = (try? f.symbols) ?? .empty }
            #expect(table.count > 1000)
            var nameBytes = 0
            let decode = clock.measure { for symbol in table { nameBytes += symbol.name.utf8.count } }
            var rng = SeededRNG(seed: 7)
            let low = table.first!.value, high = table.last!.end
            var hits = 0
            let lookups = 200_000
            let lookup = clock.measure {
                for _ in 0 ..< lookups {
                    if table.index(containing: UInt64.random(in: low ... high, using: &rng)) != nil { hits += 1 }
                }
            }
            var namedHits = 0
            let named = clock.measure { namedHits = table.symbols(named: "malloc").count }
            print(String(format: "timing %@: open %.2f ms, %d symbols built in %.2f ms, all names decoded in %.2f ms (%d bytes), %d lookups in %.2f ms (%.0f ns each, %d hits), symbols(named:) %.2f ms (%d)",
                         path, seconds(open) * 1e3, table.count, seconds(build) * 1e3, seconds(decode) * 1e3, nameBytes,
                         lookups, seconds(lookup) * 1e3, seconds(lookup) / Double(lookups) * 1e9, hits, seconds(named) * 1e3, namedHits))
            #expect(seconds(build) < 10)
            #expect(hits > 0)
        }
    }
}
