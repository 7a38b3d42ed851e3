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
        let raw = pool.withLock { pool -> [UInt8] in
            if pool.offset + 16 > pool.bytes.count {
                Self.fill(&pool.bytes)
                pool.offset = 0
            }
            defer { pool.offset += 16 }
            return Array(pool.bytes[pool.offset..<(pool.offset + 16)])
        }
        return "rsv_" + LowercaseHex.encode(raw)
    }

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
