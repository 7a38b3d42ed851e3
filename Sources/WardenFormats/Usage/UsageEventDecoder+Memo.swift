import WardenCore

extension UsageEventDecoder {
    /// The last value decoded from a run of body bytes, handed out again when the same bytes recur.
    ///
    /// Why: a batch usually comes from one agent or gateway, so consecutive events repeat the
    /// model name and the attribution object byte for byte. Recognising the bytes (a word-wise
    /// compare) skips validating and decoding them again, and lets the events share one `String`
    /// or label array instead of allocating their own, which is faster and keeps a 100 000-event
    /// batch smaller in memory. Only values that passed validation are remembered, and equal
    /// bytes always validate and decode the same way, so reuse cannot change a result.
    struct Memo<Value> {
        private var start = 0
        private var count = -1
        private var value: Value?

        /// The remembered value, if `node` spans exactly the same bytes as the one it came from.
        func lookup(_ node: JSONNode, in base: UnsafePointer<UInt8>) -> Value? {
            guard let value, node.byteCount == count,
                  JSONBytes.equal(base + start, base + Int(node.start), count: count) else { return nil }
            return value
        }

        mutating func remember(_ value: Value, for node: JSONNode) {
            self.value = value
            start = Int(node.start)
            count = node.byteCount
        }
    }
}
