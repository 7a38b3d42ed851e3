import Foundation
import Testing
@testable import WardenCore

/// Zones read from the system's tzdata, as the server reads them.
enum TimeZoneTestData {
    /// The zones the cross-checks cover, each chosen for a trap: 30-minute DST (Lord Howe),
    /// a +5:45 offset (Kathmandu), DST abolished (Sao Paulo, Tehran), midnight DST changes
    /// (Tehran, Havana), a skipped day (Apia), southern-hemisphere DST (Lord Howe, Sao Paulo).
    static let crossCheckedZones = [
        "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu",
        "America/Sao_Paulo", "Pacific/Apia", "Asia/Tehran", "UTC", "America/Havana",
    ]

    static let directory = "/usr/share/zoneinfo"

    /// The TZif bytes of `name`; fails the test, saying how to get tzdata, when they are missing.
    static func bytes(_ name: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: "\(directory)/\(name)") else {
            throw MissingTimeZoneData(
                description: "\(directory)/\(name) is missing: these tests need the IANA tz database; `make test` installs the tzdata package")
        }
        return [UInt8](data)
    }

    static func rules(_ name: String) throws -> TimeZoneRules {
        try TimeZoneRules(name: name, tzif: bytes(name))
    }

    struct MissingTimeZoneData: Error, CustomStringConvertible {
        var description: String
    }

    static func timestamp(_ text: String) -> Timestamp {
        try! Timestamp(rfc3339: text)
    }
}
