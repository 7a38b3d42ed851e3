import WardenCore

/// A read-only view of one value inside a ``JSONDocument``.
///
/// Accessors return `nil` for the wrong kind rather than trapping, so validation code can say
/// "must be a string" instead of crashing on hostile input. Strings are decoded on each access;
/// callers on a hot path should read a value once.
public struct JSONValue: Sendable {
    public enum Kind: Sendable, Equatable {
        case object, array, string, number, bool, null
    }

    let document: JSONDocument
    let index: Int

    private var node: JSONNode { document.nodes[index] }

    public var kind: Kind {
        switch node.kind {
        case .object: return .object
        case .array: return .array
        case .string: return .string
        case .number: return .number
        case .true, .false: return .bool
        case .null: return .null
        }
    }

    /// Byte offset of the value's first byte (a string's opening quote) in the document.
    public var byteOffset: Int { node.kind == .string ? Int(node.start) - 1 : Int(node.start) }

    /// The decoded text of a string value.
    public var string: String? {
        guard node.kind == .string else { return nil }
        let node = self.node
        return document.bytes.withUnsafeBufferPointer { node.string(in: $0.baseAddress!) }
    }

    /// A number exactly as written (`1e5`, `-0`, `2.9999900000000002e-06`), for exact parsing
    /// with ``JSONIntegerReading`` or `Money.parse`.
    public var numberText: String? {
        guard node.kind == .number else { return nil }
        return String(decoding: document.bytes[Int(node.start)..<Int(node.end)], as: UTF8.self)
    }

    /// How a number reads as an exact integer; `nil` when the value is not a number.
    public var integer: JSONIntegerReading? {
        guard node.kind == .number else { return nil }
        let node = self.node
        return document.bytes.withUnsafeBufferPointer {
            JSONIntegerReading(numberText: UnsafeBufferPointer(rebasing: $0[Int(node.start)..<Int(node.end)]))
        }
    }

    public var bool: Bool? {
        switch node.kind {
        case .true: return true
        case .false: return false
        default: return nil
        }
    }

    public var isNull: Bool { node.kind == .null }

    /// Elements of an array or members of an object; 0 for scalars.
    public var count: Int { Int(node.count) }

    /// The elements of an array, in order; empty for anything else.
    public var elements: [JSONValue] {
        guard node.kind == .array else { return [] }
        var result: [JSONValue] = []
        result.reserveCapacity(count)
        var child = index + 1
        for _ in 0..<count {
            result.append(JSONValue(document: document, index: child))
            child = Int(document.nodes[child].next)
        }
        return result
    }

    /// The members of an object in document order, duplicates included; empty for anything else.
    public var members: [(key: String, value: JSONValue)] {
        var result: [(key: String, value: JSONValue)] = []
        result.reserveCapacity(count)
        forEachMemberIndex { key in
            result.append((JSONValue(document: document, index: key).string ?? "", JSONValue(document: document, index: key + 1)))
        }
        return result
    }

    /// ``members`` with the byte offset of each key (its opening quote), for messages that point
    /// at a member of a file (a LiteLLM catalog's entries) rather than at its value.
    public var locatedMembers: [(key: String, keyOffset: Int, value: JSONValue)] {
        var result: [(key: String, keyOffset: Int, value: JSONValue)] = []
        result.reserveCapacity(count)
        forEachMemberIndex { key in
            let name = JSONValue(document: document, index: key)
            result.append((name.string ?? "", name.byteOffset, JSONValue(document: document, index: key + 1)))
        }
        return result
    }

    /// Calls `body` with the tape index of each member's key (its value is the next index).
    private func forEachMemberIndex(_ body: (Int) -> Void) {
        guard node.kind == .object else { return }
        var child = index + 1
        for _ in 0..<count {
            body(child)
            child = Int(document.nodes[child + 1].next)
        }
    }

    /// Calls `body` with each member's key, as UTF-8, and the node position of its value, in
    /// document order (nothing for non-objects). The key bytes are the document's own (unescaped
    /// for the rare escaped key) and valid only during the call: a decoder that matches keys
    /// against the fields it knows builds no `String` for them, and a position, unlike a
    /// ``JSONValue``, does not hold the document (a retain and release of its buffers each).
    func forEachMemberPosition(_ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
        guard node.kind == .object else { return }
        document.bytes.withUnsafeBufferPointer { bytes in
            document.nodes.withUnsafeBufferPointer { nodes in
                var child = index + 1
                for _ in 0..<Int(nodes[index].count) {
                    let key = nodes[child]
                    if key.isEscaped {
                        var text = key.string(in: bytes.baseAddress!)
                        text.withUTF8 { body($0, child + 1) }
                    } else {
                        body(UnsafeBufferPointer(start: bytes.baseAddress! + Int(key.start), count: key.byteCount), child + 1)
                    }
                    child = Int(nodes[child + 1].next)
                }
            }
        }
    }

    /// The first member named `key`, or `nil` (also for non-objects).
    /// Walks the members without building ``members`` (an array and every key's `String`).
    public subscript(key: String) -> JSONValue? {
        guard node.kind == .object else { return nil }
        var child = index + 1
        for _ in 0..<count {
            if JSONValue(document: document, index: child).string == key {
                return JSONValue(document: document, index: child + 1)
            }
            child = Int(document.nodes[child + 1].next)
        }
        return nil
    }

    /// The element at `position`, or `nil` when out of range or not an array.
    public subscript(position: Int) -> JSONValue? {
        let elements = self.elements
        return elements.indices.contains(position) ? elements[position] : nil
    }
}
