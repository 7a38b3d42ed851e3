import WardenCore

/// Turning a validated string node back into text.
///
/// The parser has already checked escapes and UTF-8, so this cannot fail. Unescaped strings
/// (nearly all of them) are a single copy; escaped ones are unescaped straight into the new
/// string's storage, which is possible because every JSON escape is at least as long as what it
/// stands for.
extension JSONNode {
    func string(in base: UnsafePointer<UInt8>) -> String {
        let content = UnsafeBufferPointer(start: base + Int(start), count: byteCount)
        guard isEscaped else { return String(decoding: content, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: content.count) { output in
            JSONNode.unescape(content, into: output)
        }
    }

    /// Writes the unescaped form of validated string content; returns the bytes written.
    static func unescape(_ content: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var read = 0
        var written = 0
        while read < content.count {
            let byte = content[read]
            guard byte == UInt8(ascii: "\\") else {
                output[written] = byte
                written += 1
                read += 1
                continue
            }
            let escape = content[read + 1]
            read += 2
            switch escape {
            case UInt8(ascii: "b"): output[written] = 0x08
            case UInt8(ascii: "f"): output[written] = 0x0C
            case UInt8(ascii: "n"): output[written] = 0x0A
            case UInt8(ascii: "r"): output[written] = 0x0D
            case UInt8(ascii: "t"): output[written] = 0x09
            case UInt8(ascii: "u"):
                var scalar = hexQuad(content, at: read)
                read += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    let low = hexQuad(content, at: read + 2)
                    read += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                written += encodeUTF8(scalar, into: output, at: written)
                continue
            default: output[written] = escape  // \" \\ \/
            }
            written += 1
        }
        return written
    }

    private static func hexQuad(_ content: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt32 {
        var value: UInt32 = 0
        for index in offset..<(offset + 4) { value = value << 4 | (JSONParser.hexValue(content[index]) ?? 0) }
        return value
    }

    private static func encodeUTF8(_ scalar: UInt32, into output: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        switch scalar {
        case 0..<0x80:
            output[offset] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            output[offset] = UInt8(0xC0 | scalar >> 6)
            output[offset + 1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            output[offset] = UInt8(0xE0 | scalar >> 12)
            output[offset + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            output[offset + 2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            output[offset] = UInt8(0xF0 | scalar >> 18)
            output[offset + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            output[offset + 2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            output[offset + 3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }
}
