/// A defined code or data symbol, as handed out by `SymbolTable`.
public struct ELFSymbol: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// STT_FUNC, STT_GNU_IFUNC, or STT_NOTYPE in an executable section.
        case function
        /// STT_OBJECT.
        case object
    }

    public enum Binding: Sendable, Hashable {
        case local
        /// STB_GLOBAL, and STB_GNU_UNIQUE (a global the loader de-duplicates).
        case global
        case weak
    }

    /// The raw (mangled) name from the string table.
    public let name: String
    /// The link-time address (section-relative in relocatable files).
    public let value: FileAddress
    public let size: UInt64
    public let kind: Kind
    public let binding: Binding
    /// st_shndx: the defining section, or SHN_ABS (0xfff1) and friends.
    public let sectionIndex: UInt16

    /// One past the last byte (saturating).
    public var end: FileAddress {
        value.rawValue.addingReportingOverflow(size).overflow ? FileAddress(.max) : value + size
    }

    /// `value <= address < value + size`; a size-0 symbol only covers its own address.
    public func contains(_ address: FileAddress) -> Bool {
        size == 0 ? address == value : (address >= value && address.offset(from: value) < size)
    }

    public var description: String {
        "\(name) @\(value) size \(size) \(kind) \(binding)"
    }
}

/// The defined symbols of one file (.symtab and .dynsym merged), sorted by
/// address, for address-to-name lookups.
///
/// Aliases (several symbols at one address) are ordered best first by one
/// rule, used both for iteration order and for `symbol(containing:)`:
///   1. binding: GLOBAL (and GNU_UNIQUE), then WEAK, then LOCAL;
///   2. kind: functions (FUNC, IFUNC, NOTYPE-in-code) before objects;
///   3. larger size first;
///   4. fewer leading underscores first (`malloc` over `__libc_malloc`);
///   5. byte-wise lexicographic name.
/// A symbol that appears in both tables is kept once.
///
/// Records are 24 bytes each and names are decoded only when a symbol is
/// handed out, so building a table allocates two arrays and no strings.
public struct SymbolTable: Sendable, RandomAccessCollection {
    struct Record {
        var value: UInt64
        var size: UInt64
        var nameOffset: UInt32
        var sectionIndex: UInt16
        /// st_info: binding in the high nibble, type in the low nibble.
        var info: UInt8
        /// Which entry of `strings` the name lives in.
        var stringTable: UInt8

        var bindingRank: Int {
            switch info >> 4 {
            case 1, 10: return 0  // GLOBAL, GNU_UNIQUE
            case 2: return 1      // WEAK
            default: return 2     // LOCAL
            }
        }
        var isObject: Bool { info & 0xf == 1 }
        /// Size-0 symbols still cover their own address.
        var coverEnd: UInt64 {
            let (end, overflow) = value.addingReportingOverflow(Swift.max(size, 1))
            return overflow ? .max : end
        }
        @inline(__always) func contains(_ address: UInt64) -> Bool {
            size == 0 ? address == value : (address >= value && address - value < size)
        }
    }

    let records: [Record]
    let strings: [StringTable]
    /// maxEnd[i] = the largest cover end among records[0...i], so a backwards
    /// scan for an enclosing symbol can stop as soon as nothing earlier reaches.
    let maxEnd: [UInt64]

    public static let empty = SymbolTable(sortedRecords: [], strings: [])

    init(sortedRecords: [Record], strings: [StringTable]) {
        records = sortedRecords
        self.strings = strings
        var ends: [UInt64] = []
        ends.reserveCapacity(sortedRecords.count)
        var running: UInt64 = 0
        for record in sortedRecords {
            running = Swift.max(running, record.coverEnd)
            ends.append(running)
        }
        maxEnd = ends
    }

    // MARK: Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { records.count }
    public subscript(position: Int) -> ELFSymbol { symbol(records[position]) }

    // MARK: Lookups

    /// The innermost symbol whose range contains `address`, or nil.
    ///
    /// Never returns a neighbour that does not contain the address: a gap
    /// between symbols, or the address right at a symbol's end, gives nil
    /// unless another symbol starts or encloses it there. Among symbols that
    /// contain it, the one starting closest below wins; ties follow the alias
    /// order in the type documentation.
    public func symbol(containing address: FileAddress) -> ELFSymbol? {
        index(containing: address).map { symbol(records[$0]) }
    }

    /// The position of `symbol(containing:)`'s answer in this collection.
    public func index(containing fileAddress: FileAddress) -> Int? {
        let address = fileAddress.rawValue
        // First record starting above the address.
        var low = 0, high = records.count
        while low < high {
            let mid = (low + high) / 2
            if records[mid].value <= address { low = mid + 1 } else { high = mid }
        }
        var i = low - 1
        while i >= 0, maxEnd[i] > address {
            if records[i].contains(address) {
                // Aliases are sorted best first: take the first one of this
                // address that contains it.
                let start = records[i].value
                var best = i
                var j = i - 1
                while j >= 0, records[j].value == start {
                    if records[j].contains(address) { best = j }
                    j -= 1
                }
                return best
            }
            i -= 1
        }
        return nil
    }

    /// All symbols with exactly this raw name, in address order.
    public func symbols(named name: String) -> [ELFSymbol] {
        var query = name
        return query.withUTF8 { utf8 in
            let wanted = UnsafeRawBufferPointer(utf8)
            var found: [ELFSymbol] = []
            for record in records {
                if strings[Int(record.stringTable)].matches(at: record.nameOffset, wanted) {
                    found.append(symbol(record))
                }
            }
            return found
        }
    }

    func symbol(_ record: Record) -> ELFSymbol {
        ELFSymbol(
            name: strings[Int(record.stringTable)].string(at: record.nameOffset),
            value: FileAddress(record.value),
            size: record.size,
            kind: record.isObject ? .object : .function,
            binding: record.bindingRank == 0 ? .global : record.bindingRank == 1 ? .weak : .local,
            sectionIndex: record.sectionIndex
        )
    }
}
