import Testing
@testable import Unwind

@Test func UnwindBuilds() {}
