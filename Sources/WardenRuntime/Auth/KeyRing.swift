import Logging
import Synchronization
import WardenCore
import WardenStore

/// The API keys in memory: a request's key is found by its id without touching SQLite, and its
/// secret checked with one SHA-256.
///
/// The ring is reloaded from `api_key` whenever the table's generation moves
/// (``refreshIfChanged()``, polled by ``KeyRingService`` four times a second), so a key that
/// `tokenwarden keys` creates, rotates or revokes on the file of a running server takes effect
/// within a second, without a restart. When each key was last used is noted in memory at most
/// once a minute per key and written by the same service, off the request path.
public final class KeyRing: Sendable {
    /// When a key was last used, in seconds since the epoch: kept across reloads of the ring,
    /// by id, so a use noted just before a reload is still written.
    final class KeyUse: Sendable {
        let noted: Atomic<Int64>
        let written: Atomic<Int64>

        init(seconds: Int64) {
            noted = Atomic(seconds)
            written = Atomic(seconds)
        }

        /// Cheap on the request path: one load, and a store once a minute.
        func note(_ seconds: Int64) {
            if seconds - noted.load(ordering: .relaxed) >= 60 { noted.store(seconds, ordering: .relaxed) }
        }
    }

    final class Entry: Sendable {
        let key: APIKey
        let use: KeyUse

        init(key: APIKey, use: KeyUse) {
            self.key = key
            self.use = use
        }
    }

    /// One reading of the table; replaced whole, never changed.
    final class Contents: Sendable {
        let byID: [String: Entry]
        let byName: [String: [Entry]]
        let generation: Int64
        /// Rows of every status: revoked and expired keys keep authentication on.
        let rowCount: Int

        init(byID: [String: Entry], byName: [String: [Entry]], generation: Int64, rowCount: Int) {
            self.byID = byID
            self.byName = byName
            self.generation = generation
            self.rowCount = rowCount
        }

        static let empty = Contents(byID: [:], byName: [:], generation: -1, rowCount: 0)
    }

    private let contents = Mutex<Contents>(.empty)
    /// Whether the last reading had any row: read on every request (whether authentication
    /// applies), so it is kept beside the contents where reading it takes no lock.
    private let hasRows = Atomic<Bool>(false)
    /// Serializes reloads (the polling service, and a key change made over HTTP).
    private let reloading = Mutex<Void>(())
    let store: UsageStore
    let clock: any WallClock
    let logger: Logger

    public init(store: UsageStore, clock: any WallClock, logger: Logger) {
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// No key row exists at all (none was ever created, or every row was deleted by hand).
    public var isEmpty: Bool { !hasRows.load(ordering: .acquiring) }

    /// The keys as last read, every status included, by name then creation.
    public var keys: [APIKey] {
        current.byName.keys.sorted().flatMap { current.byName[$0]!.map(\.key) }
    }

    private var current: Contents { contents.withLock { $0 } }

    // MARK: reading the table

    /// Reads the table again if its generation moved since the last reading; returns whether it did.
    @discardableResult
    public func refreshIfChanged() throws(StoreError) -> Bool {
        let generation = try store.apiKeyGeneration()
        guard generation != current.generation else { return false }
        try reload()
        return true
    }

    /// Reads the whole table.
    public func reload() throws(StoreError) {
        try reloading.withLock { _ throws(StoreError) in
            let (rows, generation) = try store.apiKeys()
            let previous = current
            var byID: [String: Entry] = [:]
            var byName: [String: [Entry]] = [:]
            for row in rows {
                let use = previous.byID[row.id]?.use ?? KeyUse(seconds: (row.lastUsed?.nanosecondsSinceEpoch ?? 0) / 1_000_000_000)
                let entry = Entry(key: APIKey(row), use: use)
                byID[row.id] = entry
                byName[row.name, default: []].append(entry)
            }
            let next = Contents(byID: byID, byName: byName, generation: generation, rowCount: rows.count)
            contents.withLock { $0 = next }
            hasRows.store(next.rowCount > 0, ordering: .releasing)
            if previous.generation >= 0 && previous.rowCount == 0 && next.rowCount > 0 {
                logger.notice("API keys exist now: every request except /-/healthy and /-/ready must present one with the route's role")
            }
        }
    }

    // MARK: checking a key

    /// What the ring makes of a presented key.
    public enum Lookup: Sendable, Equatable {
        case valid(APIKey)
        /// Malformed, an unknown id, or a secret that does not match.
        case unknown
        case revoked(APIKey, at: Timestamp)
        case expired(APIKey, at: Timestamp)
    }

    /// `tw_<id>_<secret>` (a bearer token).
    public func check(token: Substring) -> Lookup {
        guard let token = APIKeyToken.Presented(token), let entry = current.byID[token.id] else { return .unknown }
        guard token.matches(entry.key.secretSHA256) else { return .unknown }
        return verdict(entry)
    }

    public func check(token: String) -> Lookup { check(token: Substring(token)) }

    /// A key's name and its key (`tw_…`) or bare secret (the 43 characters after the id), as
    /// `Authorization: Basic` sends them from a browser.
    public func check(name: String, password: String) -> Lookup {
        if let token = APIKeyToken(parsing: password) {
            guard let entry = current.byID[token.id], entry.key.name == name,
                  APIKeyToken.constantTimeEquals(token.secretSHA256, entry.key.secretSHA256) else { return .unknown }
            return verdict(entry)
        }
        guard password.utf8.count == APIKeyToken.secretLength, let entries = current.byName[name] else { return .unknown }
        let digest = APIKeyToken.sha256(password)
        // Every row of the name is compared, so the time does not tell which one matched.
        var match: Entry?
        for entry in entries where APIKeyToken.constantTimeEquals(digest, entry.key.secretSHA256) { match = entry }
        return match.map(verdict) ?? .unknown
    }

    private func verdict(_ entry: Entry) -> Lookup {
        let now = clock.now()
        switch entry.key.status(at: now) {
        case .revoked(let at): return .revoked(entry.key, at: at)
        case .expired(let at): return .expired(entry.key, at: at)
        case .active, .inGrace:
            entry.use.note(now.nanosecondsSinceEpoch / 1_000_000_000)
            return .valid(entry.key)
        }
    }

    // MARK: last use

    /// Writes the uses noted since the last write (at most one per key and minute).
    public func writeUses() throws(StoreError) {
        let due = current.byID.values.compactMap { entry -> (entry: Entry, seconds: Int64)? in
            let noted = entry.use.noted.load(ordering: .relaxed)
            return noted > entry.use.written.load(ordering: .relaxed) ? (entry, noted) : nil
        }
        guard !due.isEmpty else { return }
        try store.recordAPIKeyUse(due.map { (id: $0.entry.key.id, at: Timestamp(nanosecondsSinceEpoch: $0.seconds * 1_000_000_000)) })
        for (entry, seconds) in due { entry.use.written.store(seconds, ordering: .relaxed) }
    }
}
