import Foundation
import Testing
import WardenCore
@testable import WardenRuntime
import WardenStore

/// The key ring: lookups from memory, and a change made on the same file by another process
/// noticed by its next poll.
@Suite struct KeyRingTests {
    @Test func aKeyIsFoundByItsIdAndSecret() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        let issued = try keys.create("ci", roles: ["check"])
        #expect(keys.ring.check(token: issued.token.description) == .valid(issued.key))
    }

    @Test func aWrongSecretForAKnownIdIsUnknown() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        let issued = try keys.create("ci", roles: ["check"])
        let forged = APIKeyToken(id: issued.token.id, secret: APIKeyToken.generate().secret)!
        #expect(keys.ring.check(token: forged.description) == .unknown)
        #expect(keys.ring.check(token: APIKeyToken.generate().description) == .unknown)
    }

    @Test func basicCredentialsAreTheNameAndTheKeyOrItsSecret() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        let issued = try keys.create("dash", roles: ["read"])
        #expect(keys.ring.check(name: "dash", password: issued.token.description) == .valid(issued.key))
        #expect(keys.ring.check(name: "dash", password: issued.token.secret) == .valid(issued.key))
        #expect(keys.ring.check(name: "other", password: issued.token.description) == .unknown)
        #expect(keys.ring.check(name: "other", password: issued.token.secret) == .unknown)
    }

    @Test func anExpiredKeyIsExpiredFromItsExpiryOn() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        let issued = try keys.create("ci", roles: ["check"], expires: "1h")
        keys.clock.advance(seconds: 3599)
        #expect(keys.ring.check(token: issued.token.description) == .valid(issued.key))
        keys.clock.advance(seconds: 1)
        #expect(keys.ring.check(token: issued.token.description) == .expired(issued.key, at: issued.key.expires!))
    }

    @Test func aRotatedSecretWorksUntilItsGraceEnds() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        let old = try keys.create("ci", roles: ["check"])
        let new = try keys.administration.rotate(name: "ci", grace: "10s", actor: nil)
        try keys.ring.reload()
        guard case .valid = keys.ring.check(token: old.token.description) else { Issue.record("old secret refused in its grace"); return }
        guard case .valid = keys.ring.check(token: new.token.description) else { Issue.record("new secret refused"); return }
        keys.clock.advance(seconds: 10)
        guard case .expired = keys.ring.check(token: old.token.description) else { Issue.record("old secret works after its grace"); return }
        guard case .valid = keys.ring.check(token: new.token.description) else { Issue.record("new secret refused"); return }
    }

    @Test func aKeyRevokedByAnotherProcessIsRefusedAfterTheNextPoll() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        let issued = try keys.create("ci", roles: ["check"])
        let (cli, cliStore) = try keys.otherProcess()
        defer { cliStore.close(checkpointing: false) }
        _ = try cli.revoke(name: "ci", id: nil, actor: "local:test")
        guard case .valid = keys.ring.check(token: issued.token.description) else { Issue.record("changed before the poll"); return }
        #expect(try keys.ring.refreshIfChanged())
        guard case .revoked = keys.ring.check(token: issued.token.description) else { Issue.record("revoked key accepted"); return }
        #expect(try !keys.ring.refreshIfChanged())
    }

    @Test func aKeyCreatedByAnotherProcessIsAcceptedAfterTheNextPoll() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        let (cli, cliStore) = try keys.otherProcess()
        defer { cliStore.close(checkpointing: false) }
        let issued = try cli.create(KeyRequest(name: "ci", roles: ["check"]), actor: "local:test")
        #expect(keys.ring.isEmpty)
        #expect(try keys.ring.refreshIfChanged())
        #expect(!keys.ring.isEmpty)
        #expect(keys.ring.check(token: issued.token.description) == .valid(issued.key))
    }

    @Test func aUseIsWrittenAtMostOnceAMinute() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        let issued = try keys.create("ci", roles: ["check"])
        let start = keys.clock.now()
        _ = keys.ring.check(token: issued.token.description)
        try keys.ring.writeUses()
        #expect(try keys.store.apiKeys().keys.first?.lastUsed == Timestamp(secondsSinceEpoch: start.nanosecondsSinceEpoch / 1_000_000_000))
        keys.clock.advance(seconds: 59)
        _ = keys.ring.check(token: issued.token.description)
        try keys.ring.writeUses()
        #expect(try keys.store.apiKeys().keys.first?.lastUsed == Timestamp(secondsSinceEpoch: start.nanosecondsSinceEpoch / 1_000_000_000))
        keys.clock.advance(seconds: 1)
        _ = keys.ring.check(token: issued.token.description)
        try keys.ring.writeUses()
        #expect(try keys.store.apiKeys().keys.first?.lastUsed == Timestamp(secondsSinceEpoch: start.nanosecondsSinceEpoch / 1_000_000_000 + 60))
    }
}

@Suite struct PresentedKeyTests {
    @Test func aPresentedKeyHasTheTokensIdAndTheHashOfItsSecret() throws {
        let token = APIKeyToken.generate()
        let presented = try #require(APIKeyToken.Presented(Substring(token.description)))
        #expect(presented.id == token.id)
        #expect(presented.secretSHA256 == token.secretSHA256)
    }

    @Test func anythingButTheExactShapeIsNoKey() {
        let valid = APIKeyToken.generate().description
        let chars = Array(valid)
        func replacing(_ index: Int, with replacement: String) -> String {
            String(chars[..<index]) + replacement + String(chars[(index + 1)...])
        }
        let broken: [String] = [
            "", String(chars.dropLast()), valid + "x", replacing(1, with: "x"), replacing(2, with: "-"),
            replacing(11, with: "-"), replacing(20, with: "+"), replacing(5, with: "é"),
        ]
        for text in broken { #expect(APIKeyToken.Presented(Substring(text)) == nil, "\(text)") }
    }
}
