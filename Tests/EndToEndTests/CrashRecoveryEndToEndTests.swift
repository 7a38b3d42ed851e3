import Foundation
import Synchronization
import Testing
import TestSupport

/// SIGKILL at an arbitrary moment during a stream of posts loses nothing that was acknowledged,
/// counts nothing twice, and never makes a counter go backwards.
@Suite(.serialized) struct CrashRecoveryEndToEndTests {
    final class Observations: Sendable {
        let acknowledged = Mutex<[String: String]>([:])   // id → cost
        let highestRequests = Mutex<Double>(0)
        let highestCost = Mutex<Double>(0)
        /// /metrics answers read while the stream ran.
        let scrapes = Mutex<Int>(0)
        let stopped = Mutex<Bool>(false)
        var isStopped: Bool { stopped.withLock { $0 } }
    }

    static let eventsPerBatch = 5

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
                        let ids = (0..<Self.eventsPerBatch).map { "p\(poster)-b\(batch)-e\($0)" }
                        let body = "[" + ids.enumerated().map { usageEvent($1, input: 1000 + $0, output: 17 * poster) }
                            .joined(separator: ",") + "]"
                        batch += 1
                        // Posts cut off by the kill get no answer at all; every answer that does
                        // arrive must be a complete acknowledgement of the batch.
                        guard let response = try? await HTTP.postJSON("\(baseURL)/v1/usage", body) else { continue }
                        #expect(response.status == 200, "\(response.text)")
                        let results = (try? response.jsonObject())?["results"] as? [[String: Any]] ?? []
                        #expect(results.compactMap { $0["id"] as? String } == ids, "\(response.text)")
                        guard response.status == 200 else { continue }
                        observations.acknowledged.withLock { acknowledged in
                            for result in results { acknowledged[result["id"] as! String] = result["cost"] as? String }
                        }
                    }
                }
            }
            group.addTask {
                // Samples the counters while the stream runs (paced, not waiting for anything).
                while !observations.isStopped {
                    if let response = try? await HTTP.get("\(baseURL)/metrics") {
                        #expect(response.status == 200, "\(response.text)")
                        let metrics = Exposition(response.text)
                        let requests = metrics.sum("tokenwarden_requests_total")
                        let cost = metrics.sum("tokenwarden_cost_total")
                        observations.highestRequests.withLock { $0 = max($0, requests) }
                        observations.highestCost.withLock { $0 = max($0, cost) }
                        observations.scrapes.withLock { $0 += 1 }
                    }
                    try? await Task.sleep(for: .milliseconds(30))
                }
            }
            group.addTask {
                defer { observations.stopped.withLock { $0 = true } }
                // Kill mid-stream once plenty was acknowledged: at least 1.5 s in and 150 events (a
                // loaded CI machine acknowledges fewer per second), at most 60 s in.
                let started = ContinuousClock.now
                _ = try await poll(for: .seconds(60), every: .milliseconds(20), until: {
                    ContinuousClock.now - started >= .milliseconds(1500)
                        && observations.acknowledged.withLock { $0.count } >= 150
                })
                await first.stop(signal: SIGKILL)
            }
            try await group.waitForAll()
        }
        let acknowledged = observations.acknowledged.withLock { $0 }
        #expect(acknowledged.count >= 150, "the stream should have been acknowledged many times before the kill")
        #expect(acknowledged.count % Self.eventsPerBatch == 0, "only whole batches are acknowledged")
        #expect(observations.scrapes.withLock { $0 } > 0, "no /metrics answer was read during the stream")
        #expect(observations.highestRequests.withLock { $0 } > 0)

        let second = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        var stored: [String: String] = [:]
        var cursor: String?
        repeat {
            let url = "\(second.baseURL)/v1/usage?limit=10000" + (cursor.map { "&cursor=\($0)" } ?? "")
            let response = try await HTTP.get(url)
            #expect(response.status == 200, "\(response.text)")
            let page = try response.jsonObject()
            for event in try #require(page["events"] as? [[String: Any]], "\(response.text.prefix(500))") {
                let id = try #require(event["id"] as? String)
                #expect(stored[id] == nil, "event \(id) stored twice")
                stored[id] = event["cost"] as? String
            }
            cursor = page["next_cursor"] as? String
        } while cursor != nil

        #expect(stored.count >= acknowledged.count)
        for (id, cost) in acknowledged {
            #expect(stored[id] == cost, "acknowledged event \(id) was lost or changed")
        }
        let metricsResponse = try await HTTP.get("\(second.baseURL)/metrics")
        #expect(metricsResponse.status == 200)
        let metrics = Exposition(metricsResponse.text)
        #expect(metrics.sum("tokenwarden_requests_total") == Double(stored.count))
        #expect(metrics.sum("tokenwarden_requests_total") >= observations.highestRequests.withLock { $0 })
        #expect(metrics.sum("tokenwarden_cost_total") >= observations.highestCost.withLock { $0 } - 1e-9)

        // Replaying everything that was acknowledged counts nothing again.
        let replayedIDs = Array(acknowledged.keys.sorted().prefix(500))
        let replay = "[" + replayedIDs.map { usageEvent($0) }.joined(separator: ",") + "]"
        let replayed = try await HTTP.postJSON("\(second.baseURL)/v1/usage", replay)
        #expect(replayed.status == 200, "\(replayed.text)")
        let results = try #require(try replayed.jsonObject()["results"] as? [[String: Any]], "\(replayed.text)")
        #expect(results.count == replayedIDs.count)
        #expect(results.compactMap { $0["id"] as? String } == replayedIDs)
        #expect(results.allSatisfy { $0["duplicate"] as? Bool == true })
        let after = Exposition(try await HTTP.get("\(second.baseURL)/metrics").text)
        #expect(after.sum("tokenwarden_requests_total") == Double(stored.count))
        await second.stop()
    }

    @Test func aCleanShutdownFlushesAndARestartContinuesTheCounters() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let first = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let posted = try await HTTP.postJSON("\(first.baseURL)/v1/usage", "[\(usageEvent("c1")),\(usageEvent("c2", team: "ads"))]")
        #expect(posted.status == 200, "\(posted.text)")
        #expect((try posted.jsonObject()["results"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["c1", "c2"])
        let status = await first.stop(signal: SIGTERM)
        #expect(status == 0)
        #expect(first.log.contains("stopped"))

        let second = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let again = try await HTTP.postJSON("\(second.baseURL)/v1/usage", usageEvent("c3"))
        #expect(again.status == 200, "\(again.text)")
        let metricsResponse = try await HTTP.get("\(second.baseURL)/metrics")
        #expect(metricsResponse.status == 200)
        let metrics = Exposition(metricsResponse.text)
        #expect(metrics.sum("tokenwarden_requests_total") == 3)
        #expect(metrics.sum("tokenwarden_requests_total", where: ["team": "search"]) == 2)
        await second.stop()
    }
}
