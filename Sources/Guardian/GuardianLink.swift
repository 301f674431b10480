/// lwpscope's end of the guardian: a helper process started with the first
/// code patch, traced by no one, in a session of its own (a closed terminal
/// does not end it), reading `GuardianRecord`s from a pipe. When lwpscope
/// dies, however it dies, the pipe ends and the guardian undoes every patch
/// still recorded.
///
/// Placeholder: records are kept, no process is started yet.
public final class GuardianLink: @unchecked Sendable {
    public private(set) var sent: [GuardianRecord] = []

    public init() {}

    /// Starts the guardian: `executable arguments...` with the pipe's read
    /// end as its standard input.
    public static func start(executable: String, arguments: [String]) throws(GuardianError) -> GuardianLink {
        GuardianLink()
    }

    /// Writes one record. Call it before the write it describes (a patch)
    /// or after (restored): the guardian must know of every patch that can
    /// outlive us.
    public func send(_ record: GuardianRecord) {
        sent.append(record)
    }

    /// Ends the link: `bye` first when everything is already restored.
    public func close(clean: Bool) {
        if clean { send(.bye) }
    }
}

public enum GuardianError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotStart(String)

    public var description: String {
        switch self {
        case .cannotStart(let why): "cannot start the guardian process (\(why)); hold points need it, so none is set"
        }
    }
}
