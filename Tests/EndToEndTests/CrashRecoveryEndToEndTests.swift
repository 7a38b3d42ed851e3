import Foundation
import Synchronization
import Testing

/// SIGKILL at an arbitrary moment during a stream of posts loses nothing that was acknowledged,
/// counts nothing twice, and never makes a counter go backwards.
@Suite(.serialized) struct CrashRecoveryEndToEndTests {
    final class Observations: Sendable {
        let acknowledged = Mutex<[String: String]>([:])   // id → cost
        let highestRequests = Mutex<Double>(0)
        let highestCost = Mutex<Double>(0)
        let stopped = Mutex<Bool>(false)
        var isStopped: Bool { stopped.withLock { $0 } }
    }

    @Test func acknowledgedEventsSurviveSIGKILLAndAreCountedExactlyOnce() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let first = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let observations = Observations()
        let baseURL = first.baseURL

        try await withThrowingTaskGroup(of: Void.self) { group in
            for poster in 0..<8 {
                group.addTask {
                    var batch = 0
                    while !observations.isStopped {
                        let ids = (0..<5).map { "p\(poster)-b\(batch)-e\($0)" }
                        let body = "[" + ids.enumerated().map { usageEvent($1, input: 1000 + $0, output: 17 * poster) }
                            .joined(separator: ",") + "]"
                        batch += 1
                        guard let response = try? await HTTP.postJSON("\(baseURL)/v1/usage", body), response.status == 200,
                              let results = (try? response.jsonObject())?["results"] as? [[String: Any]] else { continue }
                        observations.acknowledged.withLock { acknowledged in
                            for result in results { acknowledged[result["id"] as! String] = result["cost"] as? String }
                        }
                    }
                }
            }
            group.addTask {
                while !observations.isStopped {
                    if let text = try? await HTTP.get("\(baseURL)/metrics").text {
                        let metrics = Exposition(text)
                        let requests = metrics.sum("tokenwarden_requests_total")
                        let cost = metrics.sum("tokenwarden_cost_total")
                        observations.highestRequests.withLock { $0 = max($0, requests) }
                        observations.highestCost.withLock { $0 = max($0, cost) }
                    }
                    try? await Task.sleep(for: .milliseconds(30))
                }
            }
            group.addTask {
                // Kill mid-stream once plenty was acknowledged: at least 1.5 s in and 150 events (a
                // loaded CI machine acknowledges fewer per second), at most 60 s in.
                let started = ContinuousClock.now
                while ContinuousClock.now - started < .seconds(60) {
                    let count = observations.acknowledged.withLock { $0.count }
                    if ContinuousClock.now - started >= .milliseconds(1500) && count >= 150 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                await first.stop(signal: SIGKILL)
                observations.stopped.withLock { $0 = true }
            }
            try await group.waitForAll()
        }
        let acknowledged = observations.acknowledged.withLock { $0 }
        #expect(acknowledged.count > 100, "the stream should have been acknowledged many times before the kill")

        let second = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        var stored: [String: String] = [:]
        var cursor: String?
        repeat {
            let url = "\(second.baseURL)/v1/usage?limit=10000" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = try await HTTP.get(url).jsonObject()
            for event in page["events"] as? [[String: Any]] ?? [] {
                let id = event["id"] as! String
                #expect(stored[id] == nil, "event \(id) stored twice")
                stored[id] = event["cost"] as? String
            }
            cursor = page["next_cursor"] as? String
        } while cursor != nil

        for (id, cost) in acknowledged {
            #expect(stored[id] == cost, "acknowledged event \(id) was lost or changed")
        }
        let metrics = Exposition(try await HTTP.get("\(second.baseURL)/metrics").text)
        #expect(metrics.sum("tokenwarden_requests_total") == Double(stored.count))
        #expect(metrics.sum("tokenwarden_requests_total") >= observations.highestRequests.withLock { $0 })
        #expect(metrics.sum("tokenwarden_cost_total") >= observations.highestCost.withLock { $0 } - 1e-9)

        // Replaying everything that was acknowledged counts nothing again.
        let replay = "[" + acknowledged.keys.sorted().prefix(500).map { usageEvent($0) }.joined(separator: ",") + "]"
        let replayed = try await HTTP.postJSON("\(second.baseURL)/v1/usage", replay)
        let results = try replayed.jsonObject()["results"] as? [[String: Any]] ?? []
        #expect(results.allSatisfy { $0["duplicate"] as? Bool == true })
        let after = Exposition(try await HTTP.get("\(second.baseURL)/metrics").text)
        #expect(after.sum("tokenwarden_requests_total") == Double(stored.count))
        await second.stop()
    }

    @Test func aCleanShutdownFlushesAndARestartContinuesTheCounters() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let first = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        _ = try await HTTP.postJSON("\(first.baseURL)/v1/usage", "[\(usageEvent("c1")),\(usageEvent("c2", team: "ads"))]")
        let status = await first.stop(signal: SIGTERM)
        #expect(status == 0)
        #expect(first.log.contains("stopped"))

        let second = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        _ = try await HTTP.postJSON("\(second.baseURL)/v1/usage", usageEvent("c3"))
        let metrics = Exposition(try await HTTP.get("\(second.baseURL)/metrics").text)
        #expect(metrics.sum("tokenwarden_requests_total") == 3)
        #expect(metrics.sum("tokenwarden_requests_total", where: ["team": "search"]) == 2)
        await second.stop()
    }
}
