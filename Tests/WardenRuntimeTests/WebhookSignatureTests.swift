import Testing
@testable import WardenRuntime

@Suite struct WebhookSignatureTests {
    /// RFC 4231 test case 2.
    @Test func theSignatureIsHMACSHA256OfTheBodyInHex() {
        let signature = WebhookSignature.header(body: Array("what do ya want for nothing?".utf8), secret: "Jefe")
        #expect(signature == "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}
