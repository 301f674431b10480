import Testing
import TestSupport

@Suite struct EUStackParserTests {
    static let text = """
    PID 29123 - process
    TID 29123:
    #0  0x00007f7a9d0ed545 clock_nanosleep@GLIBC_2.2.5 - /usr/lib/x86_64-linux-gnu/libc.so.6
    #1  0x00005580ff7f14a2 main - /tmp/fcxx
    TID 29125:
    #0  0x00005580ff7f1976 lwp::demo::Parker<int>::spin() - /tmp/fcxx
    #1  0x00007f7a9d2d44a3 - /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30
    #2  0x00007f7a9d0a71f5 start_thread
    #3  0x00007f7a9d0a71f9
    """

    @Test func threadsAndFrames() {
        let threads = EUStackReference.parse(Self.text)
        #expect(threads.map(\.tid) == [29123, 29125])
        #expect(threads[0].frames == [
            .init(index: 0, pc: 0x7f7a_9d0e_d545, function: "clock_nanosleep@GLIBC_2.2.5", module: "/usr/lib/x86_64-linux-gnu/libc.so.6"),
            .init(index: 1, pc: 0x5580_ff7f_14a2, function: "main", module: "/tmp/fcxx"),
        ])
        #expect(threads[1].frames == [
            .init(index: 0, pc: 0x5580_ff7f_1976, function: "lwp::demo::Parker<int>::spin()", module: "/tmp/fcxx"),
            .init(index: 1, pc: 0x7f7a_9d2d_44a3, function: nil, module: "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30"),
            .init(index: 2, pc: 0x7f7a_9d0a_71f5, function: "start_thread"),
            .init(index: 3, pc: 0x7f7a_9d0a_71f9, function: nil),
        ])
    }
}
