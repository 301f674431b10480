import Backtraces
import ELF

/// Every hold flag of a process with its value and the threads parked on it:
/// what `lwpscope hold` lists and the hold-flag pane shows.
public struct HoldSurvey: Sendable {
    public struct Entry: Sendable {
        public var flag: HoldFlag
        public var references: HoldFlagReferences
        /// nil when the memory could not be read.
        public var value: UInt64?
        public var heldThreads: [Int32]
    }

    /// Sorted by module, then name.
    public var entries: [Entry]
    /// Which flag holds which thread.
    public var heldBy: [Int32: HoldFlag]

    /// - readValue: reads a flag's current value from the target.
    public static func take(
        backtraces: ProcessBacktraces, space: AddressSpace, extraNames: [FlagName] = [],
        finder: HoldFlagFinder = HoldFlagFinder(), readValue: (HoldFlag) -> UInt64?
    ) throws(HoldFlagError) -> HoldSurvey {
        let flags = try finder.find(in: space, extraNames: extraNames)
        let references = finder.scanner.references(to: flags, in: space)
        let matcher = HeldThreadMatcher(flags: references)
        var framesByThread: [Int32: [RuntimeAddress]] = [:]
        for thread in backtraces.threads {
            // Machine frames only: an inlined function shares its caller's pc.
            framesByThread[thread.tid] = thread.frames.lazy.filter { !$0.isInline }.prefix(4).map { RuntimeAddress($0.pc) }
        }
        let heldBy = matcher.heldThreads(framesByThread)
        let entries = references.map { reference in
            Entry(
                flag: reference.flag, references: reference, value: readValue(reference.flag),
                heldThreads: heldBy.filter { $0.value == reference.flag }.map(\.key).sorted())
        }.sorted { ($0.flag.modulePath, $0.flag.name) < ($1.flag.modulePath, $1.flag.name) }
        return HoldSurvey(entries: entries, heldBy: heldBy)
    }

    /// The flag named `name` (as listed, as the variable, or as MODULE:NAME).
    public func entry(named name: String) throws(HoldFlagError) -> Entry {
        let wanted = try FlagName(parsing: name)
        let matches = entries.filter { entry in
            (entry.flag.name == wanted.symbol || entry.flag.displayName == wanted.symbol)
                && (wanted.module.map { entry.flag.modulePath == $0 || entry.flag.moduleName == $0 } ?? true)
        }
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty { throw .symbolNotFound(wanted) }
        throw .ambiguous(wanted, candidates: matches.map { "\($0.flag.moduleName):\($0.flag.name)" })
    }
}
