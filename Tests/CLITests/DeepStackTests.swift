import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 17's deep stacks: a 3,000-deep recursion shows every frame with
/// default options, as gdb does; the depth limit is only a guard, and the
/// text says when it was hit.
@Suite(.serialized, .timeLimit(.minutes(5))) struct DeepStackTests {
    static let depth = 3_000
    let lwpscope = BuiltProducts.path("lwpscope")
    static let program = """
        #include <stdio.h>
        #include <unistd.h>
        volatile int sink;
        // Not a tail call (the work after it), not inlined: one frame per level.
        __attribute__((noinline)) int descend(int level) {
            if (level == 0) {
                printf("ready\\n");
                fflush(stdout);
                for (;;) pause();
            }
            int below = descend(level - 1);
            sink += below;
            return below + level;
        }
        int main(void) { return descend(\(depth - 1)); }
        """

    func startRecursion() throws -> (ChildProcess, TemporaryRoot) {
        let root = try TemporaryRoot()
        let source = root.path + "/deep.c", binary = root.path + "/deep"
        try Self.program.write(toFile: source, atomically: true, encoding: .utf8)
        _ = try runTool("gcc", ["-O1", "-g", "-fno-optimize-sibling-calls", "-o", binary, source])
        let child = try startFreshBinary(binary)
        try child.waitForLine(startingWith: "ready", timeout: 30)
        return (child, root)
    }

    @Test func everyFrameOfA3000DeepRecursionWithDefaultOptions() throws {
        let (child, root) = try startRecursion()
        defer { child.terminate(); _ = root }
        let dump = try run(lwpscope, ["dump", String(child.pid), "--json"])
        #expect(dump.exitCode == 0, "\(dump.stderr)")
        let output = try DumpOutput.decode(dump.stdout)
        let frames = try #require(output.threads.first).frames
        #expect(frames.filter { $0.function == "descend" }.count == Self.depth)
        #expect(frames.contains { $0.function == "main" }, "the outermost frames are cut: \(frames.suffix(3))")
    }

    @Test func aLimitThatCutsTheStackSaysSo() throws {
        let (child, root) = try startRecursion()
        defer { child.terminate(); _ = root }
        let dump = try run(lwpscope, ["dump", String(child.pid), "--max-depth", "100"])
        #expect(dump.exitCode == 0, "\(dump.stderr)")
        #expect(dump.stdout.contains("depth limit of 100 frames hit"), "\(dump.stdout.suffix(400))")
        #expect(dump.stdout.split(separator: "\n").filter { $0.hasPrefix("#") }.count == 100)
    }
}
