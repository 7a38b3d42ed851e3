/// Why a key could not be created, rotated, revoked or listed; each problem of a request names
/// its field (`name`, `roles`, `scope.team`, `expires`, `grace`).
public struct KeyAdministrationError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The request breaks a rule: see ``problems``.
        case invalid
        /// A key with that name is live already (create).
        case exists
        /// No such key, or no such secret of it.
        case unknownKey
        /// The database could not be read or written.
        case storage
    }

    public struct Problem: Sendable, Equatable {
        public var field: String
        public var message: String
    }

    public let kind: Kind
    public let problems: [Problem]
    public let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
        problems = []
    }

    init(invalid problems: [Problem]) {
        kind = .invalid
        self.problems = problems
        message = problems.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
    }

    public var description: String { message }
}
