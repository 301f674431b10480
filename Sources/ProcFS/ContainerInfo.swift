#if canImport(Glibc)
import Glibc
#endif

/// Where a process sits relative to lwpscope's own pid namespace: the pid
/// its container knows it by, and the container's cgroup.
extension ProcFS {
    /// How many pid namespaces deep our own processes are (NSpid's length
    /// in /proc/self/status): a process listed with more is in a namespace
    /// below ours, a container.
    public func ownNamespaceDepth() -> Int {
        max(1, status(getpid())?.namespacePIDs.count ?? 1)
    }

    /// The process's cgroup, as `/system.slice/docker-ab12….scope`: the v2
    /// path (the `0::` line) unless it is only `/`, as on hybrid systems
    /// that keep the names in the v1 controllers; then the first v1 path
    /// that says more.
    public func cgroup(_ pid: Int32) -> String? {
        guard let text = ProcFile.readText("\(root)/\(pid)/cgroup") else { return nil }
        let paths = text.split(separator: "\n").compactMap { line -> (unified: Bool, path: String)? in
            guard let colon = line.lastIndex(of: ":") else { return nil }
            return (line.hasPrefix("0::"), String(line[line.index(after: colon)...]))
        }
        if let unified = paths.first(where: { $0.unified }), unified.path != "/" { return unified.path }
        return paths.first { $0.path != "/" && !$0.path.isEmpty }?.path ?? paths.first?.path
    }
}

/// A short name for a container from its cgroup path: the last component,
/// as `docker ps` and `systemd-cgls` name them (`docker-ab12….scope`).
public enum ContainerName {
    public static func short(_ cgroup: String) -> String {
        let last = cgroup.split(separator: "/").last.map(String.init) ?? cgroup
        return last.isEmpty ? "/" : last
    }
}

