/// The live reservations by id, in 256 dictionaries chosen by the id's hash.
///
/// Why shards: a dictionary grows by rehashing every entry at once, under the engine's lock. With
/// one table of several hundred thousand reservations (every allowed check holds one until its
/// usage arrives) a single growth stalled every check for 50–200 ms, which was the `/v1/check`
/// p99. A shard holds 1/256 of them, so its growth costs 1/256 of that.
struct ReservationTable: Sendable {
    private static let shardCount = 256
    private var shards = [[String: Reservation]](repeating: [:], count: ReservationTable.shardCount)
    private(set) var count = 0

    private static func shard(_ id: String) -> Int { Int(UInt(bitPattern: id.hashValue) % UInt(shardCount)) }

    subscript(id: String) -> Reservation? {
        get { shards[Self.shard(id)][id] }
        set {
            let shard = Self.shard(id)
            let old = shards[shard].updateValue(forKey: id, newValue)
            count += (newValue == nil ? 0 : 1) - (old == nil ? 0 : 1)
        }
    }

    mutating func removeValue(forKey id: String) -> Reservation? {
        let removed = shards[Self.shard(id)].removeValue(forKey: id)
        if removed != nil { count -= 1 }
        return removed
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
