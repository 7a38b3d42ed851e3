import Yams

/// The wording of the errors every strict YAML reader shares, in one place.
enum YAMLMessage {
    static func duplicateKey(_ key: String, in path: String) -> String { "duplicate key \"\(key)\"\(inPath(path))" }

    static func unknownKey(_ key: String, in path: String, known: [String]) -> String {
        "unknown key \"\(key)\"\(inPath(path)) (known keys: \(known.joined(separator: ", ")))"
    }

    /// A key the file's format defines that TokenWarden does not support; `reason` says why.
    static func unsupportedKey(_ path: String, reason: String) -> String { "\(path) is not supported: \(reason)" }

    static func missingKey(_ key: String, in path: String, hint: String? = nil) -> String {
        "missing required key \"\(key)\"\(inPath(path))\(hint.map { " (\($0))" } ?? "")"
    }

    /// `what` names the expected kind: "a mapping", "a list", "a single value".
    static func wrongType(_ path: String, _ what: String, found node: Node) -> String {
        "\(path.isEmpty ? "the document" : path) must be \(what), not \(describe(node))"
    }

    static func nonScalarKey(in path: String, found node: Node) -> String {
        "keys\(inPath(path)) must be single values, not \(describe(node))"
    }

    /// A value past one of its bounds names the bound it passed.
    static func outOfRange(_ path: String, value: String, below lower: String?, above upper: String?) -> String {
        if let lower { return "\(path) must be at least \(lower), not \(value)" }
        return "\(path) must be at most \(upper ?? "?"), not \(value)"
    }

    /// A value that is not one of a fixed set of words.
    static func notAChoice(_ path: String, _ text: String, choices: [String]) -> String {
        let list = choices.count < 2 ? choices.joined() : choices.dropLast().joined(separator: ", ") + " or " + choices[choices.count - 1]
        return "\(path) must be \(list), not \"\(text)\""
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return "\"\(scalar.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private static func inPath(_ path: String) -> String { path.isEmpty ? "" : " in \(path)" }
}
