import Foundation
import Synchronization
import Testing
import WardenCore
@testable import WardenRuntime
import WardenStore

/// Approvals against a real SQLite file and a real rule engine, with a clock the test moves:
/// requests made and repeated, four eyes, uses counted, expiry, and the audit rows of each step.
@Suite struct ApprovalGovernanceTests {
    static let rules = RuleSet(policies: [PolicyRule(
        name: "max-request-cost", condition: try! CompiledExpression(parsing: "estimated_cost > 5.00", variables: ExpressionVariables()),
        action: .requireApproval)])

    /// The engine behind a lock, as the server's rule host holds it.
    final class Engine: Sendable {
        let engine = Mutex(RuleEngine(rules: ApprovalGovernanceTests.rules))
        let count = Atomic<Int>(0)
        func check(_ request: CheckRequest, at now: Timestamp) -> CheckOutcome {
            let id = "r\(count.add(1, ordering: .relaxed).newValue)"
            return engine.withLock { $0.check(request, reservationID: id, at: now) }
        }
    }

    struct Setup {
        let keys: KeyFixture
        let governance: ApprovalGovernance
        let engine = Engine()
        let alice: GovernanceActor
        let bob: GovernanceActor
        let carol: GovernanceActor

        func remove() { keys.remove() }

        func check(_ cost: String, approval: String? = nil, as actor: GovernanceActor? = nil) throws(OverrideError) -> ApprovedCheck {
            let request = CheckRequest(provider: "openai", model: "gpt-4o", attribution: Attribution(["team": "search"]),
                                       estimatedInputTokens: 1000, estimatedCost: try! Money(exactly: cost))
            let clock = keys.clock
            return try governance.check(request, approvalID: approval, by: actor ?? alice, run: { engine.check($0, at: clock.now()) })
        }
    }

    static func setup(_ settings: GovernanceSettings = GovernanceSettings()) throws -> Setup {
        let keys = try KeyFixture()
        let governance = ApprovalGovernance(store: keys.store, auditLog: keys.auditLog, settings: settings, clock: keys.clock,
                                            logger: KeyFixture.logger)
        return Setup(keys: keys, governance: governance,
                     alice: .key(try keys.create("alice", roles: ["check"]).key),
                     bob: .key(try keys.create("bob", roles: ["approver", "check"]).key),
                     carol: .key(try keys.create("carol", roles: ["approver"]).key))
    }

    func auditActions(_ setup: Setup) throws -> [String] {
        try setup.keys.auditLog.query(AuditQuery(kind: .approval)).map(\.event.action)
    }

    @Test func aRefusedCheckMakesOnePendingRequestThatRepeatsReuse() throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        let first = try setup.check("6")
        #expect(first.outcome.decision == .requireApproval)
        let record = try #require(first.approval)
        #expect(record.id.hasPrefix("apr_") && record.status == .pending)
        #expect(record.policies == ["max-request-cost"] && record.requesterKey == "alice")
        let again = try setup.check("7")
        #expect(again.approval?.id == record.id, "the same key's repeat reuses the pending request")
        #expect(again.approval?.estimatedCost == (try Money(exactly: "7")), "and raises it to the larger estimate")
        let bobs = try setup.check("6", as: setup.bob)
        #expect(bobs.approval?.id != record.id, "another key's check is a request of its own")
        #expect(try setup.governance.list(status: .pending, visibleTo: setup.carol).count == 2)
        let bobsID = try #require(bobs.approval?.id)
        do {
            _ = try setup.governance.approve(bobsID, by: setup.bob)
            Issue.record("an approver approved its own check's request")
        } catch {
            #expect(error.kind == .forbidden && error.message.contains("four eyes"), "\(error.message)")
        }
        #expect(try auditActions(setup) == ["approval_requested", "approval_requested"])
    }

    @Test func anApprovalIsUsedAsManyTimesAsGrantedThenRefused() throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        let id = try #require(try setup.check("6").approval?.id)
        #expect(throws: OverrideError.self) { try setup.governance.approve(id, by: setup.alice) }
        let approved = try setup.governance.approve(id, grant: ApprovalGrant(uses: 2), by: setup.carol)
        #expect(approved.status == .approved && approved.uses == 2)
        #expect(try setup.check("6", approval: id).outcome.decision == .allow)
        #expect(try setup.check("5.50", approval: id).outcome.decision == .allow)
        do {
            _ = try setup.check("6", approval: id)
            Issue.record("a used-up approval let a check through")
        } catch {
            #expect(error.kind == .forbidden)
            #expect(error.message.hasPrefix("approval_id: ") && error.message.contains("used up"), "\(error.message)")
        }
        #expect(try setup.governance.list(visibleTo: setup.carol).first?.status == .used)
        #expect(try auditActions(setup) == ["approval_requested", "approval_approved", "approval_used", "approval_used"])
    }

    @Test func aRetryAboveTheEstimateOrByAnotherKeyTakesNoUse() throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        let id = try #require(try setup.check("6").approval?.id)
        _ = try setup.governance.approve(id, by: setup.carol)
        #expect(throws: OverrideError.self) { try setup.check("6.01", approval: id) }
        #expect(throws: OverrideError.self) { try setup.check("6", approval: id, as: setup.bob) }
        #expect(throws: OverrideError.self) { try setup.check("6", approval: "apr_unknown") }
        #expect(try setup.check("6", approval: id).outcome.decision == .allow, "the one use is still there")
    }

    @Test func pendingRequestsAndApprovalsExpireOnTimeWithARow() throws {
        let setup = try Self.setup(GovernanceSettings(approvalTTL: try RuleDuration(parsing: "1h")))
        defer { setup.remove() }
        let pending = try #require(try setup.check("6").approval?.id)
        let approved = try #require(try setup.check("6", as: setup.bob).approval?.id)
        _ = try setup.governance.approve(approved, grant: ApprovalGrant(uses: 1, duration: "2h"), by: setup.carol)
        setup.keys.clock.advance(seconds: 3600)
        #expect(try setup.governance.list(status: .expired, visibleTo: setup.carol).map(\.id) == [pending], "shown expired before the tick")
        try setup.governance.expireDue()
        #expect(throws: OverrideError.self) { try setup.governance.approve(pending, by: setup.carol) }
        #expect(try setup.check("6", approval: approved, as: setup.bob).outcome.decision == .allow, "granted for 2h from the approval")
        let another = try #require(try setup.check("6").approval?.id)
        _ = try setup.governance.approve(another, by: setup.carol)
        setup.keys.clock.advance(seconds: 3600)
        try setup.governance.expireDue()
        #expect(throws: OverrideError.self) { try setup.check("6", approval: another) }
        #expect(try auditActions(setup).filter { $0 == AuditAction.approvalExpired }.count == 2)
    }

    @Test func aRejectedRequestCannotBeUsedOrApproved() throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        let id = try #require(try setup.check("6").approval?.id)
        #expect(throws: OverrideError.self) { try setup.governance.reject(id, by: setup.alice) }
        #expect(try setup.governance.reject(id, by: .local("local:ops")).status == .rejected)
        #expect(throws: OverrideError.self) { try setup.governance.approve(id, by: setup.carol) }
        #expect(throws: OverrideError.self) { try setup.check("6", approval: id) }
    }

    @Test func withoutAKeyARefusalStaysPlain() throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        let request = CheckRequest(provider: "openai", model: "gpt-4o", attribution: Attribution(), estimatedCost: try Money(exactly: "6"))
        let checked = try setup.governance.check(request, approvalID: nil, by: nil, run: { setup.engine.check($0, at: setup.keys.clock.now()) })
        #expect(checked.outcome.decision == .requireApproval)
        #expect(checked.approval == nil)
        #expect(try setup.governance.list(visibleTo: setup.carol).isEmpty)
    }
}
