import Foundation
import PropertyBased
import Testing
@testable import WardenCore

@Suite("Time zone rules")
struct TimeZoneRulesTests {
    typealias Data = TimeZoneTestData

    @Test func offsetsMatchFoundationForRandomInstantsFrom1900To2100() async throws {
        for name in Data.crossCheckedZones {
            let zone = try Data.rules(name)
            let foundation = try #require(TimeZone(identifier: name))
            await propertyCheck(count: 400, input: Gen.int64(in: -2_208_988_800...4_102_444_800)) { second in
                let expected = foundation.secondsFromGMT(for: Date(timeIntervalSince1970: Double(second)))
                #expect(zone.utcOffset(at: Timestamp(secondsSinceEpoch: second)) == expected, "\(name) at \(Timestamp(secondsSinceEpoch: second))")
            }
        }
    }

    @Test func localDateTimeMatchesFoundationsCalendar() async throws {
        for name in Data.crossCheckedZones {
            let zone = try Data.rules(name)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = try #require(TimeZone(identifier: name))
            await propertyCheck(count: 200, input: Gen.int64(in: 0...4_102_444_800)) { second in
                let local = zone.localDateTime(at: Timestamp(secondsSinceEpoch: second))
                let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday],
                                                    from: Date(timeIntervalSince1970: Double(second)))
                #expect([local.date.year, local.date.month, local.date.day, local.hour, local.minute, local.second]
                    == [parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second].map { $0! })
                #expect(local.weekday.rawValue % 7 + 1 == parts.weekday)  // Foundation: 1 = Sunday
            }
        }
    }

    @Test func localTimeRoundTripsThroughInstantForEveryInstant() async throws {
        for name in Data.crossCheckedZones {
            let zone = try Data.rules(name)
            await propertyCheck(count: 300, input: Gen.int64(in: -2_208_988_800...7_258_118_400)) { second in
                let instant = Timestamp(secondsSinceEpoch: second)
                let local = zone.localDateTime(at: instant)
                let back = zone.instant(forLocal: local.date, hour: local.hour, minute: local.minute, second: local.second)
                // Equal, or — for the second occurrence of a repeated wall-clock time — earlier with the same reading.
                #expect(back <= instant)
                let again = zone.localDateTime(at: back)
                #expect((again.date, again.hour, again.minute, again.second) == (local.date, local.hour, local.minute, local.second))
            }
        }
    }

    @Test func aTimeInASpringForwardGapMapsToTheEndOfTheGap() throws {
        let berlin = try Data.rules("Europe/Berlin")
        // 2026-03-29: 02:00 CET → 03:00 CEST; 02:30 does not exist.
        let instant = berlin.instant(forLocal: CivilDate(year: 2026, month: 3, day: 29), hour: 2, minute: 30)
        #expect(instant == Data.timestamp("2026-03-29T01:00:00Z"))  // 03:00 CEST
        let newYork = try Data.rules("America/New_York")
        #expect(newYork.instant(forLocal: CivilDate(year: 2026, month: 3, day: 8), hour: 2, minute: 15)
            == Data.timestamp("2026-03-08T07:00:00Z"))  // 03:00 EDT
    }

    @Test func aRepeatedTimeInAFallBackOverlapMapsToTheEarlierInstant() throws {
        let berlin = try Data.rules("Europe/Berlin")
        // 2026-10-25: 03:00 CEST → 02:00 CET; 02:30 happens at 00:30Z and again at 01:30Z.
        #expect(berlin.instant(forLocal: CivilDate(year: 2026, month: 10, day: 25), hour: 2, minute: 30)
            == Data.timestamp("2026-10-25T00:30:00Z"))
        let lordHowe = try Data.rules("Australia/Lord_Howe")
        // 2026-04-05: 02:00 (+11) → 01:30 (+10:30); 01:45 happens twice.
        #expect(lordHowe.instant(forLocal: CivilDate(year: 2026, month: 4, day: 5), hour: 1, minute: 45)
            == Data.timestamp("2026-04-04T14:45:00Z"))
    }

    @Test func apiaSkippedTheThirtiethOfDecember2011() throws {
        let apia = try Data.rules("Pacific/Apia")
        let skipped = apia.instant(forLocal: CivilDate(year: 2011, month: 12, day: 30), hour: 12)
        // The first instant after the skipped day is 2011-12-31T00:00 local (+14) = 12-30T10:00Z.
        #expect(skipped == Data.timestamp("2011-12-30T10:00:00Z"))
        #expect(apia.localDateTime(at: skipped).date == CivilDate(year: 2011, month: 12, day: 31))
    }

    @Test func kathmanduIsFiveFortyFiveAhead() throws {
        let kathmandu = try Data.rules("Asia/Kathmandu")
        #expect(kathmandu.utcOffset(at: Data.timestamp("2026-11-23T12:00:00Z")) == 5 * 3600 + 45 * 60)
        let local = kathmandu.localDateTime(at: Data.timestamp("2026-11-23T12:00:00Z"))
        #expect(local.description == "2026-11-23T17:45:00+05:45")
    }

    @Test func abolishedDaylightSavingStaysAbolished() throws {
        let saoPaulo = try Data.rules("America/Sao_Paulo")
        for year in [2025, 2040, 2100] {
            #expect(saoPaulo.utcOffset(at: Data.timestamp("\(year)-01-15T12:00:00Z")) == -3 * 3600)
            #expect(saoPaulo.utcOffset(at: Data.timestamp("\(year)-07-15T12:00:00Z")) == -3 * 3600)
        }
        let tehran = try Data.rules("Asia/Tehran")
        #expect(tehran.utcOffset(at: Data.timestamp("2030-06-15T12:00:00Z")) == 3 * 3600 + 30 * 60)
    }

    @Test func footerRulesApplyUpTo2262() throws {
        let berlin = try Data.rules("Europe/Berlin")
        #expect(berlin.utcOffset(at: Data.timestamp("2261-07-01T00:00:00Z")) == 7200)
        #expect(berlin.utcOffset(at: Data.timestamp("2261-12-01T00:00:00Z")) == 3600)
        #expect(TimeZoneRules.utc.utcOffset(at: Timestamp(nanosecondsSinceEpoch: .max)) == 0)
    }

    // MARK: POSIX TZ rules (the TZif footer)

    static let posixCases: [(String, String, Int)] = [
        ("CET-1CEST,M3.5.0,M10.5.0/3", "2026-03-29T00:59:59Z", 3600),
        ("CET-1CEST,M3.5.0,M10.5.0/3", "2026-03-29T01:00:00Z", 7200),
        ("CET-1CEST,M3.5.0,M10.5.0/3", "2026-10-25T00:59:59Z", 7200),
        ("CET-1CEST,M3.5.0,M10.5.0/3", "2026-10-25T01:00:00Z", 3600),
        ("EST5EDT,M3.2.0,M11.1.0", "2026-03-08T06:59:59Z", -18000),
        ("EST5EDT,M3.2.0,M11.1.0", "2026-03-08T07:00:00Z", -14400),
        ("EST5EDT,M3.2.0,M11.1.0", "2026-11-01T06:00:00Z", -18000),
        ("<+0545>-5:45", "2026-06-01T00:00:00Z", 20700),
        ("<-03>3", "2026-01-01T00:00:00Z", -10800),
        // Southern hemisphere: DST spans the new year.
        ("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", "2026-01-15T00:00:00Z", 39600),
        ("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", "2026-06-15T00:00:00Z", 37800),
        // Jn and n forms: day 60 is March 1 (Jn never counts Feb 29), n counts from 0.
        ("XST-2XDT,J60/0,J300/0", "2024-03-01T00:00:00Z", 10800),
        ("XST-2XDT,J60/0,J300/0", "2024-02-29T12:00:00Z", 7200),
        ("XST-2XDT,59/0,300/0", "2024-02-29T12:00:00Z", 10800),
        // Permanent DST written as a rule spanning the whole year (RFC 8536 §3.3.1).
        ("EST5EDT,0/0,J365/25", "2026-07-01T00:00:00Z", -14400),
        ("EST5EDT,0/0,J365/25", "2026-12-31T23:00:00Z", -14400),
        // Rule times beyond 24 hours (v3): Jerusalem-style -M3.4.4/26.
        ("IST-2IDT,M3.4.4/26,M10.5.0", "2026-03-27T00:00:00Z", 10800),
    ]

    @Test(arguments: posixCases)
    func posixRulesGiveTheRightOffset(rule: String, at time: String, offset: Int) throws {
        let zone = try TimeZoneRules(name: "Test", posixRule: rule)
        #expect(zone.utcOffset(at: Data.timestamp(time)) == offset)
        let posix = try POSIXTimeZoneRule(parsing: rule, zone: "Test")
        #expect(posix.offset(atSecond: Data.timestamp(time).secondsSinceEpoch) == Int64(offset))
    }

    static let malformedRules: [String] = ["", "C", "CET", "CET-1CEST,M3.5.0", "CET-1CEST,M13.5.0,M10.5.0", "CET-1CEST,M3.6.0,M10.5.0",
                      "<+05", "CET-1CEST,J0,J100", "CET-25", "CET-1CEST,M3.5.0,M10.5.0/3x", "CET-1CEST,M3.5.7,M10.5.0"]

    @Test(arguments: malformedRules)
    func malformedPOSIXRulesAreErrorsNotCrashes(rule: String) {
        #expect(throws: TimeZoneError.self) { try TimeZoneRules(name: "Bad", posixRule: rule) }
    }

    @Test func theExpandedTableAgreesWithTheRuleEveryWhere() async throws {
        let rule = try POSIXTimeZoneRule(parsing: "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", zone: "Test")
        let zone = try TimeZoneRules(name: "Test", posixRule: "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0")
        await propertyCheck(count: 500, input: Gen.int64(in: -9_000_000_000...9_000_000_000)) { second in
            #expect(Int64(zone.utcOffset(at: Timestamp(secondsSinceEpoch: second))) == rule.offset(atSecond: second))
        }
    }

    // MARK: TZif files

    @Test func version1FilesAreRead() throws {
        // A hand-built v1 file: UTC+1 until 2000-01-01, then UTC+2.
        var bytes: [UInt8] = Array("TZif".utf8) + [0] + Array(repeating: 0, count: 15)
        func int32(_ value: Int32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
        bytes += [0, 0, 0, 1, 2, 4].flatMap { int32($0) }  // isut, isstd, leap, time, type, char counts
        bytes += int32(946_684_800) + [1]
        bytes += int32(3600) + [0, 0] + int32(7200) + [0, 0]
        bytes += Array("ABC\0".utf8)
        let zone = try TimeZoneRules(name: "Test/V1", tzif: bytes)
        #expect(zone.utcOffset(at: Data.timestamp("1999-12-31T22:59:59Z")) == 3600)
        #expect(zone.utcOffset(at: Data.timestamp("2000-01-01T00:00:00Z")) == 7200)
    }

    @Test func truncatedOrForeignBytesAreErrors() throws {
        let berlin = try Data.bytes("Europe/Berlin")
        for length in [0, 10, 44, 60, berlin.count / 2, berlin.count - 2] {
            #expect(throws: TimeZoneError.self) { try TimeZoneRules(name: "Europe/Berlin", tzif: Array(berlin.prefix(length))) }
        }
        #expect(throws: TimeZoneError(zone: "X", message: "not a TZif file (it does not start with \"TZif\")")) {
            try TimeZoneRules(name: "X", tzif: Array("not a zone file at all, no, not at all........".utf8))
        }
    }

    @Test func randomCorruptionNeverCrashes() async throws {
        let berlin = try Data.bytes("Europe/Berlin")
        await propertyCheck(count: 300, input: Gen.int(in: 0...(berlin.count - 1)), Gen.uint8()) { position, value in
            var bytes = berlin
            bytes[position] = value
            _ = try? TimeZoneRules(name: "Europe/Berlin", tzif: bytes)
        }
    }

    @Test func leapSecondZoneFilesAreRejectedWithAHint() throws {
        guard FileManager.default.fileExists(atPath: "\(Data.directory)/right/UTC") else { return }
        #expect(throws: TimeZoneError.self) { try Data.rules("right/UTC") }
    }
}
