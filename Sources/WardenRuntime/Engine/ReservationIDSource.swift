#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import WardenCore

/// Reservation ids: `rsv_` and 128 random bits in hex, from the kernel's CSPRNG.
///
/// Why random: an id is all a caller needs to commit or release a reservation, so one agent must
/// not be able to guess another's. Why buffered: asking the kernel for 16 bytes per check (two
/// `getrandom` calls through `SystemRandomNumberGenerator`) showed as 4% of the server's CPU in
/// `/v1/check` profiles; one 4 KiB read serves 256 ids.
final class ReservationIDSource: Sendable {
    private struct Pool {
        var bytes = [UInt8](repeating: 0, count: 4096)
        var offset = 4096
    }

    private let pool = Mutex(Pool())

    func next() -> String {
        // The 16 bytes leave the lock as two words, and the id is written straight into its
        // String: an Array per id and the generic hex encoder showed in `/v1/check` profiles.
        let raw = pool.withLock { pool -> (UInt64, UInt64) in
            if pool.offset + 16 > pool.bytes.count {
                Self.fill(&pool.bytes)
                pool.offset = 0
            }
            defer { pool.offset += 16 }
            return pool.bytes.withUnsafeBytes { bytes in
                (bytes.loadUnaligned(fromByteOffset: pool.offset, as: UInt64.self),
                 bytes.loadUnaligned(fromByteOffset: pool.offset + 8, as: UInt64.self))
            }
        }
        return withUnsafeBytes(of: raw) { bytes in
            String(unsafeUninitializedCapacity: Self.length) { output in
                for (position, byte) in "rsv_".utf8.enumerated() { output[position] = byte }
                for (position, byte) in bytes.enumerated() {
                    output[4 + 2 * position] = Self.hexDigits[Int(byte >> 4)]
                    output[5 + 2 * position] = Self.hexDigits[Int(byte & 0x0F)]
                }
                return Self.length
            }
        }
    }

    /// `rsv_` and two hex digits per random byte.
    static let length = 4 + 2 * 16
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Fills `bytes` from `/dev/urandom` (the kernel CSPRNG `getrandom(2)` reads, which Swift's
    /// Glibc module does not declare), opened once; a short read is continued.
    private static func fill(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            var filled = 0
            while filled < buffer.count {
                let count = read(urandom, buffer.baseAddress! + filled, buffer.count - filled)
                if count > 0 { filled += count; continue }
                precondition(count < 0 && errno == EINTR, "reading /dev/urandom failed: errno \(errno)")
            }
        }
    }

    private static let urandom: Int32 = {
        let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        precondition(descriptor >= 0, "cannot open /dev/urandom: errno \(errno)")
        return descriptor
    }()
}
