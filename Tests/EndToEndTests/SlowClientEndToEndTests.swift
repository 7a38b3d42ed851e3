import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A listener one client cannot starve: thousands of idle and trickling connections from one
/// address (127.0.0.1) while another client (127.0.0.2; all of 127/8 is loopback) keeps being
/// answered, against the real binary with its default connection limits.
@Suite struct SlowClientEndToEndTests {
    private struct Answer: Sendable {
        var status: Int
        var seconds: Double
        var error: String?
    }

    /// One request from 127.0.0.2 on a new connection: readiness or a usage event, in turns.
    private static func victimRequest(port: Int, index: Int) -> Answer {
        let started = ContinuousClock.now
        func elapsed() -> Double {
            let (seconds, attoseconds) = (ContinuousClock.now - started).components
            return Double(seconds) + Double(attoseconds) / 1e18
        }
        do {
            let connection = try RawHTTPConnection(port: port, source: "127.0.0.2", receiveTimeoutSeconds: 10)
            if index.isMultiple(of: 2) {
                try connection.write("GET /-/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            } else {
                let body = usageEvent("victim-\(index)")
                try connection.write("POST /v1/usage HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                     + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            }
            let response = try connection.readResponse()
            return Answer(status: response.status, seconds: elapsed())
        } catch {
            return Answer(status: 0, seconds: elapsed(), error: "\(error)")
        }
    }

    @Test func anotherClientIsServedWhileOneAddressHoldsThousandsOfIdleAndTricklingConnections() async throws {
        let openFiles = TestOpenFileLimit.raise()
        try #require(openFiles >= 8_000, "this test holds 6,000 sockets; the open-file limit is \(openFiles)")
        // The connection limits are the defaults (1024 in all, 64 per client); a request must
        // arrive within 5 s instead of 30 s, so trickling connections are cut off during the test.
        let fixture = try RulesFixture(config: "http:\n  request_timeout: 5s\n")
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let port = warden.port
        let holdSeconds = 15

        async let floodOutcome: (open: Int, reopened: Int) = onOwnThread {
            let flood = ConnectionFlood(port: port)
            try flood.open(idle: 5_000, trickling: 1_000)
            for _ in 0..<holdSeconds {
                sleep(1)
                flood.round()
            }
            return (flood.openCount(), flood.reopened)
        }
        async let answers: [Answer] = onOwnThread {
            // Let the flood take its connections first, then ask five times a second throughout.
            usleep(1_500_000)
            var answers: [Answer] = []
            let end = ContinuousClock.now + .seconds(holdSeconds - 2)
            var index = 0
            while ContinuousClock.now < end {
                answers.append(Self.victimRequest(port: port, index: index))
                index += 1
                usleep(200_000)
            }
            return answers
        }
        let (flood, served) = try await (floodOutcome, answers)

        let failed = served.filter { $0.status != 200 }
        #expect(served.count >= 30, "only \(served.count) requests were made")
        #expect(failed.isEmpty, "requests from 127.0.0.2 failed: \(failed.prefix(5))")
        let slowest = served.map(\.seconds).max() ?? 0
        #expect(slowest < 1.5, "the slowest answer to 127.0.0.2 took \(slowest) s")
        // 64 per client: the rest were refused at once, or cut off when they trickled too long.
        #expect(flood.open <= 64, "127.0.0.1 holds \(flood.open) connections")
        #expect(flood.reopened > 0)
        #expect(warden.log.contains("connections refused at the connection limit"))
        await warden.stop()
    }

    @Test func serveRaisesItsOpenFileLimitToTheHardLimit() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        var limits = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits)
        let hard = Int(clamping: limits.rlim_max)
        try #require(hard > 512, "the hard open-file limit is only \(hard)")
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database,
                                             launcher: [try Tools.path(of: "prlimit"), "--nofile=256:\(hard)"])
        let status = try String(contentsOfFile: "/proc/\(warden.process.processIdentifier)/limits", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("Max open files") } ?? ""
        let values = line.split(separator: " ").compactMap { Int($0) }
        #expect(values == [hard, hard], "\(line)")
        await warden.stop()
    }
}
