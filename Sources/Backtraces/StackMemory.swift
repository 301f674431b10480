import ELF
import Engine
import Unwind

/// The unwinder's view of a thread's memory: the stack copy taken while it was
/// stopped, then live reads for anything outside it (which may have changed
/// since the thread resumed; the copy covers the frames that matter most).
struct StackMemory: MemoryReader {
    let pid: Int32
    let copy: StackCopy?

    func read(_ runtimeAddress: RuntimeAddress, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        let address = runtimeAddress.rawValue
        if let copy, copy.contains(address, count: buffer.count) {
            let start = Int(address - copy.address)
            copy.bytes.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<(start + buffer.count)]))
            }
            return true
        }
        return ProcessMemory.read(pid: pid, address: address, into: buffer)
    }
}
