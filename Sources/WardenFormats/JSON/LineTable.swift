import WardenCore

/// Turns byte offsets (``JSONSyntaxError/offset``, ``JSONValue/byteOffset``) into 1-based line
/// and column (columns counted in Unicode scalars, as Yams counts them), for messages about JSON
/// files.
struct LineTable: Sendable {
    private let bytes: [UInt8]
    private let lineStarts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == 0x0A { starts.append(offset + 1) }
        self.lineStarts = starts
    }

    func location(ofOffset offset: Int, file: String) -> PricingFileLocation {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {  // last line start <= offset
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        let start = lineStarts[low]
        var column = 1
        var index = start
        while index < min(offset, bytes.count) {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return PricingFileLocation(file: file, line: low + 1, column: column)
    }
}
