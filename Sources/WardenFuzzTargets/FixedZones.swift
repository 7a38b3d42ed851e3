import WardenCore

/// The time zones the rule targets know, from POSIX rules so no zone database is read; any
/// other name is unknown, as on a system without it.
enum FixedZones {
    struct UnknownZone: Error, CustomStringConvertible {
        var name: String
        var description: String { "unknown time zone \"\(name)\"" }
    }

    static let zones: [String: TimeZoneRules] = [
        "Europe/Berlin": try! TimeZoneRules(name: "Europe/Berlin", posixRule: "CET-1CEST,M3.5.0,M10.5.0/3"),
        "America/New_York": try! TimeZoneRules(name: "America/New_York", posixRule: "EST5EDT,M3.2.0,M11.1.0"),
        "Asia/Kathmandu": try! TimeZoneRules(name: "Asia/Kathmandu", posixRule: "<+0545>-5:45"),
    ]

    static func resolve(_ name: String) throws -> TimeZoneRules {
        guard let zone = zones[name] else { throw UnknownZone(name: name) }
        return zone
    }
}
