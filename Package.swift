// swift-tools-version:6.0
import PackageDescription

// Fixture programs are C executables the tests attach to for real. The same
// source is built twice: with frame pointers and without, because the
// unwinders must handle both.
let framePointerFlags: [String] = ["-O2", "-g", "-fno-omit-frame-pointer", "-mno-omit-leaf-frame-pointer"]
let noFramePointerFlags: [String] = ["-O2", "-g", "-fomit-frame-pointer"]

func fixture(_ name: String, flags: [String]) -> Target {
    .executableTarget(
        name: name,
        path: "Tests/Fixtures/\(name)",
        cSettings: [.unsafeFlags(flags)],
        linkerSettings: [.linkedLibrary("pthread")]
    )
}

let fixtureNames = ["fixture-threads-fp", "fixture-threads-nofp", "fixture-churn"]
// C++ and Swift programs whose backtraces the tests compare with gdb's.
let backtraceFixtureNames = ["fixture-cxx", "fixture-swift"]
// Source lines, inline frames and stack groups, compared with gdb.
let sourceFixtureNames = ["fixture-lines"]
// A daemon and its client, blocked on each other in every way a wait can be
// followed: pipes, unix and TCP sockets, accept, mutexes, a cycle.
let waitFixtureNames = ["fixture-daemon", "fixture-client"]
// Threads that call one function every 20 ms, and no hold flag: where hold
// points (issue 15) park them.
let pointFixtureNames = ["fixture-points"]
// A daemon that forks, execs and crashes on request: births, execs and
// deaths (issue 16).
let spawnFixtureNames = ["fixture-spawner"]

// The modules a backtrace and a screen refresh run through are optimized in
// debug builds too: tests run lwpscope hundreds of times, and unoptimized
// they spent seconds per run sorting a libc's symbols and reading its DWARF;
// `swift run lwpscope` should refresh a thousand threads as cheaply as a
// release build. The command line and the tests stay debuggable.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "lwpscope",
    products: [
        .executable(name: "lwpscope", targets: ["lwpscope"]),
        // For the fuzzers in Fuzz/, a separate package.
        .library(name: "ELF", targets: ["ELF"]),
        .library(name: "Unwind", targets: ["Unwind"]),
        .library(name: "DWARF", targets: ["DWARF"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C shims for what Swift cannot call: variadic ptrace, wait-status macros.
        .target(name: "CPtrace"),
        // The signal pipe: handlers that write a byte, so a thread can detach before we exit.
        .target(name: "CSignals"),
        // Path text: one basename for modules, files and commands.
        .target(name: "Paths", swiftSettings: optimizedInDebug),
        // One frame in words, for dump text, the backtrace pane and the thread table.
        .target(name: "FrameFormatting", dependencies: ["Paths"], swiftSettings: optimizedInDebug),
        // C shims for ncursesw's macros and globals.
        .target(name: "CCurses", linkerSettings: [.linkedLibrary("ncursesw"), .linkedLibrary("tinfo")]),
        // /proc readers: pure parsers over text plus thin file readers.
        .target(name: "ProcFS", dependencies: ["Paths"], swiftSettings: optimizedInDebug),
        // zlib, for the compressed sections of debug files.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // libdeflate, for inflating compressed debug sections fast.
        .systemLibrary(name: "CDeflate", path: "Sources/CDeflate"),
        // ELF files: headers, sections, symbols, build-id, debug-file lookup.
        .target(name: "ELF", dependencies: ["CZlib", "CDeflate"], swiftSettings: optimizedInDebug),
        // Symbol names: C++ (Itanium), Swift and Rust (legacy and v0).
        .target(name: "CDemangle", linkerSettings: [.linkedLibrary("stdc++"), .linkedLibrary("dl")]),
        .target(name: "Demangle", dependencies: ["CDemangle"]),
        // Go's pc-line table (.gopclntab): function names and sp deltas that
        // stripped Go binaries keep.
        .target(name: "GoPCLN", dependencies: ["ELF"], swiftSettings: optimizedInDebug),
        // CFI and frame-pointer unwinding and symbolization.
        .target(name: "Unwind", dependencies: ["ELF", "Demangle"], swiftSettings: optimizedInDebug),
        // DWARF line tables and inline scopes: source file, line and inlined calls for an address.
        .target(name: "DWARF", dependencies: ["ELF", "Demangle", "Unwind"], swiftSettings: optimizedInDebug),
        // x86_64 instructions: lengths, and one instruction relocated into a
        // displaced copy that a thread runs instead of the original.
        .target(name: "Instructions", swiftSettings: optimizedInDebug),
        // The guardian: an untraced helper process that writes back every
        // patched byte of a target the moment lwpscope dies (pipe EOF).
        .target(name: "Guardian", swiftSettings: optimizedInDebug),
        // The ptrace engine: one actor on one dedicated OS thread.
        .target(name: "Engine", dependencies: ["CPtrace", "ProcFS", "Paths", "Guardian"], swiftSettings: optimizedInDebug),
        // Snapshots into symbolized backtraces: modules of a process, CFI, names.
        .target(name: "Backtraces", dependencies: ["Engine", "ProcFS", "ELF", "DWARF", "Unwind", "Demangle", "GoPCLN"], swiftSettings: optimizedInDebug),
        // Why threads wait and on whom: system calls, descriptors, peers, mutex owners, cycles.
        .target(name: "Waits", dependencies: ["ProcFS", "Engine", "Paths"], swiftSettings: optimizedInDebug),
        // Hold flags (`while (hold);`) and the code that spins on them.
        .target(name: "Holds", dependencies: ["Backtraces", "ELF", "ProcFS", "Paths"], swiftSettings: optimizedInDebug),
        // Hold points: locations (FUNCTION, MODULE:FUNCTION, FILE:LINE,
        // *ADDRESS) resolved in a process, room for displaced copies, and
        // setting and removing points through the engine.
        .target(
            name: "HoldPoints",
            dependencies: ["Backtraces", "Engine", "ELF", "DWARF", "Demangle", "ProcFS", "Paths", "Instructions"],
            swiftSettings: optimizedInDebug),
        // The screen model: state, keys, panes, rendering into a cell grid; no curses.
        .target(name: "Inspector", dependencies: ["Paths", "FrameFormatting"], swiftSettings: optimizedInDebug),
        // What the inspector shows, from the engine's snapshots: thread, tree,
        // flag and picker rows, backtraces, and the hold actions `hold` shares.
        .target(
            name: "InspectorFeed",
            dependencies: ["Engine", "Backtraces", "DWARF", "Holds", "HoldPoints", "ProcFS", "Inspector", "FrameFormatting", "Paths", "Waits"],
            swiftSettings: optimizedInDebug),
        // The ncurses driver: draws cell grids, reads keys and mouse.
        .target(name: "Terminal", dependencies: ["CCurses", "Inspector"], swiftSettings: optimizedInDebug),
        .executableTarget(
            name: "lwpscope",
            dependencies: [
                "Engine", "ProcFS", "Backtraces", "DWARF", "Holds", "Inspector", "InspectorFeed", "Terminal", "CSignals", "Paths",
                "Waits", "HoldPoints", "Guardian", "Instructions", "CPtrace", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        fixture("fixture-threads-fp", flags: framePointerFlags),
        fixture("fixture-threads-nofp", flags: noFramePointerFlags),
        fixture("fixture-churn", flags: noFramePointerFlags),
        fixture("fixture-lines", flags: noFramePointerFlags),
        // The target of scripts/bench: N parked threads and a stall ticker.
        fixture("fixture-bench", flags: noFramePointerFlags),
        fixture("fixture-daemon", flags: noFramePointerFlags),
        fixture("fixture-client", flags: noFramePointerFlags),
        fixture("fixture-points", flags: noFramePointerFlags),
        fixture("fixture-spawner", flags: noFramePointerFlags),
        // A Swift helper that attaches through the engine and parks with the
        // target stopped, so a test can SIGKILL it mid-attach.
        .executableTarget(name: "engine-probe", dependencies: ["Engine"], path: "Tests/Fixtures/engine-probe"),
        .executableTarget(
            name: "fixture-cxx",
            path: "Tests/Fixtures/fixture-cxx",
            cxxSettings: [.unsafeFlags(noFramePointerFlags)],
            linkerSettings: [.linkedLibrary("pthread")]
        ),
        .executableTarget(
            name: "fixture-swift",
            path: "Tests/Fixtures/fixture-swift",
            swiftSettings: [.unsafeFlags(["-O"])]
        ),

        .target(name: "TestSupport", dependencies: ["ProcFS", "CPtrace"], path: "Tests/TestSupport"),
        .testTarget(name: "ProcFSTests", dependencies: ["ProcFS", "TestSupport"]),
        .testTarget(
            name: "EngineTests",
            dependencies: ["Engine", "ProcFS", "TestSupport", "engine-probe"]
                + (fixtureNames + pointFixtureNames).map { .target(name: $0) }
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["TestSupport", "lwpscope"]
                + (fixtureNames + waitFixtureNames + pointFixtureNames + spawnFixtureNames).map { .target(name: $0) }
        ),
        .testTarget(
            name: "BacktraceTests",
            dependencies: ["Backtraces", "Demangle", "Engine", "ELF", "FrameFormatting", "InspectorFeed", "ProcFS", "TestSupport", "lwpscope"]
                + (fixtureNames + backtraceFixtureNames + sourceFixtureNames).map { .target(name: $0) }
        ),
        .testTarget(
            name: "HoldsTests",
            dependencies: ["Holds", "Backtraces", "Engine", "ProcFS", "TestSupport"] + fixtureNames.map { .target(name: $0) }
        ),
        .testTarget(name: "ELFTests", dependencies: ["ELF", "TestSupport"]),
        .testTarget(name: "GoPCLNTests", dependencies: ["GoPCLN", "ELF", "TestSupport"]),
        .testTarget(name: "UnwindTests", dependencies: ["Unwind", "ELF", "TestSupport"]),
        .testTarget(name: "DWARFTests", dependencies: ["DWARF", "ELF", "Unwind", "TestSupport"]),
        .testTarget(name: "DemangleTests", dependencies: ["Demangle", "TestSupport"]),
        .testTarget(
            name: "TUITests",
            dependencies: ["TestSupport", "ProcFS", "lwpscope"]
                + (fixtureNames + sourceFixtureNames + waitFixtureNames + pointFixtureNames + spawnFixtureNames)
                    .map { .target(name: $0) }
        ),
        .testTarget(name: "InspectorTests", dependencies: ["Inspector", "Paths"], exclude: ["Snapshots"]),
        .testTarget(
            name: "InspectorFeedTests",
            dependencies: ["InspectorFeed", "Inspector", "Engine", "Backtraces", "Holds", "ProcFS", "FrameFormatting", "TestSupport"]
                + fixtureNames.map { .target(name: $0) }),
        .testTarget(name: "SignalPipeTests", dependencies: ["CSignals"]),
        .testTarget(name: "InstructionsTests", dependencies: ["Instructions"]),
        .testTarget(name: "GuardianTests", dependencies: ["Guardian", "TestSupport", "lwpscope"] + pointFixtureNames.map { .target(name: $0) }),
        .testTarget(
            name: "HoldPointsTests",
            dependencies: ["HoldPoints", "Backtraces", "Engine", "Instructions", "ProcFS", "TestSupport"]
                + (fixtureNames + pointFixtureNames).map { .target(name: $0) }),
        .testTarget(
            name: "WaitsTests",
            dependencies: ["Waits", "ProcFS", "TestSupport"] + waitFixtureNames.map { .target(name: $0) }),
    ],
    swiftLanguageModes: [.v6]
)
