import Foundation

/// One file's function symbols as binutils' `nm` reads them: the file's own
/// `.symtab` and `.dynsym`, and the `.symtab` of its separate debug file
/// (`/usr/lib/debug/.build-id/xx/yyyy.debug`, found by the build-id `readelf -n`
/// prints). This is the agreement scorer's evidence that two names are one
/// function, so it is read by outside tools and never by lwpscope's own ELF
/// reader or symbolizer.
public struct ModuleSymbolTable: Sendable {
    public struct Symbol: Equatable, Sendable {
        public var address: UInt64
        /// nil when the symbol table gives none (`__restore_rt` has none).
        public var size: UInt64?
        public var name: String

        public init(address: UInt64, size: UInt64?, name: String) {
            self.address = address
            self.size = size
            self.name = name
        }
    }

    /// Function symbols, sorted by address.
    public let symbols: [Symbol]

    public init(symbols: [Symbol]) {
        self.symbols = symbols.sorted { ($0.address, $0.name) < ($1.address, $1.name) }
    }

    /// Reads `path` (and its debug file, if one is installed) with nm.
    public init(path: String) throws {
        guard let nm = findExecutable("nm") else { throw TestFailure("nm is not installed (Debian package binutils)") }
        var found: [Symbol] = []
        var files = [path]
        if let debugFile = Self.debugFile(of: path) { files.append(debugFile) }
        for file in files {
            for table in [["--defined-only", "-S"], ["--defined-only", "-S", "-D"]] {
                // nm says "no symbols" and exits 0 or 1 for a stripped file: nothing to add.
                let result = try run(nm, table + [file])
                found += Self.parse(nmOutput: result.stdout)
            }
        }
        self.init(symbols: Array(Set(found.map { SymbolKey($0) })).map(\.symbol))
    }

    /// Every name the table gives the function that contains `fileAddress`:
    /// the names of the nearest function start at or below it, if the
    /// address lies inside that function (or its size is unknown).
    public func functionNames(containing fileAddress: UInt64) -> [String] {
        // The last symbol starting at or below the address.
        var low = 0, high = symbols.count
        while low < high {
            let middle = (low + high) / 2
            if symbols[middle].address <= fileAddress { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return [] }
        let start = symbols[low - 1].address
        let atStart = symbols.filter { $0.address == start }
        let size = atStart.compactMap(\.size).max()
        if let size, size > 0, fileAddress >= start &+ size { return [] }
        return atStart.map(\.name)
    }

    /// `nm -S` lines: `ADDRESS [SIZE] TYPE NAME`. Keeps code symbols: T/t
    /// (text), W/w (weak), i (GNU indirect function).
    public static func parse(nmOutput text: String) -> [Symbol] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
            guard fields.count >= 3, let address = UInt64(fields[0], radix: 16) else { return nil }
            let sized = fields.count == 4 && fields[2].count == 1
            let type = sized ? fields[2] : fields[1]
            guard type.count == 1, "TtWwi".contains(type) else { return nil }
            let name = sized ? fields[3] : fields[2...].joined(separator: " ")[...]
            return Symbol(address: address, size: sized ? UInt64(fields[1], radix: 16) : nil, name: String(name))
        }
    }

    /// The installed debug file for `path`, by the build-id in its notes.
    static func debugFile(of path: String) -> String? {
        guard let readelf = findExecutable("readelf"),
              let notes = try? run(readelf, ["-n", path]).stdout,
              let line = notes.split(separator: "\n").first(where: { $0.contains("Build ID: ") }) else { return nil }
        let id = line.split(separator: " ").last.map(String.init) ?? ""
        guard id.count > 2 else { return nil }
        let candidate = "/usr/lib/debug/.build-id/\(id.prefix(2))/\(id.dropFirst(2)).debug"
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }
}

/// A symbol as a set element (the same symbol comes from .symtab and .dynsym).
private struct SymbolKey: Hashable {
    let address: UInt64
    let size: UInt64?
    let name: String
    init(_ symbol: ModuleSymbolTable.Symbol) {
        address = symbol.address
        size = symbol.size
        name = symbol.name
    }
    var symbol: ModuleSymbolTable.Symbol { .init(address: address, size: size, name: name) }
}
