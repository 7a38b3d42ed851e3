/// Reads structured values from a fuzzer's bytes, front to back: once they run out every read
/// gives zero, so any input, however short, describes a complete run.
///
/// Numbers are read so that the values that break arithmetic are a byte away: a shape byte picks
/// a small value, a bound or a power of ten near it, or raw bits over the full range.
struct FuzzInput {
    private let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func bool() -> Bool { byte() & 1 == 1 }

    /// Little-endian, zero-filled past the end.
    mutating func uint64() -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 8) { value |= UInt64(byte()) << UInt64(shift) }
        return value
    }

    mutating func int128() -> Int128 {
        let low = uint64()
        let high = uint64()
        return Int128(bitPattern: UInt128(high) << 64 | UInt128(low))
    }

    /// One of `choices`, by the next byte.
    mutating func pick<T>(_ choices: [T]) -> T { choices[Int(byte()) % choices.count] }

    /// A value in `0...bound`: small, at or near the bound, a power of ten, or anywhere.
    mutating func integer(upTo bound: Int64) -> Int64 {
        precondition(bound >= 0)
        switch byte() % 6 {
        case 0: return min(bound, Int64(byte()))
        case 1: return bound
        case 2: return max(0, bound - Int64(byte()))
        case 3:
            var power: Int64 = 1
            for _ in 0..<(byte() % 19) where power <= bound / 10 { power *= 10 }
            return min(bound, max(0, power + Int64(Int8(bitPattern: byte()))))
        default:
            return bound == .max ? Int64(uint64() >> 1) : Int64(uint64() % UInt64(bound + 1))
        }
    }

    /// An amount in `0...bound` attos, biased like ``integer(upTo:)``.
    mutating func integer(upTo bound: Int128) -> Int128 {
        precondition(bound >= 0)
        switch byte() % 6 {
        case 0: return min(bound, Int128(byte()) * 10_000_000_000_000_000)
        case 1: return bound
        case 2: return max(0, bound - Int128(byte()))
        case 3:
            var power: Int128 = 1
            for _ in 0..<(byte() % 38) where power <= bound / 10 { power *= 10 }
            return min(bound, max(0, power + Int128(Int8(bitPattern: byte()))))
        default:
            let bits = UInt128(bitPattern: int128())
            return bound == .max ? Int128(bits >> 1) : Int128(bits % UInt128(bound + 1))
        }
    }

    /// Any `Int64`, biased the same way, negative values and both bounds included.
    mutating func anyInt64() -> Int64 {
        switch byte() % 4 {
        case 0: return Int64(Int8(bitPattern: byte()))
        case 1: return byte() & 1 == 0 ? .max - Int64(byte()) : .min + Int64(byte())
        default: return Int64(bitPattern: uint64())
        }
    }

    /// Any `Int128` (attos), biased the same way.
    mutating func anyInt128() -> Int128 {
        switch byte() % 4 {
        case 0: return Int128(Int8(bitPattern: byte())) * 1_000_000_000_000_000_000
        case 1: return byte() & 1 == 0 ? .max - Int128(byte()) : .min + Int128(byte())
        default: return int128()
        }
    }

    /// Up to `maxCount` bytes, the count read first.
    mutating func bytes(maxCount: Int) -> [UInt8] {
        let count = min(Int(byte()) % (maxCount + 1), bytes.count - min(position, bytes.count))
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    /// Everything not read yet.
    mutating func rest() -> [UInt8] {
        guard position < bytes.count else { return [] }
        defer { position = bytes.count }
        return Array(bytes[position...])
    }
}
