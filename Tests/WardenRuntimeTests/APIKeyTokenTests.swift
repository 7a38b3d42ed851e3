import Testing
@testable import WardenRuntime

/// The key format `tw_<8-char id>_<43-char base64url secret>`, its hash and its comparison.
@Suite struct APIKeyTokenTests {
    @Test func aNewKeyIsTwIdAndSecretOfFixedLengthsInBase64URL() {
        let token = APIKeyToken.generate()
        let text = token.description
        #expect(text.utf8.count == 55)
        #expect(text.hasPrefix("tw_\(token.id)_"))
        #expect(token.id.utf8.count == 8)
        #expect(token.secret.utf8.count == 43)
        #expect(text.utf8.dropFirst(3).allSatisfy(APIKeyToken.isBase64URL))
    }

    @Test func newKeysDifferInIdAndSecret() {
        let tokens = (0..<200).map { _ in APIKeyToken.generate() }
        #expect(Set(tokens.map(\.id)).count == 200)
        #expect(Set(tokens.map(\.secret)).count == 200)
    }

    @Test func aKeyParsesBackToItsIdAndSecretEvenWithUnderscoresInThem() {
        let token = APIKeyToken(id: "a_b-C_d9", secret: "_" + String(repeating: "x-_", count: 14))!
        #expect(APIKeyToken(parsing: token.description) == token)
    }

    @Test(arguments: [
        "", "tw_", "TW_AbCd1234_" + String(repeating: "a", count: 43), "tw-AbCd1234_" + String(repeating: "a", count: 43),
        "tw_AbCd1234-" + String(repeating: "a", count: 43), "tw_AbCd1234_" + String(repeating: "a", count: 42),
        "tw_AbCd1234_" + String(repeating: "a", count: 44), "tw_AbCd12+4_" + String(repeating: "a", count: 43),
        "tw_AbCd1234_" + String(repeating: "a", count: 42) + "=", "tw_AbCd1234_" + String(repeating: "é", count: 21) + "a",
    ])
    func anythingElseIsNoKey(_ text: String) {
        #expect(APIKeyToken(parsing: text) == nil)
    }

    @Test func theStoredHashIsSHA256OfTheSecretsCharacters() {
        // sha256("abc"), the FIPS 180-2 example.
        #expect(APIKeyToken.sha256("abc").map { String(format: "%02x", $0) }.joined()
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func hashesCompareEqualOnlyWhenEveryByteIs() {
        let hash = APIKeyToken.sha256("secret")
        #expect(APIKeyToken.constantTimeEquals(hash, hash))
        for index in [0, 15, 31] {
            var other = hash
            other[index] ^= 1
            #expect(!APIKeyToken.constantTimeEquals(hash, other))
        }
        #expect(!APIKeyToken.constantTimeEquals(hash, Array(hash.prefix(31))))
    }
}
