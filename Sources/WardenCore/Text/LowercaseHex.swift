/// Bytes as lowercase hexadecimal text, two digits per byte: audit-chain digests, webhook
/// signatures and reservation ids are all written this way, and compared as text.
public enum LowercaseHex {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        if let text = bytes.withContiguousStorageIfAvailable({ encode(UnsafeRawBufferPointer($0)) }) { return text }
        return Array(bytes).withUnsafeBytes { encode($0) }
    }

    /// Written straight into the string's storage. A digest's own `Sequence` conformance reads one
    /// byte per call through an unspecialized iterator, and its unknown count regrew the buffer:
    /// an audit row's hash took 0.8 µs to spell, more than the SHA-256 itself.
    public static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            let digits: StaticString = "0123456789abcdef"
            let table = digits.utf8Start
            var index = 0
            for byte in bytes {
                text[index] = table[Int(byte >> 4)]
                text[index + 1] = table[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }
}
