#if canImport(Glibc)
import Glibc
#endif

/// Names the children a wait4 or waitid waits for: its peers.
struct ChildWait {
    let world: WaitWorld

    func resolve(_ selector: ChildSelector, pid: Int32, into wait: inout ThreadWait, notes: inout [String]) {
        wait.object = .child
        let children: [Int32]
        switch selector {
        case .pid(let child):
            guard let parent = world.parent(of: child) else {
                notes.append("child \(child) exited")
                return
            }
            guard parent == pid else {
                notes.append("pid \(child) is not a child of \(pid)")
                return
            }
            children = [child]
        case .anyChild:
            children = world.children(of: pid)
        case .callersGroup:
            let group = getpgid(pid)
            guard group > 0 else {
                notes.append("process group of \(pid) unreadable")
                return
            }
            children = world.children(of: pid).filter { getpgid($0) == group }
        case .group(let group):
            children = world.children(of: pid).filter { getpgid($0) == group }
        case .pidfd(let fd):
            notes.append("waits for the process of pidfd \(fd)")
            return
        }
        wait.peers = children.compactMap { child in
            world.processName(child).map { WaitPeer(pid: child, command: $0) }
        }
        if wait.peers.isEmpty { notes.append("no child to wait for") }
    }
}
