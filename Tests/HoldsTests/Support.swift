import Backtraces
import Engine
import Foundation
import Holds
import Testing
import TestSupport

/// The package root, for compiling the fixture source with gcc.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A scratch directory removed by the caller.
func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lwpscope-holds-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
}

/// Compiles a C file with gcc into `directory`, returning the output path.
func gcc(_ arguments: [String], output: String) throws -> String {
    let result = try run("/usr/bin/gcc", arguments + ["-o", output])
    try #require(result.exitCode == 0, "gcc \(arguments): \(result.stderr)")
    return output
}

/// The threads fixture built by gcc -O2 -g, which names the function-static `hold.0`.
func gccFixture(in directory: String) throws -> String {
    try gcc(["-O2", "-g", "-pthread", packageRoot + "/Tests/Fixtures/fixture-threads-nofp/main.c"],
            output: directory + "/fixture-threads-gcc")
}

/// The flag's current value, read from the live process at its runtime address.
func liveValue(of flag: HoldFlag, pid: Int32) -> Int64? {
    guard let bytes = ProcessMemory.read(pid: pid, address: flag.address, count: flag.size), bytes.count == flag.size else {
        return nil
    }
    var value: UInt64 = 0
    for (shift, byte) in bytes.enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
    // Sign-extend so a negative int reads as itself.
    let unused = UInt64(64 - 8 * flag.size)
    return Int64(bitPattern: value << unused) >> Int64(unused)
}

/// A process's address space, required to load.
func addressSpace(_ pid: Int32) throws -> AddressSpace {
    try #require(AddressSpace.load(pid: pid))
}

/// Names of the functions referencing each flag, by flag name.
func referencingNames(_ references: [HoldFlagReferences]) -> [String: [String]] {
    Dictionary(uniqueKeysWithValues: references.map { ($0.flag.name, $0.functions.map(\.name)) })
}

