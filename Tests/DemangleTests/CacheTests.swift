import Testing
@testable import Demangle

@Suite struct CacheTests {
    @Test func storesAndFindsValues() {
        let cache = DemangleCache(capacity: 8)
        #expect(cache.value(for: "_Z1fv") == nil)
        cache.store("f()", for: "_Z1fv")
        #expect(cache.value(for: "_Z1fv") == "f()")
    }

    @Test func staysWithinItsCapacity() {
        let cache = DemangleCache(capacity: 100)
        for index in 0..<10_000 { cache.store("v\(index)", for: "k\(index)") }
        #expect(cache.count <= 100)
        // The newest entries are still there; the oldest are gone.
        #expect(cache.value(for: "k9999") == "v9999")
        #expect(cache.value(for: "k0") == nil)
    }

    @Test func namesInUseSurviveChurn() {
        let cache = DemangleCache(capacity: 100)
        cache.store("hot", for: "hot")
        for index in 0..<1_000 {
            cache.store("v\(index)", for: "k\(index)")
            // A frame seen in every backtrace keeps being promoted.
            #expect(cache.value(for: "hot") == "hot", "lost after \(index) insertions")
        }
    }

    @Test func concurrentUseGivesTheSameAnswersAsSerialUse() async {
        let names = FuzzTests.seeds + FuzzTests.inputs(count: 500)
        let serial = names.map(Demangler.demangleUncached)
        let results = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<16 {
                group.addTask { names.map(Demangler.demangle) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 16)
        for result in results { #expect(result == serial) }
    }
}
