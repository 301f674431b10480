#if canImport(Glibc)
import Glibc
#endif

/// One process's open descriptors as the holder scan sees them.
public struct ProcessDescriptors: Sendable {
    public var pid: Int32
    /// The owner of /proc/PID: whose process it is, for the "no permission" rule.
    public var uid: UInt32?
    /// (fd, link) pairs, or the errno when /proc/PID/fd could not be read.
    var descriptors: Result<[(fd: Int32, link: DescriptorLink)], ProcReadError>

    /// A process and its descriptors' link texts ("pipe:[7]"), for a fake listing.
    public init(pid: Int32, uid: UInt32?, links: [(fd: Int32, text: String)]) {
        self.init(pid: pid, uid: uid, descriptors: .success(links.map { ($0.fd, DescriptorLink(linkText: $0.text)) }))
    }

    init(pid: Int32, uid: UInt32?, descriptors: Result<[(fd: Int32, link: DescriptorLink)], ProcReadError>) {
        self.pid = pid
        self.uid = uid
        self.descriptors = descriptors
    }

    /// Whether /proc refused the fd directory (another user's process).
    public var isUnreadable: Bool {
        if case .failure(let error) = descriptors { return error.code == EACCES || error.code == EPERM }
        return false
    }

    /// The same process as /proc refuses it to another user: a test seam.
    public func refused() -> ProcessDescriptors {
        var copy = self
        copy.descriptors = .failure(ProcReadError(code: EACCES))
        return copy
    }
}

/// Lists every process's descriptors: the seam a test replaces to refuse
/// some processes, since as root nothing is refused.
public protocol ProcessDescriptorListing: Sendable {
    func forEachProcess(_ visit: (ProcessDescriptors) -> Void)
}

/// The real listing: /proc/*/fd, read with openat and readlinkat relative
/// to open directory fds, so a scan of every process walks no path twice.
public struct ProcDescriptorListing: ProcessDescriptorListing {
    public let root: String

    public init(root: String = "/proc") {
        self.root = root
    }

    public func forEachProcess(_ visit: (ProcessDescriptors) -> Void) {
        let rootFD = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard rootFD >= 0 else { return }
        defer { close(rootFD) }
        for pid in Self.numericEntries(of: rootFD) {
            var owner = stat()
            let uid = fstatat(rootFD, "\(pid)", &owner, 0) == 0 ? owner.st_uid : nil
            visit(ProcessDescriptors(pid: pid, uid: uid, descriptors: descriptors(of: pid, under: rootFD)))
        }
    }

    private func descriptors(of pid: Int32, under rootFD: Int32) -> Result<[(fd: Int32, link: DescriptorLink)], ProcReadError> {
        let directoryFD = openat(rootFD, "\(pid)/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else { return .failure(ProcReadError(code: errno)) }
        defer { close(directoryFD) }
        var result: [(fd: Int32, link: DescriptorLink)] = []
        for fd in Self.numericEntries(of: directoryFD) {
            if case .success(let text) = ProcEntryIO.readLink("\(fd)", in: directoryFD) {
                result.append((fd, DescriptorLink(linkText: text)))
            }
        }
        return .success(result)
    }

    /// Numeric names in an open directory, read through a duplicate fd
    /// (fdopendir takes the fd it is given; the caller keeps its own).
    private static func numericEntries(of directoryFD: Int32) -> [Int32] {
        let readFD = fcntl(directoryFD, F_DUPFD_CLOEXEC, 0)
        guard readFD >= 0 else { return [] }
        guard let directory = fdopendir(readFD) else {
            close(readFD)
            return []
        }
        defer { closedir(directory) }
        var numbers: [Int32] = []
        while let entry = readdir(directory) {
            let number = withUnsafeBytes(of: entry.pointee.d_name) { raw -> Int32? in
                let name = raw.prefix { $0 != 0 }
                guard !name.isEmpty, name.count < 10, name.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
                return name.reduce(Int32(0)) { $0 * 10 + Int32($1 - 48) }
            }
            if let number { numbers.append(number) }
        }
        return numbers
    }
}
