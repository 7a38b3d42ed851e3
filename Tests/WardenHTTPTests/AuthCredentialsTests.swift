import Foundation
import Testing
@testable import WardenHTTP
import WardenRuntime

/// How the auth step reads `Authorization` (RFC 9110: a case-insensitive scheme, optional
/// whitespace around the value).
@Suite struct AuthCredentialsTests {
    static let key = "tw_AbCd1234_" + String(repeating: "x", count: 43)

    private func read(_ value: String?, acceptBasic: Bool = false) -> Authorizer.Credentials {
        let headers = value.map { [(name: "authorization", value: $0)] } ?? []
        return AuthStep.credentials(HTTPRequest(method: acceptBasic ? "GET" : "POST", path: "/v1/check", headers: headers),
                                    acceptBasic: acceptBasic)
    }

    private func bearer(_ credentials: Authorizer.Credentials) -> String? {
        if case .bearer(let token) = credentials { return String(token) }
        return nil
    }

    @Test func aBearerTokenIsReadInAnyCaseOfTheScheme() {
        for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
            #expect(bearer(read("\(scheme) \(Self.key)")) == Self.key, "\(scheme)")
        }
    }

    @Test func spacesAndTabsAroundTheValueAndBeforeTheTokenAreIgnored() {
        #expect(bearer(read(" \tBearer   \(Self.key)\t ")) == Self.key)
    }

    @Test func noHeaderOrABlankOneIsMissing() {
        guard case .none = read(nil) else { Issue.record("no header"); return }
        guard case .none = read(" \t ") else { Issue.record("blank header"); return }
    }

    @Test func aSchemeAloneOrAnotherSchemeIsUnreadable() {
        for value in ["Bearer", "Token \(Self.key)", "Bearers \(Self.key)", "Beare \(Self.key)"] {
            guard case .unreadable = read(value) else { Issue.record("\(value) was read"); continue }
        }
    }

    @Test func basicCredentialsAreReadOnlyWhereAccepted() {
        let encoded = "Basic " + Data("finance:\(Self.key)".utf8).base64EncodedString()
        guard case .basic(let user, let password) = read(encoded, acceptBasic: true) else {
            Issue.record("basic credentials on a read were not read"); return
        }
        #expect(user == "finance")
        #expect(password == Self.key)
        guard case .unreadable = read(encoded, acceptBasic: false) else { Issue.record("basic credentials on a write"); return }
        guard case .unreadable = read("basic !!!", acceptBasic: true) else { Issue.record("not base64"); return }
    }
}
