import Foundation

/// How Go services are linked: with DWARF (the default), without it
/// (`-ldflags=-w`), and without DWARF or .symtab (`-ldflags='-s -w'`).
public enum GoLinkMode: String, CaseIterable, Sendable, CustomStringConvertible {
    case withDWARF = "default"
    case withoutDWARF = "-w"
    case stripped = "-s -w"

    var linkerFlags: [String] {
        switch self {
        case .withDWARF: []
        case .withoutDWARF: ["-ldflags=-w"]
        case .stripped: ["-ldflags=-s -w"]
        }
    }

    /// For file names: `default`, `w`, `s-w`.
    var fileSuffix: String {
        switch self {
        case .withDWARF: "default"
        case .withoutDWARF: "w"
        case .stripped: "s-w"
        }
    }

    public var description: String { rawValue }
}

/// Go programs built at test time from Tests/Programs, each in a scratch
/// directory with its own GOCACHE and GOPATH, so no test touches the
/// user's and none depends on a build left from another run.
public enum GoPrograms {
    public static let sourceDirectory = BuiltProducts.packageRoot + "/Tests/Programs"

    /// The go tool, or a failure that says how to get it: tests must fail,
    /// not skip, where Go is missing.
    public static func goTool() throws -> String {
        guard let go = findExecutable("go") else {
            throw TestFailure("go is not installed: run scripts/setup (it installs golang-go)")
        }
        return go
    }

    /// Builds `Tests/Programs/<source>` once per link mode into `directory`,
    /// statically (CGO_ENABLED=0), as `<name>-default`, `<name>-w`, `<name>-s-w`.
    public static func build(_ source: String, modes: [GoLinkMode] = GoLinkMode.allCases,
                             into directory: String) throws -> [GoLinkMode: String] {
        let go = try goTool()
        let name = (source as NSString).deletingPathExtension
        let environment = ["GOCACHE=\(directory)/gocache", "GOPATH=\(directory)/gopath",
                           "CGO_ENABLED=0", "GO111MODULE=off", "GOFLAGS=", "HOME=\(directory)"]
        var binaries: [GoLinkMode: String] = [:]
        for mode in modes {
            let binary = directory + "/" + name + "-" + mode.fileSuffix
            let result = try run("/usr/bin/env", environment + [go, "build"] + mode.linkerFlags
                + ["-o", binary, sourceDirectory + "/" + source], timeout: 300)
            guard result.exitCode == 0 else {
                throw TestFailure("go build \(mode) \(source) failed: \(result.stderr)")
            }
            binaries[mode] = binary
        }
        return binaries
    }
}
