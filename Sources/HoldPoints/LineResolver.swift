import Backtraces
import DWARF
import ELF
import Paths

/// FILE:LINE: every address where that line begins a statement, from the
/// line tables (.debug_line) of the loaded modules.
///
/// A line begins a statement at the first is_stmt row of each run of rows
/// for that file and line (rows in program order, a run ended by a row of
/// another line or file, or the end of its sequence): a loop's condition,
/// each copy of an inlined function and code the compiler moved apart are
/// separate runs, and each is a place a thread passes. Rows of one run that
/// only toggle is_stmt (views, scheduling) are not new places: counting them
/// gave 11 points in libc's 157-byte `__libc_read` for its line 26. A line without code moves to the next line
/// of the same file that has some, as gdb does; the points carry the line
/// used. FILE is a basename or a suffix of the path at a `/`.
struct LineResolver {
    let modules: [LoadedModule]

    /// A statement start in one file of one module.
    private struct Start {
        var module: LoadedModule
        var file: String
        var line: Int
        var address: FileAddress
    }

    func resolve(file given: String, line wantedLine: Int) throws(PointLocationError) -> [ResolvedPoint] {
        let wanted = SourcePaths.tidied(given)
        let wantedName = Path.basename(wanted)
        let stem = Array((wantedName.split(separator: ".").first.map(String.init) ?? wantedName).utf8)
        var close: Set<String> = []
        var starts: [Start] = []
        var lines: [(module: LoadedModule, file: String, line: Int)] = []
        for module in modules {
            guard let info = module.file.debugInfo else { continue }
            let listings = info.lineTables { raw in
                if raw.hasSuffix(wantedName), Self.names(SourcePaths.tidied(raw), wanted) { return true }
                var name = Path.basename(raw)
                if name.withUTF8({ UnsafeRawBufferPointer($0).contains(stem, anyCase: true) }) { close.insert(name) }
                return false
            }
            for listing in listings {
                var matched: [Int: String] = [:]
                for (index, raw) in listing.files.enumerated() where raw.hasSuffix(wantedName) {
                    let path = SourcePaths.tidied(raw)
                    if Self.names(path, wanted) { matched[index] = path }
                }
                for sequence in listing.sequences {
                    var previous: LineTableRow?
                    // Whether the current run has had its statement start.
                    var started = false
                    for row in sequence {
                        defer { previous = row }
                        if previous?.file != row.file || previous?.line != row.line { started = false }
                        guard row.isStatement, let path = matched[row.file] else { continue }
                        lines.append((module, path, row.line))
                        if started { continue }
                        started = true
                        starts.append(Start(module: module, file: path, line: row.line, address: row.address))
                    }
                }
            }
        }
        var files: [(module: LoadedModule, file: String)] = []
        for entry in lines where !files.contains(where: { $0.module.path == entry.module.path && $0.file == entry.file }) {
            files.append((entry.module, entry.file))
        }
        guard !files.isEmpty else { throw .fileNotFound(given, closeNames: close.sorted()) }
        guard files.count == 1 else {
            throw .ambiguousFile(given, candidates: files.map { "\($0.module.basename): \($0.file)" }.sorted())
        }
        // The requested line, or the next one down that has code.
        guard let usedLine = lines.contains(where: { $0.line == wantedLine })
            ? wantedLine : lines.map(\.line).filter({ $0 > wantedLine }).min()
        else { throw .noCodeAtOrAfterLine(file: given, line: wantedLine) }
        var points: [ResolvedPoint] = []
        for start in starts where start.line == usedLine {
            guard let address = start.module.runtimeCode(at: start.address),
                  !points.contains(where: { $0.runtimeAddress == address }) else { continue }
            let function = start.module.file.symbol(containing: start.address).map { FunctionResolver.shownName($0.name) }
            points.append(ResolvedPoint(runtimeAddress: address, module: start.module.path, function: function,
                                        file: start.file, line: usedLine))
        }
        guard !points.isEmpty else { throw .noCodeAtOrAfterLine(file: given, line: wantedLine) }
        return points.sorted { $0.runtimeAddress < $1.runtimeAddress }
    }

    /// `wanted` is the path, or a suffix of it at a `/`.
    static func names(_ path: String, _ wanted: String) -> Bool {
        path == wanted || (!wanted.hasPrefix("/") && path.hasSuffix("/" + wanted))
    }
}
