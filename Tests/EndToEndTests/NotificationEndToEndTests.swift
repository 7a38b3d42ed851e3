import Foundation
import Testing
import TestSupport
import WardenCore

/// Notifications through the real binary: a signed webhook that is down for a while (and a
/// TokenWarden restart in between) still gets every event, and a real Alertmanager gets a deny
/// as an alert that resolves by itself, and no budget step.
@Suite struct NotificationEndToEndTests {
    static let ladder = """
        budgets:
          - name: ladder
            scope: {org: acme}
            per: [team]
            period: total
            limit: "1.00 USD"
            thresholds:
              - {at: 50%, action: notify}
              - {at: 80%, action: warn}
              - {at: 100%, action: deny}
        """

    static func usage(_ base: String, _ id: String, input: Int) async throws {
        let response = try await HTTP.postJSON("\(base)/v1/usage", usageEvent(id, input: input, output: 0))
        #expect(response.status == 200, "\(response.text)")
    }

    /// The audit rows a receiver with the default events must get, by seq.
    static func notifiableSeqs(_ base: String) async throws -> Set<Int> {
        let audit = try await HTTP.get("\(base)/v1/audit?limit=1000").jsonObject()
        let events = try #require(audit["events"] as? [[String: Any]])
        let actions: Set<String> = ["threshold_crossed_up", "threshold_crossed_down", "throttle_started", "throttle_ended",
                                    "deny", "policy_violation", "reservation_expired"]
        return Set(events.filter { actions.contains($0["action"] as? String ?? "") }.compactMap { $0["seq"] as? Int })
    }

    static func waitFor(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        if try await !poll(for: timeout, every: .milliseconds(200), until: condition) {
            throw TestFailure("timed out waiting for \(what)")
        }
    }

    @Test func aWebhookThatIsDownForAWhileGetsEveryEventSignedAfterARestart() async throws {
        let receiver = WebhookReceiver(port: try FreePort.find())
        let secret = "e2e-secret"
        let fixture = try RulesFixture(config: """
            notifications:
              receivers:
                - name: ops-webhook
                  webhook: {url: "\(receiver.url)", secret_file: SECRET_FILE}
              max_backoff: 1s
            """)
        defer { fixture.remove() }
        let secretFile = fixture.directory.appendingPathComponent("hook.secret")
        try (secret + "\n").write(to: secretFile, atomically: true, encoding: .utf8)
        let configPath = "\(fixture.rules)/tokenwarden.yaml"
        try String(contentsOfFile: configPath, encoding: .utf8).replacingOccurrences(of: "SECRET_FILE", with: secretFile.path)
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        try Self.ladder.write(toFile: "\(fixture.rules)/budgets.yaml", atomically: true, encoding: .utf8)

        // The receiver is down (nothing listens): 0.60 and 0.90 USD cross 50% and 80%, a large
        // check is denied.
        var warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        try await Self.usage(warden.baseURL, "n-1", input: 240_000)
        try await Self.usage(warden.baseURL, "n-2", input: 120_000)
        let denied = try await RuleEngineEndToEndTests.check(warden.baseURL, input: 100_000)
        #expect(denied.status == 403)
        let base = warden.baseURL
        // Audit rows (and their outbox entries) are appended off the request path: wait for all three.
        try await Self.waitFor("failed deliveries") {
            let metrics = try await HTTP.get("\(base)/metrics").text
            return (RuleEngineEndToEndTests.metric(metrics, #"tokenwarden_notifications_total{receiver="ops-webhook",result="failed"}"#) ?? 0) >= 2
                && (RuleEngineEndToEndTests.metric(metrics, #"tokenwarden_notification_queue_depth{receiver="ops-webhook"}"#) ?? 0) >= 3
        }
        let metrics = try await HTTP.get("\(base)/metrics").text
        #expect(RuleEngineEndToEndTests.metric(metrics, #"tokenwarden_notification_queue_depth{receiver="ops-webhook"}"#) == 3)
        #expect(RuleEngineEndToEndTests.metric(metrics, #"tokenwarden_notifications_total{receiver="ops-webhook",result="delivered"}"#) == 0)
        #expect(await warden.stop() == 0)

        // Restarted, still down; one more event passes 100%. Then the receiver answers 503 for a
        // while, then comes back.
        warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        try await Self.usage(warden.baseURL, "n-3", input: 120_000)
        receiver.available = false
        try receiver.listen()
        defer { receiver.close() }
        // A 503 is a failed attempt, not a delivery: wait until a retry has been refused, then
        // come back; the refused events must arrive again, as later attempts.
        try await Self.waitFor("a delivery attempt refused with 503") { !receiver.refusals.isEmpty }
        let whileRefusing = try await HTTP.get("\(warden.baseURL)/metrics").text
        #expect(RuleEngineEndToEndTests.metric(whileRefusing, #"tokenwarden_notifications_total{receiver="ops-webhook",result="delivered"}"#) == 0)
        receiver.available = true
        let refused = receiver.refusals
        #expect(refused.allSatisfy { $0.eventID != nil && ($0.attempt ?? 0) >= 1 }, "\(refused.map(\.headers))")

        let expected = try await Self.notifiableSeqs(warden.baseURL)
        #expect(expected.count == 4, "50% and 80% up, a deny, 100% up: \(expected.sorted())")
        #expect(Set(refused.compactMap(\.eventID)).isSubset(of: expected))
        try await Self.waitFor("every event at the receiver") {
            Set(receiver.deliveries.compactMap(\.eventID)) == expected
        }
        for refusal in refused {
            let redelivered = receiver.deliveries.filter { $0.eventID == refusal.eventID }
            #expect(!redelivered.isEmpty, "event \(refusal.eventID ?? -1) refused with 503 was never delivered")
            #expect(redelivered.allSatisfy { ($0.attempt ?? 0) > (refusal.attempt ?? 0) },
                    "event \(refusal.eventID ?? -1): a delivery is not a later attempt than the refused one")
        }
        // Repeats are possible in principle (a lost answer); the receiver dedupes by id, and the
        // set of ids is exactly the audit rows'.
        var byId: [Int: WebhookReceiver.Delivery] = [:]
        for delivery in receiver.deliveries {
            let id = try #require(delivery.header("X-TokenWarden-Event-Id").flatMap(Int.init))
            byId[id] = byId[id] ?? delivery
            let signature = try OpenSSLHMAC.hex(body: delivery.body, secret: secret)
            #expect(delivery.header("X-TokenWarden-Signature") == "sha256=\(signature)")
            #expect(Int(delivery.header("X-TokenWarden-Delivery-Attempt") ?? "") ?? 0 >= 1)
            let body = try #require(try JSONSerialization.jsonObject(with: delivery.body) as? [String: Any])
            #expect(body["id"] as? Int == id)
        }
        #expect(Set(byId.keys) == expected)
        let actions = byId.keys.sorted().compactMap { id in
            (try? JSONSerialization.jsonObject(with: byId[id]!.body) as? [String: Any])?["action"] as? String
        }
        #expect(actions == ["threshold_crossed_up", "threshold_crossed_up", "deny", "threshold_crossed_up"])
        let first = try #require(try JSONSerialization.jsonObject(with: byId[expected.min()!]!.body) as? [String: Any])
        #expect(first["rule"] as? String == "ladder")
        #expect(first["scope"] as? [String: String] == ["org": "acme", "team": "search"])
        #expect((first["detail"] as? [String: Any])?["at"] as? String == "50%")
        // Retries were attempted after the restart (the first attempts of the new process count too).
        let final = try await HTTP.get("\(warden.baseURL)/metrics").text
        #expect(RuleEngineEndToEndTests.metric(final, #"tokenwarden_notification_queue_depth{receiver="ops-webhook"}"#) == 0)
        #expect((RuleEngineEndToEndTests.metric(final, #"tokenwarden_notifications_total{receiver="ops-webhook",result="failed"}"#) ?? 0) >= 1)
        #expect(RuleEngineEndToEndTests.metric(final, #"tokenwarden_notifications_total{receiver="ops-webhook",result="dropped"}"#) == 0)
        await warden.stop()
    }

    /// Alertmanager gets the moments only: a deny reaches it, while the 50% and 80% steps the same
    /// usage crossed are Prometheus's to alert on (TokenWardenBudgetWarn and its siblings).
    @Test func aDenyReachesAlertmanagerButBudgetStepsDoNot() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let alertmanager = try await AlertmanagerServer(directory: fixture.directory.appendingPathComponent("alertmanager"))
        defer { alertmanager.stop() }
        try """
            notifications:
              receivers:
                - name: alertmanager
                  alertmanager: {url: "\(alertmanager.baseURL)"}
              max_backoff: 1s
            """.write(toFile: "\(fixture.rules)/tokenwarden.yaml", atomically: true, encoding: .utf8)
        try Self.ladder.write(toFile: "\(fixture.rules)/budgets.yaml", atomically: true, encoding: .utf8)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        try await Self.usage(warden.baseURL, "am-1", input: 240_000)
        try await Self.usage(warden.baseURL, "am-2", input: 120_000)
        let denied = try await RuleEngineEndToEndTests.check(warden.baseURL, input: 100_000)
        #expect(denied.status == 403)

        var firing: [String: Any] = [:]
        try await Self.waitFor("the deny alert in Alertmanager") {
            guard let alert = try await alertmanager.alerts(named: "TokenWardenDeny").first else { return false }
            firing = alert
            return true
        }
        let labels = try #require(firing["labels"] as? [String: String])
        #expect(labels == ["alertname": "TokenWardenDeny", "rule": "ladder", "kind": "budget", "org": "acme", "team": "search",
                           "severity": "warning"])
        let audit = try await HTTP.get("\(warden.baseURL)/v1/audit?limit=1000").jsonObject()
        let actions = (audit["events"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
        #expect(actions.filter { $0 == "threshold_crossed_up" }.count == 2, "the steps were crossed: \(actions)")
        let base = warden.baseURL
        try await Self.waitFor("the deny's delivery to be counted") {
            let metrics = try await HTTP.get("\(base)/metrics").text
            return RuleEngineEndToEndTests.metric(metrics, #"tokenwarden_notification_queue_depth{receiver="alertmanager"}"#) == 0
                && RuleEngineEndToEndTests.metric(metrics, #"tokenwarden_notifications_total{receiver="alertmanager",result="delivered"}"#) == 1
        }
        let names = try await alertmanager.allAlerts().compactMap { ($0["labels"] as? [String: String])?["alertname"] }
        #expect(names == ["TokenWardenDeny"], "only the deny reaches Alertmanager")
        // A moment: it ends by itself 15 minutes after the decision, with nothing sent to resolve it.
        let startsAt = try Timestamp(rfc3339: try #require(firing["startsAt"] as? String))
        let endsAt = try Timestamp(rfc3339: try #require(firing["endsAt"] as? String))
        #expect(endsAt.nanosecondsSinceEpoch - startsAt.nanosecondsSinceEpoch == 15 * 60 * 1_000_000_000)
        await warden.stop()
    }
}
