import Testing
@testable import Demangle

@Test func DemangleBuilds() {}
