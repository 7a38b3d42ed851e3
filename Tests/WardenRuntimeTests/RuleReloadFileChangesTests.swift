import Testing
@testable import WardenRuntime

/// A reload's audit row names the rule files it added, changed and removed.
@Suite struct RuleReloadFileChangesTests {
    @Test func filesAreComparedByDigest() {
        let changes = RuleHost.fileChanges(from: ["a.yaml": "1", "b.yaml": "2", "c.yaml": "3"],
                                           to: ["a.yaml": "1", "b.yaml": "9", "d.yaml": "4"])
        #expect(changes == RuleHost.FileChanges(added: ["d.yaml"], changed: ["b.yaml"], removed: ["c.yaml"]))
    }

    @Test func anUnchangedSetChangesNothing() {
        #expect(RuleHost.fileChanges(from: ["a.yaml": "1"], to: ["a.yaml": "1"]) == RuleHost.FileChanges())
    }
}
