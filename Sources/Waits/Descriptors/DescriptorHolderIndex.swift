#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// One process's descriptor: a holder of a pipe, socket or file.
struct DescriptorHolder: Hashable, Sendable {
    public var pid: Int32
    public var fd: Int32
}

/// A process whose descriptors /proc refused, and whose it is.
struct UnreadableProcess: Hashable, Sendable {
    public var pid: Int32
    public var uid: UInt32?
}

/// Who holds each pipe, socket and path, from one scan of every process's
/// descriptors. May be a few seconds old: callers check a holder still holds
/// the link before naming it (which also settles a path hash's collisions).
struct DescriptorHolderIndex: Sendable {
    /// Paths are kept by hash: a big machine has a great many open files,
    /// and only FIFOs among them are ever looked up.
    enum Key: Hashable, Sendable {
        case pipe(UInt64), socket(UInt64), path(hash: Int)

        init?(_ link: DescriptorLink) {
            switch link {
            case .pipe(let inode): self = .pipe(inode)
            case .socket(let inode): self = .socket(inode)
            case .path(let path): self = .path(hash: path.hashValue)
            case .anonymous, .other: return nil
            }
        }
    }

    var holders: [Key: [DescriptorHolder]] = [:]
    var unreadable: [UnreadableProcess] = []
    /// CLOCK_MONOTONIC seconds when the scan started.
    var scannedAt: Double

    init(scanning listing: any ProcessDescriptorListing, at time: Double) {
        scannedAt = time
        listing.forEachProcess { process in
            switch process.descriptors {
            case .success(let descriptors):
                for (fd, link) in descriptors {
                    if let key = Key(link) { holders[key, default: []].append(DescriptorHolder(pid: process.pid, fd: fd)) }
                }
            case .failure:
                if process.isUnreadable { unreadable.append(UnreadableProcess(pid: process.pid, uid: process.uid)) }
            }
        }
    }

    func holders(of link: DescriptorLink) -> [DescriptorHolder] { Key(link).flatMap { holders[$0] } ?? [] }
}

/// The holder index kept between analyses: the inspector refreshes every
/// second, and scanning every process's descriptors each time costs too
/// much on a big machine. An index younger than `maxAge` is reused; a
/// reader asks for a fresh one when the index lacks what it must contain.
public final class DescriptorHolderCache: Sendable {
    /// The cache of the real /proc, shared by every reader that does not bring its own.
    public static let shared = DescriptorHolderCache()

    let listing: any ProcessDescriptorListing
    let maxAge: Double
    private let current = Mutex<DescriptorHolderIndex?>(nil)

    public init(listing: any ProcessDescriptorListing = ProcDescriptorListing(), maxAge: Double = 3) {
        self.listing = listing
        self.maxAge = maxAge
    }

    /// The kept index when young enough (and not older than `notBefore`), else a new scan.
    func index(notBefore: Double = -.infinity) -> DescriptorHolderIndex {
        let now = Self.monotonicNow()
        let young = current.withLock { kept in
            kept.flatMap { $0.scannedAt >= notBefore && now - $0.scannedAt < maxAge ? $0 : nil }
        }
        if let young { return young }
        // Scanned outside the lock: a read of /proc can wait on a process in
        // the middle of an exec, and must not hold up every other analysis.
        let index = DescriptorHolderIndex(scanning: listing, at: now)
        current.withLock { kept in
            if kept.map({ $0.scannedAt < index.scannedAt }) ?? true { kept = index }
        }
        return index
    }

    static func monotonicNow() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
