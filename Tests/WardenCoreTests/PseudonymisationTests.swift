import Testing
import WardenCore

/// The attribution step that replaces pseudonymised labels' values (the keyed function is a stand-in here).
@Suite struct PseudonymisationTests {
    /// A stand-in keyed function that shows what went through it.
    static let hashing = Pseudonymisation(labels: ["user", "session"]) { label, value in "hashed(\(label),\(value))" }

    @Test func onlyTheNamedLabelsAreReplaced() {
        var attribution = Attribution(["org": "acme", "user": "alice", "session": "s-1"])
        Self.hashing.apply(to: &attribution)
        #expect(attribution["org"] == "acme")
        #expect(attribution["user"] == "hashed(user,alice)")
        #expect(attribution["session"] == "hashed(session,s-1)")
    }

    @Test func aValueOfThePseudonymFormIsTakenAsItIs() {
        let pseudonym = "p_34d45cbc91de5ce7295b963a0e35627d"
        #expect(Self.hashing.value(pseudonym, of: "user") == pseudonym)
        #expect(Self.hashing.value("alice", of: "user") == "hashed(user,alice)")
        #expect(Self.hashing.value("alice", of: "team") == "alice")
    }

    @Test func thePseudonymFormIsPAndThirtyTwoLowercaseHexDigits() {
        #expect(Pseudonymisation.isPseudonym("p_34d45cbc91de5ce7295b963a0e35627d"))
        #expect(!Pseudonymisation.isPseudonym("p_34D45CBC91DE5CE7295B963A0E35627D"))
        #expect(!Pseudonymisation.isPseudonym("p_34d45cbc91de5ce7295b963a0e35627"))
        #expect(!Pseudonymisation.isPseudonym("p_34d45cbc91de5ce7295b963a0e35627dd"))
        #expect(!Pseudonymisation.isPseudonym("q_34d45cbc91de5ce7295b963a0e35627d"))
        #expect(!Pseudonymisation.isPseudonym("p_34d45cbc91de5ce7295b963a0e3562zz"))
    }

    @Test func withoutLabelsNothingChanges() {
        var attribution = Attribution(["user": "alice"])
        Pseudonymisation.none.apply(to: &attribution)
        #expect(attribution["user"] == "alice")
        #expect(!Pseudonymisation.none.isEnabled)
    }
}
