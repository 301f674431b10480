import Holds
import Paths

/// The JSON shape of `hold --json`; flags sorted by module, then name.
struct HoldReport: Encodable {
    struct Flag: Encodable {
        var name: String
        var displayName: String
        var module: String
        var address: String
        var size: Int
        var value: UInt64?
        var heldThreads: [Int32]
        var functions: [String]

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(displayName, forKey: .displayName)
            try c.encode(module, forKey: .module)
            try c.encode(address, forKey: .address)
            try c.encode(size, forKey: .size)
            try c.encode(value, forKey: .value)
            try c.encode(heldThreads, forKey: .heldThreads)
            try c.encode(functions, forKey: .functions)
        }

        enum CodingKeys: String, CodingKey { case name, displayName, module, address, size, value, heldThreads, functions }
    }

    /// A hold point of the session, as `hold --at`'s `list` shows it.
    struct Point: Encodable {
        var location: String
        var address: String
        var module: String
        var parkedThreads: [Int32]
    }

    var pid: Int32
    var flags: [Flag]
    /// Hold points live only as long as the session that set them: a
    /// one-off `hold` has none; `hold --at`'s `list` shows its own.
    var points: [Point]
    var actions: [String]

    init(pid: Int32, survey: HoldSurvey, points: [Point] = [], actions: [String]) {
        self.pid = pid
        self.actions = actions
        self.points = points
        flags = Self.flags(survey)
    }

    static func flags(_ survey: HoldSurvey) -> [Flag] {
        survey.entries.map { entry in
            Flag(
                name: entry.flag.name, displayName: entry.flag.displayName, module: entry.flag.modulePath,
                address: hex(entry.flag.address), size: entry.flag.size, value: entry.value,
                heldThreads: entry.heldThreads, functions: entry.references.functions.map(\.sourceName))
        }
    }
}

enum HoldText {
    static func render(_ report: HoldReport) -> String {
        let out = report.actions.map { $0 + "\n" }.joined()
        guard !report.flags.isEmpty else {
            return out + "pid \(report.pid): no hold flags (symbols named hold, hold.N or FUNC.hold; name others with --flag)\n"
        }
        var table = TextTable([
            ("NAME", .left), ("MODULE", .left), ("ADDRESS", .left), ("SIZE", .right), ("VALUE", .right), ("HELD THREADS", .left),
        ])
        for flag in report.flags {
            table.append([
                flag.displayName, Path.basename(flag.module), flag.address,
                String(flag.size), flag.value.map(String.init) ?? "?",
                flag.heldThreads.isEmpty ? "-" : flag.heldThreads.map(String.init).joined(separator: " "),
            ])
        }
        return out + table.render() + "\n"
    }
}
