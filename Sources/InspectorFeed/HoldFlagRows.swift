import Holds
import Inspector

extension HoldFlagRow {
    /// The hold-flag pane's row for one flag of the survey; an unreadable
    /// value shows as 0.
    public init(_ entry: HoldSurvey.Entry) {
        self.init(
            name: entry.flag.displayName, module: entry.flag.modulePath, value: entry.value ?? 0,
            size: entry.flag.size, address: entry.flag.address, heldThreadCount: entry.heldThreads.count)
    }
}
