import ELF
import Foundation
import HoldPoints
import Testing
import TestSupport

/// C++ names and names two modules share, in a program built here with g++:
/// the overloads, a class template's method and the libc function it
/// redefines exist nowhere else among the fixtures.
@Suite(.serialized) struct CxxResolveTests {
    static let program = """
        #define NOINLINE __attribute__((noinline, used))
        extern "C" int printf(const char *, ...);
        extern "C" int fflush(void *);
        extern "C" int getpid(void);
        extern "C" int pause(void);
        volatile long sink;
        namespace app {
        template <typename T> struct Worker {
            NOINLINE T run(T value) { return value * 3 + sink; }
        };
        template struct Worker<long>;
        NOINLINE int overloaded(int x) { return x + (int)sink; }
        NOINLINE double overloaded(double x) { return x * 2 + sink; }
        }
        // Also libc's: a name two modules define.
        extern "C" NOINLINE int getpagesize(void) { return 4096 + (int)sink; }
        int main() {
            app::Worker<long> worker;
            sink += worker.run(2) + app::overloaded(1) + (long)app::overloaded(1.5) + getpagesize();
            printf("ready %d\\n", getpid());
            fflush(0);
            for (;;) pause();
        }
        """

    struct Live {
        let directory: String
        let binary: String
        let child: ChildProcess
        let resolver: PointResolver
        let bias: UInt64

        init() throws {
            directory = try makeTempDirectory("points-cxx")
            let source = directory + "/program.cpp"
            try Self.programText.write(toFile: source, atomically: true, encoding: .utf8)
            binary = realPath(directory) + "/cxx-points"
            try runTool("g++", ["-O2", "-g", "-o", binary, source])
            child = try ChildProcess(path: binary)
            try child.waitForLine(startingWith: "ready")
            resolver = try PointResolver(pid: child.pid)
            bias = try loadBias(of: binary, pid: child.pid)
        }

        static var programText: String { CxxResolveTests.program }

        func end() {
            child.terminate()
            try? FileManager.default.removeItem(atPath: directory)
        }

        /// gdb's file address plus the bias.
        func expected(_ name: String) throws -> RuntimeAddress {
            RuntimeAddress(try GDBOnFile.functionAddress(name, in: binary) + bias)
        }
    }

    @Test func overloadSetIsAmbiguousWithoutParameters() throws {
        let live = try Live()
        defer { live.end() }
        let int = try live.expected("app::overloaded(int)")
        let double = try live.expected("app::overloaded(double)")
        #expect(int != double)
        let listed = [int, double].sorted().map { address in
            "cxx-points:app::overloaded(\(address == int ? "int" : "double")) at \(address)"
        }
        for text in ["overloaded", "app::overloaded", "cxx-points:overloaded"] {
            #expect(throws: PointLocationError.ambiguousFunction(text, candidates: listed, total: 2)) {
                try live.resolver.resolve(text)
            }
        }
        #expect(try live.resolver.resolve("app::overloaded(int)").map(\.runtimeAddress) == [int])
        #expect(try live.resolver.resolve("overloaded( double )").map(\.runtimeAddress) == [double])
        #expect(try live.resolver.resolve("app::overloaded(int)").first?.function == "app::overloaded(int)")
    }

    @Test func templateMethodByDemangledOrMangledName() throws {
        let live = try Live()
        defer { live.end() }
        let run = try live.expected("app::Worker<long>::run(long)")
        for text in ["app::Worker<long>::run", "Worker<long>::run", "app::Worker<long>::run(long)", "_ZN3app6WorkerIlE3runEl",
                     "cxx-points:run"] {
            #expect(try live.resolver.resolve(text).map(\.runtimeAddress) == [run], "\(text)")
        }
        #expect(throws: PointLocationError.functionNotFound("app::Worker<int>::run", module: nil, closeNames: [])) {
            try live.resolver.resolve("app::Worker<int>::run")
        }
    }

    @Test func nameInTwoModulesNeedsTheModule() throws {
        let live = try Live()
        defer { live.end() }
        let libc = try libcPath(pid: live.child.pid)
        let own = try live.expected("getpagesize")
        let libcs = RuntimeAddress(try GDBOnFile.functionAddress("getpagesize", in: libc) + loadBias(of: libc, pid: live.child.pid))
        #expect(throws: PointLocationError.ambiguousFunction(
            "getpagesize", candidates: ["cxx-points:getpagesize at \(own)", "libc.so.6:getpagesize at \(libcs)"], total: 2)) {
            try live.resolver.resolve("getpagesize")
        }
        #expect(try live.resolver.resolve("libc:getpagesize").map(\.runtimeAddress) == [libcs])
        #expect(try live.resolver.resolve("cxx-points:getpagesize").map(\.runtimeAddress) == [own])
    }
}
