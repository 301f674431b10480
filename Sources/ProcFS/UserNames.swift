#if canImport(Glibc)
import Glibc
#endif

/// Turns uids into login names, caching each answer (a listing asks thousands of times).
public struct UserNames: Sendable {
    private var cache: [UInt32: String] = [:]

    public init() {}

    public mutating func name(of uid: UInt32) -> String {
        if let cached = cache[uid] { return cached }
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let name: String
        if getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let pwName = entry.pw_name {
            name = String(cString: pwName)
        } else {
            name = String(uid)
        }
        cache[uid] = name
        return name
    }
}
