import WardenCore
import Yams

/// Collects the errors of one YAML file while it is read.
public final class YAMLDiagnostics {
    public let file: String
    private var collected: [ConfigError] = []

    /// The errors in file order, whatever order the readers found them in.
    public var errors: [ConfigError] {
        collected.enumerated().sorted { ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset) }.map(\.element)
    }

    public init(file: String) { self.file = file }

    public func error(_ message: String, at node: Node?) {
        collected.append(ConfigError(file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0, message: message))
    }

    public func error(_ message: String, at mark: Mark?) {
        collected.append(ConfigError(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, message: message))
    }

    /// For a position inside a scalar (a column within a duration or a condition), which no node marks.
    public func error(_ message: String, line: Int, column: Int) {
        collected.append(ConfigError(file: file, line: line, column: column, message: message))
    }

    /// Parses the text into a node tree; a syntax error is recorded with libyaml's position.
    public func compose(_ text: String) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
                collected.append(ConfigError(file: file, line: mark.line, column: mark.column, message: "YAML syntax error: \(problem)"))
            default:
                collected.append(ConfigError(file: file, line: 0, column: 0, message: "YAML error: \(error)"))
            }
        } catch {
            collected.append(ConfigError(file: file, line: 0, column: 0, message: "YAML error: \(error)"))
        }
        return nil
    }
}

/// A YAML mapping read strictly: every key must be consumed, so an unknown or misspelt key is an
/// error at its position rather than a silently ignored setting (the envoy ratelimit lesson).
public final class YAMLObject {
    public let node: Node
    private let mapping: Node.Mapping
    public let diagnostics: YAMLDiagnostics
    /// Where this mapping sits, for messages: `ingest`, `models[3]`.
    public let path: String
    private var consumed: Set<String> = []

    public init?(_ node: Node, path: String, diagnostics: YAMLDiagnostics) {
        guard let mapping = node.mapping else {
            diagnostics.error("\(path.isEmpty ? "the document" : path) must be a mapping", at: node)
            return nil
        }
        self.node = node
        self.mapping = mapping
        self.path = path
        self.diagnostics = diagnostics
        var seen: Set<String> = []
        for key in mapping.keys {
            guard let name = key.string else { continue }
            if !seen.insert(name).inserted { diagnostics.error("duplicate key \"\(name)\"\(where_)", at: key) }
        }
    }

    private var where_: String { path.isEmpty ? "" : " in \(path)" }

    public func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The node under `key`, marking the key as known. Null values count as absent.
    public func value(_ key: String) -> Node? {
        consumed.insert(key)
        guard let node = mapping[key] else { return nil }
        if case .scalar(let scalar) = node, scalar.tag.rawValue == Tag.Name.null.rawValue || (scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)) {
            return nil
        }
        return node
    }

    public func string(_ key: String, required: Bool = false) -> String? {
        guard let node = value(key) else {
            if required { diagnostics.error("missing required key \"\(key)\"\(where_)", at: self.node) }
            return nil
        }
        guard case .scalar(let scalar) = node else {
            diagnostics.error("\(child(key)) must be a string", at: node)
            return nil
        }
        return scalar.string
    }

    public func int(_ key: String, required: Bool = false, range: ClosedRange<Int>? = nil) -> Int? {
        guard let text = string(key, required: required), let node = value(key) else { return nil }
        guard let number = Int(text.filter { $0 != "_" }) else {
            diagnostics.error("\(child(key)) must be an integer, not \"\(text)\"", at: node)
            return nil
        }
        if let range, !range.contains(number) {
            diagnostics.error("\(child(key)) must be between \(range.lowerBound) and \(range.upperBound), not \(number)", at: node)
            return nil
        }
        return number
    }

    public func bool(_ key: String) -> Bool? {
        guard let text = string(key), let node = value(key) else { return nil }
        switch text {
        case "true", "True", "TRUE", "yes": return true
        case "false", "False", "FALSE", "no": return false
        default:
            diagnostics.error("\(child(key)) must be true or false, not \"\(text)\"", at: node)
            return nil
        }
    }

    public func stringList(_ key: String) -> [String]? {
        guard let node = value(key) else { return nil }
        guard let sequence = node.sequence else {
            diagnostics.error("\(child(key)) must be a list", at: node)
            return nil
        }
        var items: [String] = []
        for (index, item) in sequence.enumerated() {
            guard case .scalar(let scalar) = item else {
                diagnostics.error("\(child(key))[\(index)] must be a string", at: item)
                continue
            }
            items.append(scalar.string)
        }
        return items
    }

    public func object(_ key: String) -> YAMLObject? {
        guard let node = value(key) else { return nil }
        return YAMLObject(node, path: child(key), diagnostics: diagnostics)
    }

    public func objectList(_ key: String) -> [YAMLObject]? {
        guard let node = value(key) else { return nil }
        guard let sequence = node.sequence else {
            diagnostics.error("\(child(key)) must be a list", at: node)
            return nil
        }
        return sequence.enumerated().compactMap { YAMLObject($1, path: "\(child(key))[\($0)]", diagnostics: diagnostics) }
    }

    /// Reports every key that no reader asked for.
    public func rejectUnknownKeys() {
        for key in mapping.keys {
            guard let name = key.string else {
                diagnostics.error("keys\(where_) must be strings", at: key)
                continue
            }
            if !consumed.contains(name) {
                let known = consumed.sorted().joined(separator: ", ")
                diagnostics.error("unknown key \"\(name)\"\(where_) (known keys: \(known))", at: key)
            }
        }
    }
}
