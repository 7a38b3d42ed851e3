import Testing
import WardenCore

@Suite struct TimestampTests {
    @Test func parsesAndFormatsRFC3339() throws {
        let time = try Timestamp(rfc3339: "2024-02-29T23:59:59.5+01:00")
        #expect(time.rfc3339 == "2024-02-29T22:59:59.5Z")
    }

    @Test func aYearOutsideTheRepresentableRangeIsAnErrorNotACrash() {
        for text in ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2262-06-01T00:00:00Z"] {
            #expect(throws: Timestamp.RFC3339Error.self) { try Timestamp(rfc3339: text) }
        }
        #expect((try? Timestamp(rfc3339: "2261-12-31T23:59:59Z")) != nil)
        #expect((try? Timestamp(rfc3339: "1678-01-01T00:00:00Z")) != nil)
    }

    @Test func civilDatesRoundTripThroughDayNumbers() {
        for day in stride(from: -200_000, through: 200_000, by: 97) {
            let date = CivilDate(daysSinceEpoch: day)
            #expect(date.daysSinceEpoch == day)
            #expect((1...CivilDate.daysInMonth(year: date.year, month: date.month)).contains(date.day))
        }
    }
}

@Suite struct AttributionTests {
    @Test func labelsAreKeptSortedWhateverTheInsertionOrder() {
        var attribution = Attribution()
        for key in ["team", "agent", "org", "user", "project"] { attribution[key] = key.uppercased() }
        #expect(attribution.labels.map(\.key) == ["agent", "org", "project", "team", "user"])
        attribution["org"] = "other"
        attribution["zz"] = "last"
        attribution["agent"] = nil
        #expect(attribution.labels.map(\.key) == ["org", "project", "team", "user", "zz"])
        #expect(attribution["org"] == "other")
        #expect(attribution == Attribution(["zz": "last", "user": "USER", "team": "TEAM", "project": "PROJECT", "org": "other"]))
    }
}
