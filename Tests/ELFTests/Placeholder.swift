import Testing
@testable import ELF

@Test func ELFBuilds() {}
