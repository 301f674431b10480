/// Seconds on a monotonic clock, for refresh times and CPU%.
enum Clock {
    private static let origin = ContinuousClock.now

    static func now() -> Double {
        let elapsed = (ContinuousClock.now - origin).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }
}
