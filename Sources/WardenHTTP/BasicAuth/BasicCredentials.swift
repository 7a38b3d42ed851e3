import Foundation

/// The user and password of an `Authorization: Basic` header (RFC 7617).
struct BasicCredentials: Sendable {
    var user: String
    var password: [UInt8]

    /// nil when the header is missing, of another scheme, or not `base64(user:password)`.
    init?(authorization: String?) {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)) else { return nil }
        let bytes = [UInt8](decoded)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        user = String(decoding: bytes[..<colon], as: UTF8.self)
        password = Array(bytes[(colon + 1)...])
    }
}
