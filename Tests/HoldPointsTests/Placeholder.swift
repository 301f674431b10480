import Testing

@Suite struct HoldPointsTestsPlaceholder {}
