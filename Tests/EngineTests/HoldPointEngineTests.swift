import Engine
import ProcFS
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Hold points through the engine alone, on fixture-points: parking, one
/// release, threads a glob leaves alone, a forked child, and leaving
/// everything as it was. The displaced copy is built by hand here for the
/// function's first instruction, `push %rbp` (the test checks it is).
@Suite(.serialized, .ownThreads, .timeLimit(.minutes(8))) struct HoldPointEngineTests {
    struct Placed {
        let address: UInt64
        let spec: HoldPointSpec
        let originalCode: [UInt8]
        let originalPadding: [UInt8]
    }

    /// A point on point_target's `push %rbp`, its copy `push %rbp; jmp A+1` in the padding.
    func place(_ fixture: PointFixture, id: Int = 1, pattern: String? = nil) throws -> Placed {
        let address = try fixture.runtimeAddress(of: "point_target")
        let code = try #require(TraceEngine.readCode(fixture.pid, address, count: 16))
        try #require(code[0] == 0x55, "point_target no longer starts with push %rbp: \(code)")
        let copyAddress = try fixture.paddingAfterCode()
        let back = Int64(bitPattern: address + 1) - Int64(bitPattern: copyAddress + 6)
        let rel = UInt32(truncatingIfNeeded: back)
        let copy: [UInt8] = [0x55, 0xE9] + (0..<4).map { UInt8(truncatingIfNeeded: rel >> (8 * $0)) }
        let padding = try #require(TraceEngine.readCode(fixture.pid, copyAddress, count: copy.count))
        let spec = HoldPointSpec(id: id, address: address, copyAddress: copyAddress, copyCode: copy, threadPattern: pattern)
        return Placed(address: address, spec: spec, originalCode: code, originalPadding: padding)
    }

    func parkedTids(_ engine: TraceEngine) async -> Set<Int32> {
        Set(await engine.parkedThreads().map(\.tid))
    }

    func waitFor(_ seconds: Double, _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            usleepMillis(10)
        }
        return await condition()
    }

    @Test func callersParkTheOtherRunsOnAndOneReleaseIsOneMoreCall() async throws {
        let fixture = try PointFixture()
        defer { fixture.stop() }
        #expect(waitUntil(timeout: 5) { fixture.callers().count == 5 })
        let callers = fixture.callers().filter { $0.value.hasPrefix("caller-") }.map(\.key)
        let other = try #require(fixture.callers().first { $0.value == "other-1" }?.key)
        let engine = TraceEngine()
        try await engine.attach(fixture.pid)
        let placed = try place(fixture, pattern: "caller-*")
        try await engine.installPoint(fixture.pid, placed.spec)

        let allParked = await waitFor(1.0) { await parkedTids(engine) == Set(callers) }
        let parked = await parkedTids(engine)
        #expect(allParked, "parked \(parked), callers \(callers)")
        let frozen = callers.map(fixture.calls)
        let otherBefore = fixture.calls(other)
        usleepMillis(200)
        #expect(callers.map(fixture.calls) == frozen, "a parked caller went on calling")
        #expect(fixture.calls(other) >= otherBefore + 3, "other-1 should run through the point")

        // Parked threads are shown at the point itself, not on the copy.
        let snapshot = try await engine.snapshot(fixture.pid)
        for tid in callers {
            #expect(snapshot.threads.first { $0.tid == tid }?.registers?.pc == placed.address)
        }

        let chosen = callers[0]
        let released = await engine.releaseFromPoint(chosen)
        #expect(released)
        let parkedAgain = await waitFor(1.0) {
            guard fixture.calls(chosen) == frozen[0] + 1 else { return false }
            return await parkedTids(engine).contains(chosen)
        }
        #expect(parkedAgain, "released \(chosen): \(fixture.calls(chosen)) calls, was \(frozen[0])")
        usleepMillis(100)
        #expect(fixture.calls(chosen) == frozen[0] + 1, "one release is one call")
        #expect(callers.dropFirst().map(fixture.calls) == Array(frozen.dropFirst()))

        await engine.close()
        #expect(TraceEngine.readCode(fixture.pid, placed.address, count: 16) == placed.originalCode)
        #expect(TraceEngine.readCode(fixture.pid, placed.spec.copyAddress, count: placed.spec.copyCode.count) == placed.originalPadding)
        #expect(TaskStates.untraced(fixture.pid), "\(TaskStates.of(fixture.pid))")
        let after = callers.map(fixture.calls)
        #expect(waitUntil(timeout: 2) { zip(callers.map(fixture.calls), after).allSatisfy { $0 > $1 } }, "callers must run on")
    }

    @Test func aChildForkedWithThePointSetParksAndIsRestoredAtTheEnd() async throws {
        let fixture = try PointFixture(arguments: ["--callers", "1", "--others", "0"])
        defer { fixture.stop() }
        let engine = TraceEngine()
        try await engine.attach(fixture.pid)
        let placed = try place(fixture, pattern: "child-caller")
        try await engine.installPoint(fixture.pid, placed.spec)
        let child = try fixture.forkChild()
        let childParked = await waitFor(2.0) { await engine.parkedThreads().contains { $0.pid == child && $0.tid == child } }
        let parked = await engine.parkedThreads()
        #expect(childParked, "the child was not parked: \(parked)")
        #expect(fixture.calls(child) == 0, "the child called before it was parked")
        await engine.close()
        for pid in [fixture.pid, child] {
            #expect(TraceEngine.readCode(pid, placed.address, count: 16) == placed.originalCode, "code of \(pid)")
            #expect(TaskStates.untraced(pid), "\(TaskStates.of(pid))")
        }
        #expect(waitUntil(timeout: 2) { fixture.calls(child) >= 2 }, "the child must run on")
    }

    @Test func removingThePointReleasesItsThreadsAndRestoresTheByte() async throws {
        let fixture = try PointFixture()
        defer { fixture.stop() }
        let engine = TraceEngine()
        try await engine.attach(fixture.pid)
        let placed = try place(fixture)
        try await engine.installPoint(fixture.pid, placed.spec)
        let fiveParked = await waitFor(1.0) { await engine.parkedThreads().count == 5 }
        #expect(fiveParked)
        await engine.removePoint(id: 1)
        #expect(TraceEngine.readCode(fixture.pid, placed.address, count: 16) == placed.originalCode)
        let stillParked = await engine.parkedThreads()
        #expect(stillParked.isEmpty)
        let tids = Array(fixture.callers().keys)
        let before = tids.map(fixture.calls)
        #expect(waitUntil(timeout: 2) { zip(tids.map(fixture.calls), before).allSatisfy { $0 >= $1 + 2 } })
        await engine.close()
        #expect(TaskStates.untraced(fixture.pid))
    }
}
