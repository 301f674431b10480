/// Number formats shared by the tables; no Foundation so the target stays pure.
public enum Formatting {
    /// One decimal, as top and htop print CPU%.
    public static func oneDecimal(_ value: Double) -> String {
        guard value.isFinite else { return "?" }
        let tenths = Int((max(0, value) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Resident memory the htop way: K below a MiB, then M, then G.
    static func memory(kib: UInt64) -> String {
        if kib < 1024 { return "\(kib)K" }
        let mib = Double(kib) / 1024
        if mib < 100 { return oneDecimal(mib) + "M" }
        if mib < 1024 { return "\(Int(mib.rounded()))M" }
        let gib = mib / 1024
        return (gib < 100 ? oneDecimal(gib) : "\(Int(gib.rounded()))") + "G"
    }

    /// Seconds without trailing zeros: 0.25s, 0.5s, 1s, 10s.
    static func seconds(_ value: Double) -> String {
        if value == value.rounded() { return "\(Int(value))s" }
        let hundredths = Int((value * 100).rounded())
        var text = "\(hundredths / 100)." + (hundredths % 100 < 10 ? "0" : "") + "\(hundredths % 100)"
        while text.hasSuffix("0") { text.removeLast() }
        return text + "s"
    }
}
