import Engine
import HoldPoints
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

extension HoldFlagRow {
    /// Pane 4's rows for the hold points set in `pid` (`setIn`: the ids the
    /// engine has there, a forked child's inherited ones included), with how
    /// many threads each has parked there.
    public static func points(_ placed: [PlacedPoint], setIn ids: Set<Int>, parked: [ParkedThread], in pid: Int32)
        -> [HoldFlagRow]
    {
        placed.filter { ids.contains($0.spec.id) }.map { point in
            HoldFlagRow(point: point.spec.id, location: point.location, module: point.resolved.module,
                        address: point.spec.address,
                        parkedThreadCount: parked.count(where: { $0.pointID == point.spec.id && $0.pid == pid }))
        }
    }
}
