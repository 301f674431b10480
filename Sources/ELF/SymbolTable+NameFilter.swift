extension SymbolTable {
    /// The OBJECT symbols whose raw name `predicate` accepts, in table order.
    /// Only accepted names are decoded, so a pattern search over a table of
    /// 100k symbols allocates almost nothing (iterating decodes every name).
    public func objects(whereName predicate: (UnsafeRawBufferPointer) -> Bool) -> [ELFSymbol] {
        var found: [ELFSymbol] = []
        for record in records where record.isObject {
            if predicate(strings[Int(record.stringTable)].raw(at: record.nameOffset)) {
                found.append(symbol(record))
            }
        }
        return found
    }
}
