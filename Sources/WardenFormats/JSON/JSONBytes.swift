import WardenCore

/// Comparing raw byte ranges, eight bytes at a time.
///
/// Field names, attribution keys and repeated values are recognised by their bytes before any
/// `String` exists; a byte-at-a-time loop showed up in profiles, and the core has no libc
/// `memcmp` (it imports nothing platform-specific).
enum JSONBytes {
    @inline(__always)
    static func equal(_ lhs: UnsafeRawPointer, _ rhs: UnsafeRawPointer, count: Int) -> Bool {
        if count >= 8 {
            var offset = 0
            while offset + 8 <= count {
                guard lhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    == rhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
                offset += 8
            }
            // The tail as one overlapping word.
            return lhs.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                == rhs.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        for offset in 0..<count where lhs.load(fromByteOffset: offset, as: UInt8.self) != rhs.load(fromByteOffset: offset, as: UInt8.self) {
            return false
        }
        return true
    }

    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        bytes.count == literal.utf8CodeUnitCount
            && (bytes.isEmpty || equal(bytes.baseAddress!, literal.utf8Start, count: bytes.count))
    }
}
