/// The live reservations by id, in 256 dictionaries chosen by the id's hash.
///
/// Why shards: a dictionary grows by rehashing every entry at once, under the engine's lock. With
/// one table of several hundred thousand reservations (every allowed check holds one until its
/// usage arrives) a single growth stalled every check for 50–200 ms, which was the `/v1/check`
/// p99. A shard holds 1/256 of them, so its growth costs 1/256 of that.
struct ReservationTable: Sendable {
    private static let shardCount = 256
    private var shards = [[Key: Reservation]](repeating: [:], count: ReservationTable.shardCount)
    private(set) var count = 0
    /// Live reservations per API key name, for `reservations.max_active_per_key`; reservations
    /// made without a key are not counted here.
    private var countByKey: [String: Int] = [:]

    /// Live reservations made with the key named `name`.
    func count(forKey name: String) -> Int { countByKey[name] ?? 0 }

    /// An id as the tables' key, hashed by 16 bytes of it taken once, not by the whole string.
    ///
    /// Why: the ids the server makes are `rsv_` and 32 random hex digits, so their last 16
    /// bytes carry 64 random bits; hashing the whole 36-byte string for the shard, again for the
    /// dictionary, and again for every entry each time a shard grows showed as most of a
    /// check's reservation cost in `/v1/check` profiles. Equal ids have equal bytes, so the
    /// hash agrees with equality for any id; ids shorter than 16 bytes (callers' own, tests')
    /// are hashed whole.
    struct Key: Hashable, Sendable {
        let id: String
        let low: UInt64
        let high: UInt64

        init(_ id: String) {
            self.id = id
            guard id.utf8.count >= 16 else {
                (low, high) = (UInt64(bitPattern: Int64(id.hashValue)), UInt64(id.utf8.count))
                return
            }
            var bytes = id
            (low, high) = bytes.withUTF8 { utf8 in
                let tail = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[(utf8.count - 16)...])
                return (tail.loadUnaligned(fromByteOffset: 0, as: UInt64.self), tail.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            }
        }

        static func == (lhs: Key, rhs: Key) -> Bool { lhs.low == rhs.low && lhs.high == rhs.high && lhs.id == rhs.id }

        func hash(into hasher: inout Hasher) {
            hasher.combine(low)
            hasher.combine(high)
        }

        /// The shard: hex digits vary in their low bits, so the bytes are mixed first.
        var shard: Int { Int(truncatingIfNeeded: ((low ^ high) &* 0x9E37_79B9_7F4A_7C15) >> 56) }
    }

    subscript(id: String) -> Reservation? {
        get {
            let key = Key(id)
            return shards[key.shard][key]
        }
        set {
            let key = Key(id)
            let old = shards[key.shard].updateValue(forKey: key, newValue)
            count += (newValue == nil ? 0 : 1) - (old == nil ? 0 : 1)
            if let name = old?.keyName { countDown(name) }
            if let name = newValue?.keyName { countByKey[name, default: 0] += 1 }
        }
    }

    mutating func removeValue(forKey id: String) -> Reservation? {
        let key = Key(id)
        let removed = shards[key.shard].removeValue(forKey: key)
        if let removed {
            count -= 1
            if let name = removed.keyName { countDown(name) }
        }
        return removed
    }

    private mutating func countDown(_ name: String) {
        let left = (countByKey[name] ?? 1) - 1
        countByKey[name] = left > 0 ? left : nil
    }

    /// Every reservation, in no particular order.
    var values: [Reservation] { shards.flatMap(\.values) }

    func mapValues(_ transform: (Reservation) -> Reservation) -> ReservationTable {
        var copy = self
        for index in copy.shards.indices { copy.shards[index] = copy.shards[index].mapValues(transform) }
        return copy
    }
}

private extension Dictionary {
    /// Sets or removes `key`, returning what was there.
    mutating func updateValue(forKey key: Key, _ value: Value?) -> Value? {
        if let value { return updateValue(value, forKey: key) }
        return removeValue(forKey: key)
    }
}
