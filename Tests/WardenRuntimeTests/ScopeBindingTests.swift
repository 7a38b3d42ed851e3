import Testing
import WardenCore
@testable import WardenRuntime
import WardenStore

/// A scoped key speaks only for its scope: missing labels are filled in, a contradicted one
/// refuses the request, and it reads only rows inside its scope.
@Suite struct ScopeBindingTests {
    static func key(scope: [String: String]) -> APIKey {
        APIKey(StoredAPIKey(id: "Ab12Cd34", name: "ci", secretSHA256: [UInt8](repeating: 0, count: 32), roles: ["ingest"],
                            scope: Attribution(scope), created: Timestamp(secondsSinceEpoch: 0)))
    }

    @Test func aMissingLabelIsFilledInFromTheKey() {
        var attribution = Attribution(["user": "u1"])
        #expect(Self.key(scope: ["team": "search", "project": "x"]).bind(&attribution).isEmpty)
        #expect(attribution == Attribution(["user": "u1", "team": "search", "project": "x"]))
    }

    @Test func aMatchingLabelIsKept() {
        var attribution = Attribution(["team": "search"])
        #expect(Self.key(scope: ["team": "search"]).bind(&attribution).isEmpty)
        #expect(attribution == Attribution(["team": "search"]))
    }

    @Test func aContradictedLabelIsReportedAndNothingIsFilledIn() {
        var attribution = Attribution(["team": "ads"])
        let conflicts = Self.key(scope: ["team": "search", "project": "x"]).bind(&attribution)
        #expect(conflicts == [Attribution.Label(key: "team", value: "search")])
        #expect(attribution == Attribution(["team": "ads"]))
        #expect(APIKey.scopeConflictMessage(conflicts[0]) == "key is scoped to team=search")
    }

    @Test func anUnscopedKeyChangesNothing() {
        var attribution = Attribution(["team": "ads"])
        #expect(Self.key(scope: [:]).bind(&attribution).isEmpty)
        #expect(attribution == Attribution(["team": "ads"]))
    }

    @Test func aRowIsInsideTheScopeWhenItNamesEveryLabelOfIt() {
        let key = Self.key(scope: ["team": "search"])
        #expect(key.covers([AuditLabel(key: "org", value: "acme"), AuditLabel(key: "team", value: "search")]))
        #expect(!key.covers([AuditLabel(key: "org", value: "acme")]))
        #expect(!key.covers([AuditLabel(key: "team", value: "ads")]))
        #expect(!key.covers([]))
        #expect(Self.key(scope: [:]).covers([]))
    }
}
