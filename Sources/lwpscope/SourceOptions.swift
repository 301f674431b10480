import ArgumentParser
import InspectorFeed

/// Where source files are looked for: gdb's `directory` and `substitute-path`.
struct SourceOptions: ParsableArguments {
    @Option(name: .customLong("source-dir"), help: ArgumentHelp(
        "Look for source files under DIR too (gdb's directory; by path suffix down to the file name).",
        valueName: "DIR"))
    var directories: [String] = []

    @Option(name: .customLong("source-map"), help: ArgumentHelp(
        "Read source paths starting OLD as starting NEW (gdb's substitute-path).", valueName: "OLD=NEW"))
    var mappings: [String] = []

    func validate() throws {
        for mapping in mappings where SourceFiles.Mapping(argument: mapping) == nil {
            throw ValidationError("--source-map takes OLD=NEW (both non-empty), not '\(mapping)'")
        }
    }

    /// The search for `pid`'s files (inside its root, when it has its own).
    func sourceFiles(for pid: Int32?) -> SourceFiles {
        let files = SourceFiles(directories: directories, mappings: mappings.compactMap(SourceFiles.Mapping.init(argument:)))
        return pid.map { files.forProcess($0) } ?? files
    }
}
