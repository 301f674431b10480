/// The namespaces, classes, structures and unions of one unit, and which of
/// them each .debug_info offset sits in: what gdb prefixes a function's
/// DW_AT_name with (gdb/dwarf2/read.c, determine_prefix).
struct NameContexts: Sendable {
    enum Kind: Sendable {
        case namespace
        /// A class, structure or union: named, or anonymous.
        case type
        /// A function: what is declared inside one is named without a prefix.
        case function
    }

    struct Context: Sendable {
        var kind: Kind
        var name: String?
        var parent: Int32
    }

    private(set) var contexts: [Context] = []
    /// From each offset on (ascending), DIEs sit in this context; -1 is the unit.
    private var starts: [Int] = []
    private var owners: [Int32] = []

    /// A context whose children begin at `childrenOffset`; returns its index.
    mutating func open(_ kind: Kind, name: String?, parent: Int32, childrenOffset: Int) -> Int32 {
        let index = Int32(contexts.count)
        contexts.append(Context(kind: kind, name: name, parent: parent))
        mark(childrenOffset, index)
        return index
    }

    /// From `offset` on, DIEs are back in `context`.
    mutating func mark(_ offset: Int, _ context: Int32) {
        if let last = starts.last, last >= offset {
            guard last == offset else { return } // out of order: damaged input, keep what we have
            owners[owners.count - 1] = context
            return
        }
        starts.append(offset)
        owners.append(context)
    }

    /// The innermost context holding the DIE at `offset`, -1 for none.
    func context(at offset: Int) -> Int32 {
        var low = 0
        var high = starts.count
        while low < high {
            let middle = (low + high) / 2
            if starts[middle] <= offset { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? -1 : owners[low - 1]
    }

    /// gdb's prefix for a DIE at `offset`: the enclosing namespaces and named
    /// types, outermost first, joined by `::`. It stops at an anonymous type
    /// or a function, as gdb's does (a lambda's `operator()` has no prefix).
    func prefix(at offset: Int) -> String {
        var parts: [String] = []
        var current = context(at: offset)
        var steps = 0
        while current >= 0, Int(current) < contexts.count, steps < UnitScopes.maxDepth {
            steps += 1
            let context = contexts[Int(current)]
            switch context.kind {
            case .namespace: parts.append(context.name ?? "(anonymous namespace)")
            case .type:
                guard let name = context.name else { return parts.reversed().joined(separator: "::") }
                parts.append(name)
            case .function: return parts.reversed().joined(separator: "::")
            }
            current = context.parent
        }
        return parts.reversed().joined(separator: "::")
    }

    /// `prefix::name`, or `name` without a prefix.
    func qualified(_ name: String, at offset: Int) -> String {
        let prefix = prefix(at: offset)
        return prefix.isEmpty ? name : prefix + "::" + name
    }
}
