@testable import Backtraces
import Testing

/// Source paths as line tables join them, shown as the file a user would open.
@Suite struct SourcePathTests {
    @Test(arguments: [
        ("./time/../sysdeps/unix/sysv/linux/clock_nanosleep.c", "sysdeps/unix/sysv/linux/clock_nanosleep.c"),
        ("/work/Tests/Fixtures/fixture-threads-nofp/../Shared/threads_fixture.inc.c", "/work/Tests/Fixtures/Shared/threads_fixture.inc.c"),
        ("../sysdeps/x86_64/start.S", "../sysdeps/x86_64/start.S"),
        ("a/b/../../../c.c", "../c.c"),
        ("/../etc//x.c", "/etc/x.c"),
        ("main.c", "main.c"),
        ("./", "."),
    ])
    func normalized(_ written: String, _ shown: String) {
        #expect(ModuleFile.lexicallyNormalized(written) == shown)
    }
}
