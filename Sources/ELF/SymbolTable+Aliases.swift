extension SymbolTable {
    /// Every symbol that starts exactly at `address` (its aliases), best first
    /// by the table's alias order; empty when none starts there.
    public func symbols(at address: FileAddress) -> [ELFSymbol] {
        // First record at or above the address.
        var low = 0, high = records.count
        while low < high {
            let mid = (low + high) / 2
            if records[mid].value < address.rawValue { low = mid + 1 } else { high = mid }
        }
        var found: [ELFSymbol] = []
        while low < records.count, records[low].value == address.rawValue {
            found.append(symbol(records[low]))
            low += 1
        }
        return found
    }

    /// The name a program calls the function at `address` by: among its
    /// aliases that the file exports (GLOBAL or WEAK; a linked file turns
    /// hidden symbols LOCAL), the one with the fewest leading underscores,
    /// so weak `read` over global `__read` and `__libc_read`. Ties follow
    /// the alias order. Nil when no exported function starts there.
    public func exportedName(at address: FileAddress) -> String? {
        var best: (name: String, underscores: Int)?
        for symbol in symbols(at: address) where symbol.kind == .function && symbol.binding != .local {
            let underscores = symbol.name.prefix { $0 == "_" }.count
            if best == nil || underscores < best!.underscores { best = (symbol.name, underscores) }
        }
        return best?.name
    }
}
