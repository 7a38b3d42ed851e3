import Testing
@testable import WardenCore

/// Start-up reconciliation: the audit log must end in the state the restored engine is in.
@Suite struct RuleEngineReconcileTests {
    typealias F = EngineFixtures

    static let team = F.scope([("org", .equals("acme"))])
    static func rules() -> [BudgetRule] {
        [F.budget("team-monthly", scope: team, per: ["team"], limit: F.usd("100"), thresholds: F.ladder)]
    }
    static let searchScope = [AuditLabel(key: "org", value: "acme"), AuditLabel(key: "team", value: "search")]

    @Test func aPeriodThatEndedWhileDownIsReportedAsLeft() {
        // The log's last word: the deny step (120%) was entered in March. Restarted in April with
        // no April usage, the instance is at no step: every step is left, deny first.
        var engine = F.engine(Self.rules())
        let april = F.after(F.endOfMarchUTC, F.hour)
        engine.restore([], at: april)
        let rows = engine.reconcile(with: [AuditedStep(rule: "team-monthly", scope: Self.searchScope, crossedUp: true, at: F.percent("120%"))], at: april)
        #expect(rows.filter { $0.action == AuditAction.thresholdCrossedDown }.compactMap { $0.detailAt } == ["120%", "100%", "80%", "50%"])
        #expect(rows.contains { $0.action == AuditAction.throttleEnded })
        #expect(rows.allSatisfy { $0.detail.text("cause") == "restart" && $0.scope == Self.searchScope && $0.time == april })
    }

    @Test func aRestoredStateTheLogAlreadyHasWritesNothing() {
        var engine = F.engine(Self.rules())
        engine.restore([F.usage(cost: "85", at: F.t0, attribution: F.acme)], at: F.after(F.t0, F.hour))
        #expect(engine.instance(key: "search")?.activeStep == 1)
        let rows = engine.reconcile(with: [AuditedStep(rule: "team-monthly", scope: Self.searchScope, crossedUp: true, at: F.percent("80%"))],
                                    at: F.after(F.t0, F.hour))
        #expect(rows.isEmpty)
        // Crossed down to below 80% is the same state as crossed up to 50%.
        let same = engine.reconcile(with: [AuditedStep(rule: "team-monthly", scope: Self.searchScope, crossedUp: false, at: F.percent("100%"))],
                                    at: F.after(F.t0, F.hour))
        #expect(same.isEmpty)
    }

    @Test func crossingsWhoseRowsACrashLostAreWrittenNow() {
        // Usage reached 100% but the log only saw 50%: 80% and 100% (with the throttle) are due.
        var engine = F.engine(Self.rules())
        engine.restore([F.usage(cost: "100", at: F.t0, attribution: F.acme)], at: F.after(F.t0, F.hour))
        let rows = engine.reconcile(with: [AuditedStep(rule: "team-monthly", scope: Self.searchScope, crossedUp: true, at: F.percent("50%"))],
                                    at: F.after(F.t0, F.hour))
        #expect(rows.filter { $0.action == AuditAction.thresholdCrossedUp }.compactMap { $0.detailAt } == ["80%", "100%"])
        #expect(rows.contains { $0.action == AuditAction.throttleStarted })
        // An instance the log never mentioned at all gets its whole climb.
        var fresh = F.engine(Self.rules())
        fresh.restore([F.usage(cost: "85", at: F.t0, attribution: F.acme)], at: F.after(F.t0, F.hour))
        #expect(fresh.reconcile(with: [], at: F.after(F.t0, F.hour)).compactMap { $0.detailAt } == ["50%", "80%"])
    }

    @Test func aChangedLadderIsLeftToTheReloadThatChangedIt() {
        var engine = F.engine(Self.rules())
        engine.restore([], at: F.t0)
        let rows = engine.reconcile(with: [AuditedStep(rule: "team-monthly", scope: Self.searchScope, crossedUp: true, at: F.percent("90%")),
                                           AuditedStep(rule: "gone", scope: Self.searchScope, crossedUp: true, at: F.percent("50%"))], at: F.t0)
        #expect(rows.isEmpty)
    }
}

extension AuditEvent {
    /// The `at` of a crossing row's detail (`"80%"`).
    var detailAt: String? {
        detail.text("at")
    }
}
