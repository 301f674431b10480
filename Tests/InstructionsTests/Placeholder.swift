import Testing

@Suite struct InstructionsTestsPlaceholder {}
