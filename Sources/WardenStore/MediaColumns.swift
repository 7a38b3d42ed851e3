import GRDB
import WardenCore

/// The `usage_event` columns of audio tokens and media units (added by migration
/// `v13-media-units`, default 0 / NULL so older rows read as text-only calls), read the same way
/// by every query of the usage log.
enum MediaColumns {
    /// In this order, for a SELECT list.
    static let list = "audio_input_tokens, audio_output_tokens, images, image_size, image_quality, audio_input_us, audio_output_us"

    /// Reads the columns of ``list`` starting at `offset` of `row`.
    static func read(_ row: Row, at offset: Int) -> (audioInput: Int64, audioOutput: Int64, media: MediaUsage) {
        let media = MediaUsage(
            images: row[offset + 2], imageSize: row[offset + 3], imageQuality: row[offset + 4],
            audioInputSeconds: MediaSeconds(microseconds: row[offset + 5]),
            audioOutputSeconds: MediaSeconds(microseconds: row[offset + 6]))
        return (row[offset], row[offset + 1], media)
    }

    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE usage_event ADD COLUMN audio_input_tokens INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE usage_event ADD COLUMN audio_output_tokens INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE usage_event ADD COLUMN images INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE usage_event ADD COLUMN image_size TEXT;
            ALTER TABLE usage_event ADD COLUMN image_quality TEXT;
            ALTER TABLE usage_event ADD COLUMN audio_input_us INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE usage_event ADD COLUMN audio_output_us INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE ledger_series ADD COLUMN audio_input INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE ledger_series ADD COLUMN audio_output INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE ledger_series ADD COLUMN images INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE ledger_series ADD COLUMN audio_input_us INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE ledger_series ADD COLUMN audio_output_us INTEGER NOT NULL DEFAULT 0;
            """)
    }
}
