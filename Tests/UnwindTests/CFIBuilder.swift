import ELF
@testable import Unwind

/// Little-endian byte assembly for hand-built CFI.
struct Bytes {
    var b: [UInt8] = []

    mutating func u8(_ v: UInt8) { b.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { b += $0 } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { b += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { b += $0 } }
    mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
    mutating func uleb(_ v: UInt64) { b += Bytes.uleb(v) }
    mutating func sleb(_ v: Int64) { b += Bytes.sleb(v) }
    mutating func cString(_ s: String) { b += Array(s.utf8) + [0] }
    mutating func append(_ bytes: [UInt8]) { b += bytes }
    var count: Int { b.count }

    static func uleb(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(v & 0x7f)
            v >>= 7
            if v != 0 { byte |= 0x80 }
            out.append(byte)
        } while v != 0
        return out
    }

    static func sleb(_ value: Int64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        while true {
            let byte = UInt8(v & 0x7f)
            v >>= 7
            if (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0) {
                out.append(byte)
                return out
            }
            out.append(byte | 0x80)
        }
    }
}

/// DW_CFA instruction assembly.
enum CFA {
    static func advance(_ d: UInt8) -> [UInt8] { [0x40 | d] }
    static func advance1(_ d: UInt8) -> [UInt8] { [0x02, d] }
    static func advance2(_ d: UInt16) -> [UInt8] { [0x03, UInt8(d & 0xff), UInt8(d >> 8)] }
    static func advance4(_ d: UInt32) -> [UInt8] { var b = Bytes(); b.u8(0x04); b.u32(d); return b.b }
    static func offset(_ r: UInt8, _ factored: UInt64) -> [UInt8] { [0x80 | r] + Bytes.uleb(factored) }
    static func restore(_ r: UInt8) -> [UInt8] { [0xc0 | r] }
    static func offsetExtended(_ r: UInt64, _ f: UInt64) -> [UInt8] { [0x05] + Bytes.uleb(r) + Bytes.uleb(f) }
    static func restoreExtended(_ r: UInt64) -> [UInt8] { [0x06] + Bytes.uleb(r) }
    static func undefined(_ r: UInt64) -> [UInt8] { [0x07] + Bytes.uleb(r) }
    static func sameValue(_ r: UInt64) -> [UInt8] { [0x08] + Bytes.uleb(r) }
    static func register(_ r: UInt64, _ s: UInt64) -> [UInt8] { [0x09] + Bytes.uleb(r) + Bytes.uleb(s) }
    static let rememberState: [UInt8] = [0x0a]
    static let restoreState: [UInt8] = [0x0b]
    static func defCFA(_ r: UInt64, _ off: UInt64) -> [UInt8] { [0x0c] + Bytes.uleb(r) + Bytes.uleb(off) }
    static func defCFARegister(_ r: UInt64) -> [UInt8] { [0x0d] + Bytes.uleb(r) }
    static func defCFAOffset(_ off: UInt64) -> [UInt8] { [0x0e] + Bytes.uleb(off) }
    static func defCFAExpression(_ e: [UInt8]) -> [UInt8] { [0x0f] + Bytes.uleb(UInt64(e.count)) + e }
    static func expression(_ r: UInt64, _ e: [UInt8]) -> [UInt8] { [0x10] + Bytes.uleb(r) + Bytes.uleb(UInt64(e.count)) + e }
    static func offsetExtendedSF(_ r: UInt64, _ f: Int64) -> [UInt8] { [0x11] + Bytes.uleb(r) + Bytes.sleb(f) }
    static func defCFASF(_ r: UInt64, _ f: Int64) -> [UInt8] { [0x12] + Bytes.uleb(r) + Bytes.sleb(f) }
    static func defCFAOffsetSF(_ f: Int64) -> [UInt8] { [0x13] + Bytes.sleb(f) }
    static func valOffset(_ r: UInt64, _ f: UInt64) -> [UInt8] { [0x14] + Bytes.uleb(r) + Bytes.uleb(f) }
    static func valOffsetSF(_ r: UInt64, _ f: Int64) -> [UInt8] { [0x15] + Bytes.uleb(r) + Bytes.sleb(f) }
    static func valExpression(_ r: UInt64, _ e: [UInt8]) -> [UInt8] { [0x16] + Bytes.uleb(r) + Bytes.uleb(UInt64(e.count)) + e }
    static func argsSize(_ n: UInt64) -> [UInt8] { [0x2e] + Bytes.uleb(n) }
    static func negativeOffsetExtended(_ r: UInt64, _ f: UInt64) -> [UInt8] { [0x2f] + Bytes.uleb(r) + Bytes.uleb(f) }
    static let nop: [UInt8] = [0x00]
}

/// Builds .eh_frame (or .debug_frame) sections entry by entry. Offsets of the
/// added entries are returned so FDEs can point at their CIE.
struct CFIBuilder {
    var data = Bytes()
    var debugFrame = false
    /// Link-time address of the section (for pcrel).
    var address: UInt64 = 0x2000

    struct CIEOptions {
        var version: UInt8 = 1
        var augmentation = "zR"
        var codeAlign: UInt64 = 1
        var dataAlign: Int64 = -8
        var returnRegister: UInt64 = 16
        var fdeEncoding: UInt8 = 0x1b  // pcrel | sdata4
        var lsdaEncoding: UInt8? = nil
        var personality: (encoding: UInt8, bytes: [UInt8])? = nil
        var is64 = false
        var addressSize: UInt8 = 8
        /// x86_64 default: CFA = rsp+8, return address at CFA-8.
        var instructions: [UInt8] = CFA.defCFA(7, 8) + CFA.offset(16, 1)
    }

    @discardableResult
    mutating func cie(_ o: CIEOptions = CIEOptions()) -> Int {
        var body = Bytes()
        if debugFrame { if o.is64 { body.u64(.max) } else { body.u32(0xffff_ffff) } } else { body.u32(0) }
        body.u8(o.version)
        body.cString(o.augmentation)
        if o.version == 4 {
            body.u8(o.addressSize)
            body.u8(0)
        }
        body.uleb(o.codeAlign)
        body.sleb(o.dataAlign)
        if o.version == 1 { body.u8(UInt8(o.returnRegister)) } else { body.uleb(o.returnRegister) }
        if o.augmentation.hasPrefix("z") {
            var aug = Bytes()
            for ch in o.augmentation.utf8.dropFirst() {
                switch ch {
                case UInt8(ascii: "R"): aug.u8(o.fdeEncoding)
                case UInt8(ascii: "L"): aug.u8(o.lsdaEncoding ?? 0x1b)
                case UInt8(ascii: "P"):
                    aug.u8(o.personality?.encoding ?? 0)
                    aug.append(o.personality?.bytes ?? [UInt8](repeating: 0, count: 8))
                default: break
                }
            }
            body.uleb(UInt64(aug.count))
            body.append(aug.b)
        }
        body.append(o.instructions)
        return emit(body.b, is64: o.is64)
    }

    /// An FDE. `pcBeginBytes` is the already-encoded pc_begin (see `fde(cie:pc:...)`
    /// for the common pcrel sdata4 form).
    @discardableResult
    mutating func fde(cie: Int, pcBeginBytes: [UInt8], pcRangeBytes: [UInt8], augmentation: [UInt8]? = [],
                      instructions: [UInt8], is64: Bool = false) -> Int {
        let start = data.count
        var body = Bytes()
        let lengthSize = is64 ? 12 : 4
        let idOffset = start + lengthSize
        if debugFrame {
            if is64 { body.u64(UInt64(cie)) } else { body.u32(UInt32(cie)) }
        } else {
            body.u32(UInt32(idOffset - cie))
        }
        body.append(pcBeginBytes)
        body.append(pcRangeBytes)
        if let augmentation {
            body.uleb(UInt64(augmentation.count))
            body.append(augmentation)
        }
        body.append(instructions)
        return emit(body.b, is64: is64)
    }

    /// An FDE with pcrel|sdata4 pc_begin for link-time `pc` and udata4 range.
    @discardableResult
    mutating func fde(cie: Int, pc: UInt64, range: UInt32, instructions: [UInt8]) -> Int {
        // pc_begin sits 8 bytes into the entry (length + CIE pointer).
        let fieldAddress = address + UInt64(data.count + 8)
        var begin = Bytes()
        begin.i32(Int32(truncatingIfNeeded: Int64(bitPattern: pc &- fieldAddress)))
        var r = Bytes()
        r.u32(range)
        return fde(cie: cie, pcBeginBytes: begin.b, pcRangeBytes: r.b, instructions: instructions)
    }

    private mutating func emit(_ body: [UInt8], is64: Bool) -> Int {
        let start = data.count
        if is64 {
            data.u32(0xffff_ffff)
            data.u64(UInt64(body.count))
        } else {
            data.u32(UInt32(body.count))
        }
        data.append(body)
        return start
    }

    mutating func terminate() { data.u32(0) }
    var bytes: [UInt8] { data.b }
}

/// Keeps section bytes alive for a table built over them.
final class ByteOwner {
    let pointer: UnsafeMutableRawBufferPointer
    init(_ bytes: [UInt8]) {
        let p = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { p.copyMemory(from: $0) }
        pointer = p
        count = bytes.count
    }
    let count: Int
    var raw: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(pointer)[0..<count]) }
    deinit { pointer.deallocate() }
}

final class Owners {
    let list: [ByteOwner]
    init(_ list: [ByteOwner]) { self.list = list }
}

/// An UnwindTable over hand-built .eh_frame (and optional header/debug_frame) bytes.
func makeTable(ehFrame: [UInt8]?, ehFrameAddress: FileAddress = 0x2000,
               header: [UInt8]? = nil, headerAddress: FileAddress = 0x1000,
               debugFrame: [UInt8]? = nil) -> UnwindTable {
    var owners: [ByteOwner] = []
    func section(_ b: [UInt8]?, _ address: FileAddress, _ kind: CFISectionKind) -> CFISection? {
        guard let b else { return nil }
        let o = ByteOwner(b)
        owners.append(o)
        return CFISection(bytes: o.raw, address: address, kind: kind)
    }
    let table = UnwindTable(ehFrameHeader: section(header, headerAddress, .ehFrameHeader),
                            ehFrame: section(ehFrame, ehFrameAddress, .ehFrame),
                            debugFrame: section(debugFrame, 0, .debugFrame),
                            owner: Owners(owners))
    return table
}

/// A CFI table of one FDE with the given instructions (CIE: CFA=rsp+8, ra at cfa-8).
func singleFDETable(pc: UInt64 = 0x1000, range: UInt32 = 0x100, cieOptions: CFIBuilder.CIEOptions = .init(),
                    instructions: [UInt8]) -> UnwindTable {
    var b = CFIBuilder()
    let c = b.cie(cieOptions)
    b.fde(cie: c, pc: pc, range: range, instructions: instructions)
    b.terminate()
    return makeTable(ehFrame: b.bytes)
}

/// A hand-built stack: 8-byte words at ascending addresses from `base`.
struct StackBuilder {
    let base: UInt64
    var words: [UInt64]

    init(base: UInt64, words: Int) {
        self.base = base
        self.words = Array(repeating: 0, count: words)
    }

    subscript(address: UInt64) -> UInt64 {
        get { words[Int((address - base) / 8)] }
        set { words[Int((address - base) / 8)] = newValue }
    }

    var memory: SnapshotMemory {
        var bytes: [UInt8] = []
        for w in words { withUnsafeBytes(of: w.littleEndian) { bytes += $0 } }
        return SnapshotMemory(base: RuntimeAddress(base), bytes: bytes)
    }
}
