import Foundation
import Synchronization
import Testing
import WardenCore
@testable import WardenRuntime
import WardenStore

/// Four eyes, automatic approval, scopes and expiry against a real SQLite file, with a clock the
/// test moves.
@Suite struct OverrideGovernanceTests {
    static let rules = RuleSet(budgets: [BudgetRule(
        name: "team-monthly", scope: ScopeMatcher([(key: "org", condition: .equals("acme"))]), per: ["team"], period: .monthly,
        limit: try! BudgetLimit.parseTerm("100.00 USD"),
        thresholds: [ThresholdStep(at: try! ThresholdPercent(parsing: "100%"), action: .deny)])])

    /// What the governance handed to the engine, call by call.
    final class Applied: Sendable {
        let calls = Mutex<[[BudgetOverride]]>([])
        var last: [BudgetOverride]? { calls.withLock { $0.last } }
    }

    struct Setup {
        let keys: KeyFixture
        let governance: OverrideGovernance
        let applied: Applied
        let alice: GovernanceActor
        let bob: GovernanceActor
        let carol: GovernanceActor

        func remove() { keys.remove() }
    }

    static func setup(_ settings: GovernanceSettings = GovernanceSettings()) throws -> Setup {
        let keys = try KeyFixture()
        let applied = Applied()
        let governance = OverrideGovernance(store: keys.store, auditLog: keys.auditLog, settings: settings, clock: keys.clock,
                                            rules: { rules }, apply: { overrides in applied.calls.withLock { $0.append(overrides) } },
                                            logger: KeyFixture.logger)
        return Setup(keys: keys, governance: governance, applied: applied,
                     alice: .key(try keys.create("alice", roles: ["check"], scope: [("team", "search")]).key),
                     bob: .key(try keys.create("bob", roles: ["approver"]).key),
                     carol: .key(try keys.create("carol", roles: ["approver"]).key))
    }

    static func ask(_ change: String = "+50.00 USD", team: String = "search", duration: String = "2h") -> OverrideRequest {
        OverrideRequest(budget: "team-monthly", instance: [("team", team)], change: change, duration: duration, reason: "launch")
    }

    func auditActions(_ setup: Setup) throws -> [String] {
        try setup.keys.auditLog.query(AuditQuery(kind: .override)).map(\.event.action)
    }

    @Test func aRequestWaitsUntilASecondApproverApprovesIt() throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        let pending = try setup.governance.request(Self.ask(), by: setup.alice)
        #expect(pending.status == .pending)
        #expect(setup.applied.last == [])
        let approved = try setup.governance.approve(pending.id, by: setup.bob)
        #expect(approved.status == .active)
        #expect(approved.expiresAt == Timestamp(nanosecondsSinceEpoch: setup.keys.clock.now().nanosecondsSinceEpoch + 7_200_000_000_000))
        #expect(setup.applied.last?.map(\.id) == [pending.id])
        #expect(setup.applied.last?.first?.instance == [AuditLabel(key: "org", value: "acme"), AuditLabel(key: "team", value: "search")])
        #expect(try auditActions(setup) == ["override_requested", "override_approved", "override_applied"])
    }

    @Test func theRequesterCannotApproveItsOwnRequest() throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        let pending = try setup.governance.request(Self.ask(team: "ads"), by: setup.bob)
        #expect(throws: OverrideError.self) { try setup.governance.approve(pending.id, by: setup.bob) }
        do throws(OverrideError) {
            _ = try setup.governance.approve(pending.id, by: setup.bob)
        } catch {
            #expect(error.kind == .forbidden)
            #expect(error.message.contains("four eyes"))
        }
        #expect(try setup.governance.list(status: .pending, visibleTo: setup.bob).map(\.id) == [pending.id])
        #expect(try auditActions(setup) == ["override_requested"])
    }

    @Test func anOfflineApprovalIsRefusedAndAnOfflineRequestStaysPending() throws {
        let setup = try Self.setup(GovernanceSettings(autoApproveBelow: try BudgetLimit.parseTerm("1000.00 USD")))
        defer { setup.remove() }
        let local = GovernanceActor.local("local:ops")
        let pending = try setup.governance.request(Self.ask(), by: local)
        #expect(pending.status == .pending, "an offline request is never approved automatically")
        #expect(pending.requestedBy == "local:ops")
        do throws(OverrideError) {
            _ = try setup.governance.approve(pending.id, by: local)
            Issue.record("approved offline")
        } catch {
            #expect(error.kind == .forbidden)
        }
        #expect(try setup.governance.approve(pending.id, by: setup.bob).status == .active, "any approver key may approve it")
    }

    @Test func aRaiseBelowTheThresholdIsActiveAtOnce() throws {
        let setup = try Self.setup(GovernanceSettings(autoApproveBelow: try BudgetLimit.parseTerm("100.00 USD")))
        defer { setup.remove() }
        #expect(try setup.governance.request(Self.ask("+99.99 USD"), by: setup.alice).status == .active)
        #expect(try setup.governance.request(Self.ask("+100.00 USD", team: "search"), by: setup.alice).status == .pending)
        #expect(try auditActions(setup) == ["override_requested", "override_applied", "override_requested"])
    }

    @Test func aScopedKeyCannotRequestOutsideItsScopeNorSeeOthers() throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        #expect(throws: OverrideError.self) { try setup.governance.request(Self.ask(team: "ads"), by: setup.alice) }
        _ = try setup.governance.request(Self.ask(team: "ads"), by: setup.bob)
        #expect(try setup.governance.list(visibleTo: setup.alice).isEmpty)
        #expect(try setup.governance.list(visibleTo: setup.carol).count == 1)
    }

    @Test func anInvalidRequestNamesEveryFieldAndRecordsNothing() throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        do throws(OverrideError) {
            _ = try setup.governance.request(OverrideRequest(budget: "team-monthly", instance: [], change: "+5 tokens", duration: "90d",
                                                             reason: " "), by: setup.bob)
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .invalid)
            #expect(error.problems.map(\.field) == ["change", "for", "reason"])
        }
        #expect(try setup.governance.list(visibleTo: setup.bob).isEmpty)
        #expect(try auditActions(setup).isEmpty)
    }

    @Test func anActiveOverrideExpiresOnTimeAndAnUndecidedRequestAtItsApprovalDeadline() throws {
        let setup = try Self.setup(GovernanceSettings(approvalTTL: RuleDuration(nanoseconds: 3_600_000_000_000)))
        defer { setup.remove() }
        let active = try setup.governance.approve(try setup.governance.request(Self.ask(duration: "2h"), by: setup.alice).id, by: setup.bob)
        let waiting = try setup.governance.request(Self.ask(team: "ads"), by: setup.bob)
        setup.keys.clock.advance(seconds: 3_599)
        setup.governance.tick()
        #expect(try setup.governance.list(status: .pending, visibleTo: setup.bob).map(\.id) == [waiting.id])
        setup.keys.clock.advance(seconds: 1)
        setup.governance.tick()
        #expect(try setup.governance.list(status: .expired, visibleTo: setup.bob).map(\.id) == [waiting.id])
        #expect(setup.applied.last?.map(\.id) == [active.id])
        setup.keys.clock.advance(seconds: 3_600)
        setup.governance.tick()
        #expect(setup.applied.last == [], "the limit is back")
        #expect(Set(try setup.governance.list(status: .expired, visibleTo: setup.bob).map(\.id)) == [active.id, waiting.id])
        #expect(try auditActions(setup).suffix(2) == ["override_expired", "override_expired"])
    }

    @Test func aNewProcessExpiresWhatCameDueWhileNoneRanAndAppliesTheRest() throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        let brief = try setup.governance.approve(try setup.governance.request(Self.ask(duration: "1m"), by: setup.alice).id, by: setup.bob)
        let lasting = try setup.governance.approve(try setup.governance.request(Self.ask(team: "ads", duration: "1d"), by: setup.carol).id, by: setup.bob)
        setup.keys.clock.advance(seconds: 120)
        let applied = Applied()
        let restarted = OverrideGovernance(store: setup.keys.store, auditLog: setup.keys.auditLog, settings: GovernanceSettings(),
                                           clock: setup.keys.clock, rules: { Self.rules },
                                           apply: { overrides in applied.calls.withLock { $0.append(overrides) } }, logger: KeyFixture.logger)
        try restarted.start()
        #expect(applied.last?.map(\.id) == [lasting.id])
        #expect(try restarted.list(status: .expired, visibleTo: setup.bob).map(\.id) == [brief.id])
        #expect(try auditActions(setup).last == "override_expired")
    }

    @Test func onlyAnApproverOrTheRequesterMayRevoke() throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        let active = try setup.governance.approve(try setup.governance.request(Self.ask(team: "ads"), by: setup.carol).id, by: setup.bob)
        let reader = GovernanceActor.key(try setup.keys.create("dana", roles: ["read"]).key)
        #expect(throws: OverrideError.self) { try setup.governance.revoke(active.id, by: reader) }
        #expect(try setup.governance.revoke(active.id, by: setup.carol).status == .revoked)
        #expect(setup.applied.last == [])
        #expect(throws: OverrideError.self) { try setup.governance.revoke(active.id, by: setup.bob) }
    }
}

/// With `privacy.pseudonymise`, an override named by a raw id applies to the instance of its
/// pseudonym, which is all the engine and the store ever hold.
@Suite struct PseudonymisedOverrideTests {
    static let users = RuleSet(budgets: [BudgetRule(
        name: "user-daily", scope: ScopeMatcher([(key: "org", condition: .equals("acme"))]), per: ["user"], period: .daily,
        limit: try! BudgetLimit.parseTerm("10.00 USD"),
        thresholds: [ThresholdStep(at: try! ThresholdPercent(parsing: "100%"), action: .deny)])])

    @Test func aRawUserIdNamesTheInstanceOfItsPseudonym() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        let hashing = Pseudonymisation(labels: ["user"]) { label, value in "p_\(label)_\(value.count)" }
        let governance = OverrideGovernance(store: keys.store, auditLog: keys.auditLog, settings: GovernanceSettings(),
                                            clock: keys.clock, rules: { Self.users }, pseudonymisation: hashing,
                                            logger: KeyFixture.logger)
        let requester = GovernanceActor.key(try keys.create("alice", roles: ["check"]).key)
        let record = try governance.request(OverrideRequest(budget: "user-daily", instance: [("user", "alice@example.com")],
                                                            change: "+5.00 USD", duration: "2h", reason: "demo"), by: requester)
        #expect(record.instance.contains(AuditLabel(key: "user", value: "p_user_17")))
        #expect(!record.instance.contains { $0.value == "alice@example.com" })
    }
}
