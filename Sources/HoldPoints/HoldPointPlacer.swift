import ELF
import Engine
import Instructions

/// A point as set: the location the user wrote, where it resolved, and what
/// the engine was given.
public struct PlacedPoint: Equatable, Sendable {
    /// The process it was set in (a child forked since carries it too).
    public var pid: Int32
    public var location: String
    public var resolved: ResolvedPoint
    public var spec: HoldPointSpec
}

extension PlacedPoint {
    /// `point_target (main.c:48)`, or what of it is known.
    public var whereText: String? {
        let file = resolved.file.map { file in resolved.line.map { "\(file):\($0)" } ?? file }
        switch (resolved.function, file) {
        case (let function?, let file?): return "\(function) (\(file))"
        case (let function?, nil): return function
        case (nil, let file?): return file
        case (nil, nil): return nil
        }
    }
}

/// Why a hold point was not set; each says what to do.
public enum HoldPointError: Error, Equatable, Sendable, CustomStringConvertible {
    case location(PointLocationError)
    case cannotMove(address: UInt64, DisplacementError)
    case noRoom(address: UInt64, module: String)
    case unreadable(address: UInt64)
    case engine(EngineError)

    public var description: String {
        switch self {
        case .location(let error): error.description
        case .cannotMove(let address, let error): "at 0x\(String(address, radix: 16)): \(error)"
        case .noRoom(let address, let module):
            "no unused executable room near 0x\(String(address, radix: 16)) in \(module) for the displaced instruction; choose a point in another module"
        case .unreadable(let address): "cannot read the code at 0x\(String(address, radix: 16)); is the process still there?"
        case .engine(let error): error.description
        }
    }
}

/// A location to set, as the user gave it.
public struct PointRequest: Hashable, Sendable {
    public var location: String
    public var threadPattern: String?

    public init(location: String, threadPattern: String?) {
        self.location = location
        self.threadPattern = threadPattern
    }
}

/// Sets hold points in a process: resolves the location, reads the
/// instruction at each address, places its displaced copy in the unused
/// tail of the module's code segment, and hands both to the engine.
public actor HoldPointPlacer {
    let engine: TraceEngine
    private var nextID = 1
    /// The next free copy slot in each room (keyed by pid and the room's start).
    var used: [Int32: [UInt64: UInt64]] = [:]
    var placed: [Int: PlacedPoint] = [:]
    /// The locations each process should have points at: those set in it,
    /// and its parent's for a forked child. An exec resolves them again.
    var wanted: [Int32: [PointRequest]] = [:]
    /// Those not found in the process's image (yet): tried again when its
    /// mappings change (a library loaded) or it execs.
    var pending: [Int32: [PointRequest]] = [:]
    /// The mappings of each process with pending points, as last tried.
    var lastMappings: [Int32: [String]] = [:]
    /// The loader's point in each process with pending points (its id):
    /// the dynamic loader calls it after loading libraries.
    var loaderWatches: [Int32: Int] = [:]

    public init(engine: TraceEngine) {
        self.engine = engine
    }

    /// Every address the location means gets a point; all or none.
    public func place(_ text: String, in pid: Int32, threadPattern: String? = nil) async throws(HoldPointError) -> [PlacedPoint] {
        let resolved: [ResolvedPoint]
        do throws(PointLocationError) {
            resolved = try PointResolver(pid: pid).resolve(text)
        } catch {
            throw .location(error)
        }
        var specs: [(ResolvedPoint, HoldPointSpec)] = []
        for point in resolved {
            specs.append((point, try spec(for: point, in: pid, threadPattern: threadPattern)))
        }
        var done: [PlacedPoint] = []
        for (point, spec) in specs {
            do {
                try await engine.installPoint(pid, spec)
            } catch {
                for earlier in done { await engine.removePoint(id: earlier.spec.id) }
                throw .engine(error)
            }
            let entry = PlacedPoint(pid: pid, location: text, resolved: point, spec: spec)
            placed[spec.id] = entry
            done.append(entry)
        }
        let request = PointRequest(location: text, threadPattern: threadPattern)
        if wanted[pid]?.contains(request) != true { wanted[pid, default: []].append(request) }
        return done
    }

    /// The point an id stands for (ids are the engine's hold reasons).
    public func point(_ id: Int) -> PlacedPoint? { placed[id] }

    public func points() -> [PlacedPoint] { placed.values.sorted { $0.spec.id < $1.spec.id } }

    /// Takes one point out; its threads run on.
    public func remove(id: Int) async {
        guard let gone = placed.removeValue(forKey: id) else { return }
        await engine.removePoint(id: id)
        // The last point of its location: no process wants it any more.
        let request = PointRequest(location: gone.location, threadPattern: gone.spec.threadPattern)
        if !placed.values.contains(where: { PointRequest(location: $0.location, threadPattern: $0.spec.threadPattern) == request }) {
            for pid in wanted.keys { wanted[pid]?.removeAll { $0 == request } }
        }
    }

    /// Forgets the points of `pid` without asking the engine: it has taken
    /// them out already (a detach restores the code) or the process is gone.
    /// Returns what they were, to set them again (after gdb).
    @discardableResult
    public func forget(pid: Int32) -> [PlacedPoint] {
        let gone = points().filter { $0.pid == pid }
        for point in gone { placed[point.spec.id] = nil }
        used[pid] = nil
        wanted[pid] = nil
        pending[pid] = nil
        lastMappings[pid] = nil
        loaderWatches[pid] = nil
        return gone
    }

    func spec(for point: ResolvedPoint, in pid: Int32, threadPattern: String?) throws(HoldPointError) -> HoldPointSpec {
        let address = point.runtimeAddress.rawValue
        guard let code = TraceEngine.readCode(pid, address, count: 15) ?? TraceEngine.readCode(pid, address, count: 1) else {
            throw .unreadable(address: address)
        }
        guard let room = ScratchSpace.tail(containing: point.runtimeAddress, pid: pid) else {
            throw .noRoom(address: address, module: point.module)
        }
        let start = room.lowerBound.rawValue
        let slot = used[pid]?[start] ?? ((start + 15) & ~15)
        let slotSize = UInt64(DisplacedCopy.maximumLength)
        guard slot + slotSize <= room.upperBound.rawValue else { throw .noRoom(address: address, module: point.module) }
        let copy: DisplacedCopy
        do throws(DisplacementError) {
            copy = try Displacement.copy(of: code, at: address, to: slot)
        } catch {
            throw .cannotMove(address: address, error)
        }
        used[pid, default: [:]][start] = slot + slotSize
        defer { nextID += 1 }
        return HoldPointSpec(id: nextID, address: address, copyAddress: slot, copyCode: copy.code, threadPattern: threadPattern)
    }
}
