import Foundation
import Testing
import TestSupport

/// Go built as services ship it: with DWARF, with `-ldflags=-w` (no DWARF,
/// so no CFI) and `-ldflags='-s -w'` (no .symtab either). The pclntab must
/// name and unwind what DWARF did: every caller/callee pair the stripped
/// builds show occurs in the default build's, and no frame is unnamed.
///
/// Threads, not goroutines: a parked goroutine is not on any thread, so the
/// threads show the Ms (idle ones in futex, sysmon, the poller's in
/// epollwait) and the goroutines wired to threads (LockOSThread).
@Suite(.serialized, .timeLimit(.minutes(8))) struct GoBacktraceTests {
    let lwpscope = BuiltProducts.path("lwpscope")
    /// Runs of the default build a pair may be looked for in: a state that
    /// did not come up in this many is not one the default build shows.
    static let maxReferenceRuns = 8
    /// Where Go's stacks end for its traceback: the top of a thread or a
    /// goroutine, or a function that switched stacks (mcall, systemstack).
    static let stackEnds: Set<String> = ["runtime.mstart", "runtime.goexit", "runtime.rt0_go",
                                         "runtime.mcall", "runtime.systemstack", "runtime.morestack"]

    /// A running Go program's threads, once all its goroutines are parked
    /// and its threads asleep (the M that printed "ready" still has to park).
    func dump(_ child: ChildProcess) throws -> DumpOutput {
        var asleep = 0
        for _ in 0..<100 where asleep < 3 {
            let states = TaskStates.of(child.pid)
            asleep = !states.isEmpty && states.allSatisfy({ $0.state == .sleeping }) ? asleep + 1 : 0
            usleepMillis(20)
        }
        let result = try run(lwpscope, ["dump", String(child.pid), "--json"])
        try #require(result.exitCode == 0, "\(result.stderr)")
        return try DumpOutput.decode(result.stdout)
    }

    func start(_ binary: String) throws -> ChildProcess {
        let child = try ChildProcess(path: binary)
        try child.waitForLine(startingWith: "ready")
        return child
    }

    static func describe(_ output: DumpOutput) -> String {
        output.threads.map { "\($0.tid): " + $0.frames.map { $0.function ?? "?? (\($0.module ?? "-")+0x\(String($0.offset ?? 0, radix: 16)))" }.joined(separator: " < ") }
            .joined(separator: "\n")
    }

    static func hasChain(_ chain: [String], in output: DumpOutput) -> Bool {
        output.threads.contains { thread in
            let names = thread.frames.map(\.function)
            return names.indices.contains { start in
                start + chain.count <= names.count && zip(names[start...], chain).allSatisfy { $0 == $1 }
            }
        }
    }

    @Test func strippedBuildsShowOnlyPairsTheDefaultBuildShows() throws {
        let directory = try makeTempDirectory("go-backtraces")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let binaries = try GoPrograms.build("goprog.go", into: directory)

        // The reference: the default build. Which states its idle Ms park in
        // differs from run to run (the poller's M may have come from a
        // syscall's exit, or from a goroutine's park), so a pair our dump
        // shows and this run lacks is looked for in further runs too.
        var referencePairs = CallerCalleePairs()
        var referenceRuns = 0
        func addReferenceRun() throws {
            let reference = try start(try #require(binaries[.withDWARF]))
            let output = try dump(reference)
            referencePairs.formUnion(CallerCalleePairs(output.threads))
            referenceRuns += 1
            try expectCompleteStacks(output, .withDWARF)
            #expect(TaskStates.untraced(reference.pid))
        }
        try addReferenceRun()
        #expect(referencePairs.unnamed.isEmpty, "default: unnamed frames \(referencePairs.unnamed)")
        let futexPairs = [CallerCalleePairs.Pair(callee: "runtime.futex", caller: "runtime.futexsleep"),
                          CallerCalleePairs.Pair(callee: "runtime.futexsleep", caller: "runtime.notesleep")]
        #expect(referencePairs.pairs.isSuperset(of: futexPairs), "\(referencePairs.pairs.sorted())")

        for mode in [GoLinkMode.withoutDWARF, .stripped] {
            let child = try start(try #require(binaries[mode]))
            let output = try dump(child)
            #expect(TaskStates.untraced(child.pid))
            let ours = CallerCalleePairs(output.threads)
            var agreement = ours.agreement(with: referencePairs)
            while !agreement.missing.isEmpty, referenceRuns < Self.maxReferenceRuns {
                try addReferenceRun()
                agreement = ours.agreement(with: referencePairs)
            }
            print("GoBacktraceTests: \(mode): \(agreement.agreed) of \(agreement.total) caller/callee pairs occur in the default build's "
                + "(\(referencePairs.pairs.count) pairs from \(referenceRuns) runs)")
            #expect(agreement.missing.isEmpty, "\(mode): pairs the default build never shows: \(agreement.missing)\n\(Self.describe(output))")
            #expect(ours.unnamed.isEmpty, "\(mode): unnamed frames \(ours.unnamed)\n\(Self.describe(output))")
            #expect(agreement.total >= 15, "\(mode): \(agreement.total) pairs\n\(Self.describe(output))")
            // The frame -w used to lose, and the poller's caller.
            #expect(Self.hasChain(["runtime.futex", "runtime.futexsleep", "runtime.notesleep"], in: output), "\(mode)\n\(Self.describe(output))")
            #expect(Self.hasChain(["runtime.epollwait", "runtime.netpoll", "runtime.findRunnable"], in: output), "\(mode)\n\(Self.describe(output))")
            // The goroutine locked to its thread, in read(2), out to its goroutine's top.
            #expect(Self.hasChain(["syscall.read", "syscall.Read", "main.readOnLockedThread", "main.main.func4", "runtime.goexit"], in: output),
                    "\(mode)\n\(Self.describe(output))")
            try expectCompleteStacks(output, mode)
        }
    }

    /// Every thread's stack reaches a place where Go's own traceback ends,
    /// and no name keeps the linker's ABI suffix.
    func expectCompleteStacks(_ output: DumpOutput, _ mode: GoLinkMode) throws {
        #expect(output.threads.count >= 4, "\(mode): \(output.threads.count) threads")
        for thread in output.threads {
            let last = thread.frames.last?.function ?? "??"
            #expect(Self.stackEnds.contains(last), "\(mode): thread \(thread.tid) ends in \(last)\n\(Self.describe(output))")
            for case let name? in thread.frames.map(\.function) {
                #expect(!name.hasSuffix(".abi0") && !name.hasSuffix(".abiinternal"), "\(mode): \(name)")
            }
        }
    }

    /// gdb names Go functions from DWARF; ours, in each build, are the same
    /// names: every name we show is one gdb shows on the default build.
    @Test(.enabled(if: GDBReference.isAvailable, "gdb is not installed (scripts/setup installs it)"))
    func namesAreTheOnesGDBShowsFromDWARF() throws {
        let directory = try makeTempDirectory("go-names")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let binaries = try GoPrograms.build("goprog.go", into: directory)
        let reference = try start(try #require(binaries[.withDWARF]))
        _ = try dump(reference)
        let gdbNames = Set(try GDBReference.backtraces(of: reference.pid).flatMap(\.functionNames).compactMap { $0 })
        #expect(TaskStates.untraced(reference.pid))
        #expect(gdbNames.contains("runtime.futex") && gdbNames.contains("main.readOnLockedThread"), "\(gdbNames.sorted())")
        for mode in GoLinkMode.allCases {
            let child = mode == .withDWARF ? reference : try start(try #require(binaries[mode]))
            let ours = Set(try dump(child).threads.flatMap(\.frames).compactMap(\.function))
            #expect(ours.contains("runtime.futex"))
            #expect(ours.subtracting(gdbNames).isEmpty, "\(mode): names gdb does not show: \(ours.subtracting(gdbNames).sorted())")
        }
    }
}

/// The measure itself must fail on a wrong answer.
@Suite struct CallerCalleePairsTests {
    static func thread(_ names: [String?]) -> DumpThread {
        DumpThread(tid: 1, frames: names.enumerated().map { DumpFrame(index: $0.offset, pc: 0x1000, function: $0.element) })
    }

    let reference = CallerCalleePairs([thread(["runtime.futex", "runtime.futexsleep", "runtime.notesleep", "runtime.stopm"])])

    @Test func aLostFrameIsAPairTheReferenceLacks() {
        let ours = CallerCalleePairs([Self.thread(["runtime.futex", "runtime.notesleep", "runtime.stopm"])])
        let agreement = ours.agreement(with: reference)
        #expect(agreement.missing == [.init(callee: "runtime.futex", caller: "runtime.notesleep")])
        #expect(agreement.agreed == 1 && agreement.total == 2)
    }

    @Test func aWrongCallerIsAPairTheReferenceLacks() {
        let ours = CallerCalleePairs([Self.thread(["runtime.futex", "runtime.futexsleep", "runtime.sysmon"])])
        #expect(!ours.agreement(with: reference).missing.isEmpty)
    }

    @Test func anUnnamedFrameIsCounted() {
        let ours = CallerCalleePairs([Self.thread(["runtime.futex", nil, "runtime.notesleep"])])
        #expect(ours.unnamed == ["1#1"])
        #expect(ours.agreement(with: reference).total == 0)
    }

    @Test func theSameFramesAgree() {
        let ours = CallerCalleePairs([Self.thread(["runtime.futexsleep", "runtime.notesleep"])])
        #expect(ours.agreement(with: reference).missing.isEmpty)
        #expect(ours.unnamed.isEmpty)
    }
}
