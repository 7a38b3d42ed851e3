import WardenCore
import Yams

/// Collects the errors of one YAML file while it is read.
///
/// Every reader of a user-written YAML file (`tokenwarden.yaml`, rule files, rule tests, pricing
/// files) reports through one of these and a ``YAMLObject``, so the same mistake reads the same in
/// every file: a syntax error, a duplicate, unknown or missing key, a value of the wrong type or
/// out of range.
public final class YAMLDiagnostics {
    public let file: String
    private var collected: [ConfigError] = []

    /// The errors in file order, whatever order the readers found them in.
    public var errors: [ConfigError] {
        collected.enumerated().sorted { ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset) }.map(\.element)
    }

    /// How many errors have been reported so far: a reader compares it before and after a part
    /// to know whether that part was read cleanly.
    public var count: Int { collected.count }

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

    /// Parses the text into a node tree; a syntax error or a duplicate key is recorded at
    /// libyaml's position. `nil` for an error and for an empty document.
    public func compose(_ text: String) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                let detail = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
                self.error("YAML syntax error: \(problem)\(detail)", at: mark)
            case .duplicatedKeysInMapping(let duplicates, let context):
                // Yams stops at the first mapping with duplicates, and marks its first such key.
                for key in duplicates { self.error(YAMLMessage.duplicateKey(key, in: ""), at: context.mark) }
            default:
                self.error("YAML error: \(error)", line: 0, column: 0)
            }
        } catch {
            self.error("YAML error: \(error)", line: 0, column: 0)
        }
        return nil
    }
}
