import Testing
import WardenCore
import WardenFormats
@testable import WardenRuntime

/// Which role each operation needs, when authentication applies, and how a refusal reads.
@Suite struct AuthorizerTests {
    @Test func eachOperationNeedsItsRole() {
        let expected: [(APIOperation, APIRole?)] = [
            (.health, nil), (.apiDescription, nil), (.ingest, .ingest), (.check, .check), (.releaseReservation, .check), (.exportUsage, .read),
            (.exportAudit, .read), (.spendPage, .read), (.budgetStatus, .read), (.metrics, .read), (.reload, .admin), (.manageKeys, .admin),
            (.overrides, .check), (.approvals, .check),
        ]
        #expect(expected.count == APIOperation.allCases.count)
        for (operation, role) in expected { #expect(operation.requiredRole == role, "\(operation)") }
        #expect(APIOperation.allCases.filter(\.needsUnscopedKey) == [.metrics])
        #expect(APIOperation.allCases.filter { !$0.alternativeRoles.isEmpty } == [.overrides, .approvals])
        #expect(APIOperation.overrides.alternativeRoles == [.read, .approver])
        #expect(APIOperation.approvals.alternativeRoles == [.read, .approver])
    }

    @Test func anAdminMayDoWhatEveryRoleMayAndOtherRolesOnlyTheirOwn() {
        let admin = APIRoles([.admin])
        for role in APIRole.allCases { #expect(admin.allow(role)) }
        let reader = APIRoles([.read, .ingest])
        #expect(reader.allow(.read) && reader.allow(.ingest))
        #expect(!reader.allow(.check) && !reader.allow(.admin) && !reader.allow(.approver))
        #expect(APIRoles(names: ["read", "superuser"]).roles == [.read])
    }

    func fixture() throws -> KeyFixture { try KeyFixture() }

    @Test func withAutoAuthenticationAppliesOnceAKeyExistsAndStaysOnWhenItIsRevoked() throws {
        let keys = try fixture()
        defer { keys.remove() }
        let authorizer = Authorizer(ring: keys.ring, mode: .auto)
        #expect(!authorizer.applies)
        guard case .success(let anybody) = authorizer.authorize(.none, for: .reload) else { Issue.record("refused"); return }
        #expect(anybody.key == nil)
        try keys.create("ops", roles: ["admin"])
        #expect(authorizer.applies)
        _ = try keys.administration.revoke(name: "ops", id: nil, actor: nil)
        try keys.ring.reload()
        #expect(authorizer.applies)
    }

    @Test func requiredAppliesWithoutAnyKey() throws {
        let keys = try fixture()
        defer { keys.remove() }
        let authorizer = Authorizer(ring: keys.ring, mode: .required)
        guard case .failure(let denial) = authorizer.authorize(.none, for: .ingest) else { Issue.record("admitted"); return }
        #expect(denial.status == 401)
        #expect(denial.message == "missing or unknown API key")
        guard case .success = authorizer.authorize(.none, for: .health) else { Issue.record("health refused"); return }
    }

    @Test func refusalsAreCountedByReason() throws {
        let keys = try fixture()
        defer { keys.remove() }
        let reader = try keys.create("dash", roles: ["read"], scope: [("team", "search")])
        let authorizer = Authorizer(ring: keys.ring, mode: .auto)
        let attempts: [(Authorizer.Credentials, APIOperation, Int)] = [
            (.none, .ingest, 401), (.bearer("tw_nonsense"), .ingest, 401), (.unreadable, .ingest, 401),
            (.bearer(Substring(reader.token.description)), .ingest, 403), (.bearer(Substring(reader.token.description)), .metrics, 403),
        ]
        for (credentials, operation, status) in attempts {
            guard case .failure(let denial) = authorizer.authorize(credentials, for: operation) else { Issue.record("admitted"); continue }
            #expect(denial.status == status)
        }
        #expect(authorizer.failures.snapshot().map(\.count) == [1, 2, 0, 0, 2])
        guard case .success(let caller) = authorizer.authorize(.bearer(Substring(reader.token.description)), for: .exportUsage) else {
            Issue.record("refused"); return
        }
        #expect(caller.keyName == "dash")
    }

    @Test func aMissingRoleIsNamed() throws {
        let keys = try fixture()
        defer { keys.remove() }
        let ci = try keys.create("ci", roles: ["ingest"])
        guard case .failure(let denial) = Authorizer(ring: keys.ring, mode: .auto).authorize(.bearer(Substring(ci.token.description)), for: .check) else {
            Issue.record("admitted"); return
        }
        #expect(denial.message == #"key "ci" lacks role "check""#)
    }
}
