import GRDB
import WardenCore

/// What a store remembers about pseudonyms (in its `meta` table): the fingerprint of the key its
/// pseudonyms were made with and the labels they replace, so a start with another key, or one
/// that begins to pseudonymise labels the store already holds raw, is noticed before it splits
/// every user's history in two.
public struct PrivacyRecord: Sendable, Equatable {
    public var keyFingerprint: String
    /// Sorted.
    public var labels: [String]

    public init(keyFingerprint: String, labels: [String]) {
        self.keyFingerprint = keyFingerprint
        self.labels = labels.sorted()
    }
}

extension UsageStore {
    static let privacyKeyFingerprintKey = "privacy.key_fingerprint"
    static let privacyLabelsKey = "privacy.labels"

    /// The recorded pseudonym settings, or nil when this store never pseudonymised.
    public func privacyRecord() throws(StoreError) -> PrivacyRecord? {
        do {
            return try pool.read { db in
                guard let fingerprint = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?",
                                                            arguments: [Self.privacyKeyFingerprintKey]) else { return nil }
                let labels = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [Self.privacyLabelsKey]) ?? ""
                return PrivacyRecord(keyFingerprint: fingerprint, labels: labels.split(separator: ",").map(String.init))
            }
        } catch {
            throw StoreError(.read, "cannot read the pseudonym settings of \(path): \(error)")
        }
    }

    public func savePrivacyRecord(_ record: PrivacyRecord) throws(StoreError) {
        do {
            try pool.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?), (?, ?)",
                               arguments: [Self.privacyKeyFingerprintKey, record.keyFingerprint,
                                           Self.privacyLabelsKey, record.labels.joined(separator: ",")])
            }
        } catch {
            throw StoreError(.write, "cannot record the pseudonym settings in \(path): \(error)")
        }
    }

    /// The labels of `labels` for which some recorded usage event holds a value that is not a
    /// pseudonym (one scan of the usage log per label, stopping at the first such value).
    public func labelsHoldingRawValues(_ labels: [String]) throws(StoreError) -> [String] {
        let pattern = Pseudonymisation.prefix + String(repeating: "[0-9a-f]", count: 2 * Pseudonymisation.digestBytes)
        do {
            return try pool.read { db in
                try labels.filter { label in
                    try Bool.fetchOne(db, sql: """
                        SELECT EXISTS (SELECT 1 FROM usage_event
                                       WHERE json_extract(attribution, ?) IS NOT NULL
                                         AND json_extract(attribution, ?) NOT GLOB ?)
                        """, arguments: ["$.\"\(label)\"", "$.\"\(label)\"", pattern]) ?? false
                }
            }
        } catch {
            throw StoreError(.read, "cannot read the usage log of \(path): \(error)")
        }
    }
}
