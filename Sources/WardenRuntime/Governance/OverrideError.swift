import WardenCore

/// Why an override or approval could not be requested, decided, used or listed; a request's
/// problems name their field (`budget`, `instance.team`, `change`, `for`, `until`, `reason`, `uses`,
/// `approval_id`).
public struct OverrideError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The request breaks a rule: see ``problems``.
        case invalid
        /// The caller may not do this (self-approval, a missing role, outside its scope, offline approval).
        case forbidden
        /// No override with that id (or none the caller may see).
        case unknown
        /// The override is not in a state that allows this (already decided, expired, another active
        /// override on the same instance).
        case conflict
        /// The database could not be read or written.
        case storage
    }

    public let kind: Kind
    public let problems: [OverrideTerms.Problem]
    public let message: String
    /// For a missing role: the role.
    public let missingRole: APIRole?

    init(_ kind: Kind, _ message: String, missingRole: APIRole? = nil) {
        self.kind = kind
        self.message = message
        self.missingRole = missingRole
        problems = []
    }

    init(invalid problems: [OverrideTerms.Problem]) {
        kind = .invalid
        self.problems = problems
        message = problems.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        missingRole = nil
    }

    public var description: String { message }
}
