import Testing
import WardenCore
import WardenFormats

@Suite struct NotificationSettingsTests {
    static func errors(_ yaml: String) -> [String] {
        do {
            _ = try DeploymentConfig.parse(yaml: yaml, file: "tokenwarden.yaml")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func receiversAreReadWithDefaultEvents() throws {
        let config = try DeploymentConfig.parse(yaml: """
            notifications:
              receivers:
                - name: ops-webhook
                  webhook: {url: "http://127.0.0.1:9999/hook", secret_file: /etc/tokenwarden/hook.secret}
                  events: [deny, threshold_crossed_up]
                - name: alertmanager
                  alertmanager: {url: "http://127.0.0.1:9093"}
              outbox_limit: 500
              max_backoff: 30s
            """, file: "tokenwarden.yaml")
        let settings = config.notifications
        #expect(settings.outboxLimit == 500)
        #expect(settings.maxBackoff.nanoseconds == 30_000_000_000)
        #expect(settings.receivers == [
            NotificationReceiver(name: "ops-webhook", target: .webhook(url: "http://127.0.0.1:9999/hook", secret: .file("/etc/tokenwarden/hook.secret")),
                                 events: ["threshold_crossed_up", "deny"]),
            NotificationReceiver(name: "alertmanager", target: .alertmanager(url: "http://127.0.0.1:9093"),
                                 events: ["deny", "policy_violation", "reservation_expired"]),
        ])
    }

    @Test func aWebhookGetsBudgetStepsByDefault() throws {
        let config = try DeploymentConfig.parse(yaml: """
            notifications:
              receivers:
                - name: hook
                  webhook: {url: "http://h/x", secret: s}
            """, file: "tokenwarden.yaml")
        #expect(config.notifications.receivers.first?.events.contains("threshold_crossed_up") == true)
    }

    /// Prometheus's rules own budget steps: an Alertmanager receiver asked for them would fire a
    /// second alert for the same step.
    @Test func anAlertmanagerReceiverAskedForBudgetStepsIsAnErrorAtTheEvent() {
        #expect(Self.errors("""
            notifications:
              receivers:
                - name: am
                  alertmanager: {url: "http://127.0.0.1:9093"}
                  events: [deny, throttle_started]
            """) == ["tokenwarden.yaml:5:22: notifications.receivers[0].events[1] \"throttle_started\" is not sent to Alertmanager: "
                     + "Prometheus's budget alerts (Dashboards/prometheus/tokenwarden-alerts.yml) own budget steps; a webhook can take it"])
    }

    @Test func noSectionMeansNoReceivers() throws {
        #expect(try DeploymentConfig.parse(yaml: "", file: "t.yaml").notifications == NotificationSettings())
    }

    @Test func anUnknownEventIsAnErrorAtItsPosition() {
        #expect(Self.errors("""
            notifications:
              receivers:
                - name: hook
                  webhook: {url: "http://h/x", secret: s}
                  events: [deny, threshold_crossed]
            """) == ["tokenwarden.yaml:5:22: notifications.receivers[0].events[1] \"threshold_crossed\" is not an event (known: "
                     + NotificationSettings.knownEvents.joined(separator: ", ") + ")"])
    }

    @Test func aWebhookNeedsASecret() {
        #expect(Self.errors("""
            notifications:
              receivers:
                - name: hook
                  webhook: {url: "http://h/x"}
            """) == ["tokenwarden.yaml:4:16: notifications.receivers[0].webhook needs a secret or a secret_file: every delivery is signed"])
    }

    @Test func aReceiverNeedsExactlyOneTarget() {
        #expect(Self.errors("""
            notifications:
              receivers:
                - name: both
                  webhook: {url: "http://h/x", secret: s}
                  alertmanager: {url: "http://h:9093"}
            """) == ["tokenwarden.yaml:3:7: notifications.receivers[0] needs exactly one of webhook or alertmanager"])
    }

    @Test func badURLsDuplicateNamesAndUnknownKeysAreAllReported() {
        #expect(Self.errors("""
            notifications:
              receivers:
                - name: am
                  alertmanager: {url: "ftp://h"}
                - name: am
                  alertmanager: {url: "http://h:9093", timeout: 5s}
              outbox_limit: 0
            """) == [
                "tokenwarden.yaml:4:27: notifications.receivers[0].alertmanager.url must be an http:// or https:// URL with a host, not \"ftp://h\"",
                "tokenwarden.yaml:5:13: notifications.receivers[1].name \"am\" is used by an earlier receiver; names must be unique",
                "tokenwarden.yaml:6:44: unknown key \"timeout\" in notifications.receivers[1].alertmanager (known keys: url)",
                "tokenwarden.yaml:7:17: notifications.outbox_limit must be at least 1, not 0",
            ])
    }
}

@Suite struct NotificationPayloadTests {
    static let step = AuditEvent(
        time: Timestamp(secondsSinceEpoch: 1_772_619_300), rule: "team-daily", kind: .budget, action: AuditAction.thresholdCrossedUp,
        scope: [("team", "search"), ("org", "acme")], decision: "warn", observed: "0.9", limit: "1",
        detail: AuditDetail([("at", "80%"), ("cause", "usage"), ("step", "warn"), ("unit", "USD")]))

    static let deny = AuditEvent(
        time: Timestamp(secondsSinceEpoch: 1_772_619_300), rule: "team-daily", kind: .budget, action: AuditAction.deny,
        scope: [("team", "search"), ("org", "acme")], decision: "deny", observed: "1.2", limit: "1")

    @Test func theWebhookBodyCarriesEveryField() {
        let body = String(decoding: NotificationEvent(id: 42, event: Self.step).body, as: UTF8.self)
        #expect(body == #"{"id":42,"time":"2026-03-04T10:15:00Z","rule":"team-daily","kind":"budget","action":"threshold_crossed_up","#
            + #""scope":{"org":"acme","team":"search"},"decision":"warn","observed":"0.9","limit":"1","#
            + #""detail":{"at":"80%","cause":"usage","step":"warn","unit":"USD"}}"#)
    }

    @Test func aBodyReadsBackToTheSameEvent() throws {
        var event = Self.step
        event.observed = nil
        event.detail = AuditDetail([("message", #"a "quoted" {brace}"#), ("at", "80%")])
        let notification = NotificationEvent(id: 7, event: event)
        #expect(try NotificationEvent(body: notification.body) == notification)
    }

    @Test func budgetStepsAndThrottlesMakeNoAlertmanagerAlert() {
        for action in [AuditAction.thresholdCrossedUp, AuditAction.thresholdCrossedDown, AuditAction.throttleStarted, AuditAction.throttleEnded] {
            var event = Self.step
            event.action = action
            #expect(AlertmanagerAlert(NotificationEvent(id: 1, event: event)) == nil, "\(action)")
        }
    }

    @Test func aDenyAlertIsLabelledByItsRuleAndScopeWithTheAmountsAsAnnotations() throws {
        let alert = try #require(AlertmanagerAlert(NotificationEvent(id: 9, event: Self.deny)))
        #expect(alert.labels.map { "\($0.key)=\($0.value)" } == [
            "alertname=TokenWardenDeny", "rule=team-daily", "kind=budget", "org=acme", "team=search", "severity=warning",
        ])
        #expect(alert.annotations.map { "\($0.key)=\($0.value)" } == [
            "summary=team-daily{org=acme,team=search} denied a request", "description=\(Self.deny.summaryLine)",
            "observed=1.2", "limit=1", "event_id=9",
        ])
    }

    @Test func anAlertBodyIsTheV2ShapeEndingAMomentLifetimeAfterTheEvent() throws {
        let alert = try #require(AlertmanagerAlert(NotificationEvent(id: 1, event: Self.deny)))
        let body = String(decoding: AlertmanagerAlert.body([alert]), as: UTF8.self)
        #expect(body.hasPrefix(#"[{"labels":{"alertname":"TokenWardenDeny","rule":"team-daily","#))
        #expect(body.hasSuffix(#""startsAt":"2026-03-04T10:15:00Z","endsAt":"2026-03-04T10:30:00Z"}]"#))
        #expect(body.contains(#""annotations":{"summary":"#))
    }

    @Test func anAlertCarriesNoUserOrSessionLabel() throws {
        let event = AuditEvent(time: Self.step.time, rule: "user-daily", kind: .budget, action: AuditAction.deny,
                               scope: [("team", "search"), ("user", "p_1a2b"), ("session", "s-9")], decision: "deny")
        let alert = try #require(AlertmanagerAlert(NotificationEvent(id: 5, event: event)))
        #expect(alert.labels.map { "\($0.key)=\($0.value)" } == [
            "alertname=TokenWardenDeny", "rule=user-daily", "kind=budget", "team=search", "severity=warning",
        ])
    }

    @Test func aPolicyViolationAlertIsCriticalWhenItDenies() throws {
        let event = AuditEvent(time: Self.step.time, rule: "interns-no-frontier", kind: .policy, action: AuditAction.policyViolation,
                               scope: [("team", "interns")], decision: "deny")
        let alert = try #require(AlertmanagerAlert(NotificationEvent(id: 3, event: event)))
        #expect(alert.labels.first?.value == "TokenWardenPolicyViolation")
        #expect(alert.labels.last?.value == "critical")
    }

    @Test func anApprovalRequestIsAWarningNamingThePolicyAndTheApproval() throws {
        let event = AuditEvent(time: Self.step.time, rule: "max-request-cost", kind: .approval, action: AuditAction.approvalRequested,
                               scope: [("team", "search")], decision: "pending",
                               detail: AuditDetail([("id", .text("apr_00ff")), ("policies", .text("max-request-cost"))]))
        let alert = try #require(AlertmanagerAlert(NotificationEvent(id: 4, event: event)))
        #expect(alert.labels.map { "\($0.key)=\($0.value)" } == [
            "alertname=TokenWardenApproval", "policy=max-request-cost", "action=approval_requested", "approval=apr_00ff", "team=search",
            "severity=warning",
        ])
        #expect(alert.annotations.first { $0.key == "summary" }?.value == "approval apr_00ff (policy max-request-cost): requested")
    }
}

@Suite struct RetryScheduleTests {
    @Test func delaysDoubleFromOneSecondUpToTheCap() {
        let schedule = RetrySchedule(initialNanoseconds: 1_000_000_000, maximumNanoseconds: 60_000_000_000)
        let seconds = (0...9).map { schedule.baseDelay(afterFailures: $0) / 1_000_000_000 }
        #expect(seconds == [0, 1, 2, 4, 8, 16, 32, 60, 60, 60])
        #expect(schedule.baseDelay(afterFailures: 10_000) == 60_000_000_000)
    }

    @Test func jitterKeepsTheDelayBetweenHalfAndAllOfTheSchedule() {
        let schedule = RetrySchedule()
        #expect(schedule.delay(afterFailures: 3, unitRandom: 0) == 2_000_000_000)
        #expect(schedule.delay(afterFailures: 3, unitRandom: 1) == 4_000_000_000)
        #expect(schedule.delay(afterFailures: 3, unitRandom: 0.5) == 3_000_000_000)
    }
}
