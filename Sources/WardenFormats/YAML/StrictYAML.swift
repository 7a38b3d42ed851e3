import WardenCore
import Yams

/// A YAML mapping read strictly: every key must be consumed, so an unknown or misspelt key is an
/// error at its position rather than a silently ignored setting (the envoy ratelimit lesson).
///
/// The readers here report the errors every file shares (wrong type, missing key, a whole number
/// or a choice out of range) in the words of ``YAMLMessage``; a file's own checks build on them.
public final class YAMLObject {
    public let node: Node
    private let mapping: Node.Mapping
    public let diagnostics: YAMLDiagnostics
    /// Where this mapping sits, for messages: `ingest`, `models[3]`.
    public let path: String
    /// Whether a key written with no value (`key:`, `key: ~`) is an error rather than a key left
    /// out. Pricing files say so: a price left blank must never fall back to a default price.
    public let rejectsNull: Bool
    private var consumed: Set<String> = []
    private var reportedNull: Set<String> = []

    public init?(_ node: Node, path: String, diagnostics: YAMLDiagnostics, rejectsNull: Bool = false) {
        guard let mapping = node.mapping else {
            diagnostics.error(YAMLMessage.wrongType(path, "a mapping", found: node), at: node)
            return nil
        }
        self.node = node
        self.mapping = mapping
        self.path = path
        self.diagnostics = diagnostics
        self.rejectsNull = rejectsNull
        // Yams rejects keys that are equal nodes; `1: a` and `"1": b` are different nodes but
        // the same key to a reader.
        var seen: Set<String> = []
        for key in mapping.keys {
            guard let name = key.string else { continue }
            if !seen.insert(name).inserted { diagnostics.error(YAMLMessage.duplicateKey(name, in: path), at: key) }
        }
    }

    public func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The node under `key`, marking the key as known. Null values count as absent (and are
    /// reported once when the object ``rejectsNull``).
    public func value(_ key: String) -> Node? {
        consumed.insert(key)
        guard let node = mapping[key] else { return nil }
        guard Self.isNull(node) else { return node }
        if rejectsNull, reportedNull.insert(key).inserted {
            diagnostics.error("\(child(key)) has no value", at: node)
        }
        return nil
    }

    /// The node under `key`; when there is none, reports the key missing (`hint` says what
    /// to write). A key written without a value is missing too, unless that was reported already.
    public func required(_ key: String, hint: String? = nil) -> Node? {
        if let node = value(key) { return node }
        if !(rejectsNull && mapping[key] != nil) { reportMissing(key, hint: hint) }
        return nil
    }

    /// Reports `key` as a required key this mapping lacks, for readers that decide themselves
    /// when a key is required.
    public func reportMissing(_ key: String, hint: String? = nil) {
        diagnostics.error(YAMLMessage.missingKey(key, in: path, hint: hint), at: node)
    }

    public func string(_ key: String, required: Bool = false, hint: String? = nil) -> String? {
        guard let node = required ? self.required(key, hint: hint) : value(key) else { return nil }
        guard case .scalar(let scalar) = node else {
            diagnostics.error(YAMLMessage.wrongType(child(key), "a single value", found: node), at: node)
            return nil
        }
        return scalar.string
    }

    /// A whole number (`_` between digits allowed: `200_000`) within `range`.
    public func integer<Integer: FixedWidthInteger>(_ key: String, required: Bool = false, in range: ClosedRange<Integer>) -> Integer? {
        guard let text = string(key, required: required), let node = value(key) else { return nil }
        guard !text.hasPrefix("_"), !text.hasSuffix("_"), let number = Integer(text.filter { $0 != "_" }) else {
            diagnostics.error("\(child(key)) must be a whole number, not \"\(text)\"", at: node)
            return nil
        }
        guard range.contains(number) else {
            reportOutOfRange(key, value: String(number), below: number < range.lowerBound ? String(range.lowerBound) : nil,
                             above: String(range.upperBound))
            return nil
        }
        return number
    }

    /// Reports the value of `key` as past a bound: `below` when under the lower one, else `above`.
    public func reportOutOfRange(_ key: String, value text: String, below lower: String?, above upper: String?) {
        diagnostics.error(YAMLMessage.outOfRange(child(key), value: text, below: lower, above: upper), at: value(key))
    }

    public func bool(_ key: String) -> Bool? {
        guard let text = string(key), let node = value(key) else { return nil }
        switch text {
        case "true", "True", "TRUE", "yes": return true
        case "false", "False", "FALSE", "no": return false
        default:
            diagnostics.error(YAMLMessage.notAChoice(child(key), text, choices: ["true", "false"]), at: node)
            return nil
        }
    }

    /// One of `choices`, reported with the list when it is not.
    public func choice(_ key: String, among choices: [String], required: Bool = false, hint: String? = nil) -> String? {
        guard let text = string(key, required: required, hint: hint) else { return nil }
        guard choices.contains(text) else {
            diagnostics.error(YAMLMessage.notAChoice(child(key), text, choices: choices), at: value(key))
            return nil
        }
        return text
    }

    /// One of `Choice`'s raw values, reported with the list when it is not.
    public func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, as type: Choice.Type, required: Bool = false, hint: String? = nil
    ) -> Choice? where Choice.RawValue == String {
        choice(key, among: Choice.allCases.map(\.rawValue), required: required, hint: hint).flatMap(Choice.init(rawValue:))
    }

    public func stringList(_ key: String) -> [String]? {
        guard let sequence = list(key) else { return nil }
        var items: [String] = []
        for (index, item) in sequence.enumerated() {
            guard case .scalar(let scalar) = item else {
                diagnostics.error(YAMLMessage.wrongType("\(child(key))[\(index)]", "a single value", found: item), at: item)
                continue
            }
            items.append(scalar.string)
        }
        return items
    }

    public func object(_ key: String, required: Bool = false) -> YAMLObject? {
        guard let node = required ? self.required(key) : value(key) else { return nil }
        return YAMLObject(node, path: child(key), diagnostics: diagnostics, rejectsNull: rejectsNull)
    }

    public func objectList(_ key: String) -> [YAMLObject]? {
        guard let sequence = list(key) else { return nil }
        return sequence.enumerated().compactMap {
            YAMLObject($1, path: "\(child(key))[\($0)]", diagnostics: diagnostics, rejectsNull: rejectsNull)
        }
    }

    /// The items under `key`, or nil (reported) when it is not a list.
    public func list(_ key: String) -> Node.Sequence? {
        guard let node = value(key) else { return nil }
        guard let sequence = node.sequence else {
            diagnostics.error(YAMLMessage.wrongType(child(key), "a list", found: node), at: node)
            return nil
        }
        return sequence
    }

    /// Reports `key`, when it is there, as a setting of the file's format that TokenWarden does
    /// not support, saying why, at the key. The key then counts as known: it is not reported
    /// again as unknown.
    public func rejectUnsupported(_ key: String, because reason: String) {
        consumed.insert(key)
        guard let keyNode = mapping.first(where: { $0.key.string == key })?.key else { return }
        diagnostics.error(YAMLMessage.unsupportedKey(child(key), reason: reason), at: keyNode)
    }

    /// Reports every key that no reader asked for.
    public func rejectUnknownKeys() {
        for key in mapping.keys {
            guard let name = key.string else {
                diagnostics.error(YAMLMessage.nonScalarKey(in: path, found: key), at: key)
                continue
            }
            if !consumed.contains(name) {
                diagnostics.error(YAMLMessage.unknownKey(name, in: path, known: consumed.sorted()), at: key)
            }
        }
    }

    /// `key:`, `key: ~`, `key: null`: a key written without a value.
    public static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.tag.rawValue == Tag.Name.null.rawValue
            || (scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string))
    }
}
