import ELF

/// A sorted list of FDE ranges built by scanning a section once, for sections
/// without a search table (.debug_frame, or .eh_frame lacking .eh_frame_hdr).
struct FDEIndex {
    struct Entry {
        var pcBegin: FileAddress
        var pcEnd: FileAddress
        var offset: Int
    }

    var entries: [Entry]
    /// The first error that stopped the scan early (entries before it are kept).
    var scanError: CFIError?

    /// The FDE offset whose range covers `pc`.
    func lookup(_ pc: FileAddress) -> Int? {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].pcBegin <= pc { lo = mid + 1 } else { hi = mid }
        }
        // Walk back over overlapping neighbours (rare; bounded to a few).
        var i = lo - 1
        var tries = 0
        while i >= 0 && tries < 4 {
            let e = entries[i]
            if pc >= e.pcBegin && pc < e.pcEnd { return e.offset }
            i -= 1
            tries += 1
        }
        return nil
    }
}
