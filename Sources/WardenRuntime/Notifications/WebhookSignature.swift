import Crypto
import WardenCore

/// The `X-TokenWarden-Signature` header of a webhook delivery: `sha256=<hex HMAC-SHA256 of the
/// body keyed with the receiver's secret>`, the scheme GitHub's webhooks use, so receivers can
/// reuse their verification code.
///
/// It lives in the store module because that is the module that depends on swift-crypto (for the
/// audit chain); the server signs through it.
public enum WebhookSignature {
    public static let headerName = "X-TokenWarden-Signature"

    public static func header(body: some Collection<UInt8>, secret: String) -> String {
        "sha256=" + hex(body: body, secret: secret)
    }

    public static func hex(body: some Collection<UInt8>, secret: String) -> String {
        let key = SymmetricKey(data: Array(secret.utf8))
        let code = HMAC<SHA256>.authenticationCode(for: Array(body), using: key)
        return code.withUnsafeBytes { LowercaseHex.encode($0) }
    }
}
