/// What /proc/PID/task/TID/syscall says the thread is doing.
public enum ThreadSyscall: Equatable, Sendable {
    /// Running in user space (the kernel cannot say more without stopping it).
    case running
    /// Blocked in the kernel but not in a system call (e.g. a page fault).
    case blockedOutsideSyscall(stackPointer: UInt64, programCounter: UInt64)
    /// Blocked in system call `number` with its six arguments.
    case inSyscall(number: Int, arguments: [UInt64], stackPointer: UInt64, programCounter: UInt64)

    public static func parse(_ text: String) -> ThreadSyscall? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard let first = words.first else { return nil }
        if first == "running" { return .running }
        func hex(_ word: Substring) -> UInt64? {
            UInt64(word.hasPrefix("0x") ? word.dropFirst(2) : word, radix: 16)
        }
        if first == "-1", words.count >= 3, let sp = hex(words[1]), let pc = hex(words[2]) {
            return .blockedOutsideSyscall(stackPointer: sp, programCounter: pc)
        }
        guard let number = Int(first), words.count >= 9 else { return nil }
        let arguments = words[1...6].compactMap(hex)
        guard arguments.count == 6, let sp = hex(words[7]), let pc = hex(words[8]) else { return nil }
        return .inSyscall(number: number, arguments: arguments, stackPointer: sp, programCounter: pc)
    }
}
