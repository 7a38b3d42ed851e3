/// What an audit row records beyond its columns: named values, such as a step's percentage, a
/// reload's files or an expired reservation's id.
///
/// Why a structure and not text: the engine says *what* it records and the store decides how
/// it is written (canonical JSON, hashed into the chain). Fields are kept sorted by the UTF-8
/// bytes of their names, the order the canonical form uses, so two details with the same fields
/// are equal however they were built; setting a name again replaces its value.
public struct AuditDetail: Sendable, Hashable {
    public indirect enum Value: Sendable, Hashable {
        case text(String)
        case integer(Int64)
        /// A number kept exactly as written (a detail read back from the store may hold one).
        case number(String)
        case flag(Bool)
        case null
        case list([Value])
        case record(AuditDetail)
    }

    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: Value
    }

    public private(set) var fields: [Field] = []

    public init() {}

    public init(_ fields: [(String, Value)]) {
        for (name, value) in fields { self[name] = value }
    }

    public static let empty = AuditDetail()

    public var isEmpty: Bool { fields.isEmpty }

    public subscript(name: String) -> Value? {
        get { fields.first { $0.name == name }?.value }
        set {
            if let index = fields.firstIndex(where: { $0.name == name }) {
                if let newValue { fields[index].value = newValue } else { fields.remove(at: index) }
            } else if let newValue {
                let position = fields.firstIndex { name.utf8.lexicographicallyPrecedes($0.name.utf8) } ?? fields.endIndex
                fields.insert(Field(name: name, value: newValue), at: position)
            }
        }
    }

    /// The text of a `.text` field, nil for any other value.
    public func text(_ name: String) -> String? {
        if case .text(let value) = self[name] { return value }
        return nil
    }
}

extension AuditDetail.Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
}
