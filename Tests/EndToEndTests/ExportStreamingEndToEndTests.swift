import Foundation
import Testing

/// Exports are streamed batch by batch: pages that span several batches must read exactly as one
/// read would (every row once, in order, with the right cursor), whatever the batch size.
@Suite struct ExportStreamingEndToEndTests {
    static func record(_ warden: WardenProcess, count: Int) async throws {
        for start in stride(from: 0, to: count, by: 500) {
            let events = (start..<min(start + 500, count)).map { usageEvent("s\($0)", team: $0 % 2 == 0 ? "even" : "odd") }
            let response = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", "[\(events.joined(separator: ","))]")
            try #require(response.status == 200)
        }
    }

    @Test func aCSVExportSpanningManyBatchesHasEveryRowOnceAndTheRightCursor() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        try await Self.record(warden, count: 2600)

        let page = try await HTTP.get("\(warden.baseURL)/v1/usage.csv?team=even&limit=1100")
        #expect(page.status == 200)
        let lines = page.text.split(separator: "\r\n")
        #expect(lines.count == 1 + 1100)
        let ids = lines.dropFirst().map { $0.split(separator: ",")[1] }
        #expect(ids == (0..<1100).map { "s\($0 * 2)"[...] })
        let cursor = try #require(page.header("X-Next-Cursor"))
        #expect(lines.last?.hasPrefix(cursor + ",") == true)

        let rest = try await HTTP.get("\(warden.baseURL)/v1/usage.csv?team=even&cursor=\(cursor)")
        let restIDs = rest.text.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",")[1] }
        #expect(restIDs == (1100..<1300).map { "s\($0 * 2)"[...] })
        #expect(rest.header("X-Next-Cursor") == nil)
        await warden.stop()
    }

    @Test func aJSONPageSpanningBatchesIsOneValidDocument() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        try await Self.record(warden, count: 2600)

        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try await HTTP.get("\(warden.baseURL)/v1/usage?limit=2500" + (cursor.map { "&cursor=\($0)" } ?? ""))
            let object = try page.jsonObject()
            let events = try #require(object["events"] as? [[String: Any]])
            seen += events.compactMap { $0["id"] as? String }
            cursor = object["next_cursor"] as? String
        } while cursor != nil
        #expect(seen == (0..<2600).map { "s\($0)" })
        await warden.stop()
    }
}
