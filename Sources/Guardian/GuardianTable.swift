/// One patched range the guardian may have to undo.
struct PatchEntry: Equatable {
    var pid: Int32
    var startTime: UInt64
    var address: UInt64
    var original: [UInt8]
    var patched: [UInt8]
}

/// What the guardian knows: every patch and scratch range not yet restored,
/// and whether lwpscope said goodbye. A record for a pid and address already
/// recorded replaces it (lwpscope patched the same place again).
struct GuardianTable: Equatable {
    private(set) var patches: [PatchKey: PatchEntry] = [:]
    private(set) var scratches: [PatchKey: PatchEntry] = [:]
    private(set) var saidBye = false

    struct PatchKey: Hashable {
        var pid: Int32
        var address: UInt64
    }

    mutating func apply(_ record: GuardianRecord) {
        switch record {
        case let .patch(pid, startTime, address, original, patched):
            patches[PatchKey(pid: pid, address: address)] =
                PatchEntry(pid: pid, startTime: startTime, address: address, original: original, patched: patched)
        case let .scratch(pid, startTime, address, original, patched):
            scratches[PatchKey(pid: pid, address: address)] =
                PatchEntry(pid: pid, startTime: startTime, address: address, original: original, patched: patched)
        case let .restored(pid, address):
            patches[PatchKey(pid: pid, address: address)] = nil
            scratches[PatchKey(pid: pid, address: address)] = nil
        case .bye:
            saidBye = true
        }
    }

    /// Entries grouped by process, in address order, for restoring.
    static func byProcess(_ entries: [PatchKey: PatchEntry]) -> [(pid: Int32, entries: [PatchEntry])] {
        Dictionary(grouping: entries.values, by: \.pid)
            .map { (pid: $0.key, entries: $0.value.sorted { $0.address < $1.address }) }
            .sorted { $0.pid < $1.pid }
    }
}
