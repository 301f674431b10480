/// What a waiting thread's argument refers to: the `object` of `waitsOn` in
/// JSON and the `via` of a wait-for edge. The raw values are the JSON words.
public enum WaitObjectKind: String, Hashable, Sendable, Codable, CaseIterable {
    case pipe, fifo, unix, tcp, tcp6, udp, udp6, file, eventfd, timerfd, signalfd, epoll, tty, socket
    case mutex, condvar, futex, child
}
