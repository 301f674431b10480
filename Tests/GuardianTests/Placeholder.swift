import Testing

@Suite struct GuardianTestsPlaceholder {}
