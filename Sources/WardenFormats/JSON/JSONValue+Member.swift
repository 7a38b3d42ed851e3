import WardenCore

extension JSONValue {
    /// The first member named `key` (UTF-8), compared on the document's bytes: no `String` is
    /// built per key, which matters when a decoder reads a few fields out of large objects
    /// (a LiteLLM payload has some fifty members, its cost-map entry hundreds).
    func member(utf8 key: [UInt8]) -> JSONValue? {
        guard kind == .object else { return nil }
        let found: Int? = document.bytes.withUnsafeBufferPointer { bytes in
            document.nodes.withUnsafeBufferPointer { nodes in
                key.withUnsafeBufferPointer { wanted in
                    var child = index + 1
                    for _ in 0..<Int(nodes[index].count) {
                        let name = nodes[child]
                        if name.isEscaped {
                            if Array(name.string(in: bytes.baseAddress!).utf8) == key { return child + 1 }
                        } else if name.byteCount == wanted.count
                                    && (wanted.isEmpty || JSONBytes.equal(bytes.baseAddress! + Int(name.start), wanted.baseAddress!, count: wanted.count)) {
                            return child + 1
                        }
                        child = Int(nodes[child + 1].next)
                    }
                    return nil
                }
            }
        }
        return found.map { JSONValue(document: document, index: $0) }
    }
}
