import Foundation
import Synchronization
import TestSupport
import Testing
import WardenFormats
@testable import WardenHTTP

/// `basic_auth_users` on a guarded route, driven in process.
@Suite struct BasicAuthGateTests {
    /// bcrypt (cost 4, to keep the tests fast) of "s3cret".
    static let hash = "$2b$04$HlPBhI3a4PY8nIGrrH2zPeKNdvGP3i5Qq0XCF7k5ByS8621LHVJs."
    /// bcrypt (cost 4) of 72 times "a": bcrypt reads no further.
    static let hash72 = "$2b$04$dZcuaGkm/tMcJEhquMcOA.5jsdG3YTcNIESeUKYtA63kr/MBtjbPG"

    private static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    /// The response a guarded handler that answers 200 "metrics" gives to `authorization`.
    private static func respond(_ gate: BasicAuthGate, authorization: String?) async throws -> HTTPResponse {
        let guarded = gate.guarding { _, responder in responder.send(.text(200, "metrics")) }
        let answer = Mutex<HTTPResponse?>(nil)
        var headers: [(name: String, value: String)] = []
        if let authorization { headers.append((name: "Authorization", value: authorization)) }
        guarded(HTTPRequest(method: "GET", path: "/metrics", headers: headers), HTTPResponder { response in
            answer.withLock { $0 = response }
        })
        let response = try await poll(for: .seconds(10)) { answer.withLock { $0 } }
        return try #require(response)
    }

    @Test func withoutUsersEveryRequestPasses() async throws {
        let response = try await Self.respond(BasicAuthGate(users: []), authorization: nil)
        #expect(response.status == 200)
    }

    @Test func aRequestWithoutCredentialsGets401WithABasicChallenge() async throws {
        let gate = BasicAuthGate(users: [BasicAuthUser(name: "prometheus", bcryptHash: Self.hash)])
        let response = try await Self.respond(gate, authorization: nil)
        #expect(response.status == 401)
        #expect(response.headers.contains { $0.name == "WWW-Authenticate" && $0.value == #"Basic realm="tokenwarden""# })
    }

    @Test func theRightPasswordReachesTheHandler() async throws {
        let gate = BasicAuthGate(users: [BasicAuthUser(name: "prometheus", bcryptHash: Self.hash)])
        let response = try await Self.respond(gate, authorization: Self.basic("prometheus", "s3cret"))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "metrics")
    }

    @Test(arguments: [("prometheus", "wrong"), ("nobody", "s3cret"), ("prometheus", "s3cret\u{0}x"), ("prometheus", "")])
    func aWrongUserOrPasswordGets401(user: String, password: String) async throws {
        let gate = BasicAuthGate(users: [BasicAuthUser(name: "prometheus", bcryptHash: Self.hash)])
        let response = try await Self.respond(gate, authorization: Self.basic(user, password))
        #expect(response.status == 401)
    }

    @Test func aPasswordLongerThanBcryptReadsNeverMatches() async throws {
        let gate = BasicAuthGate(users: [BasicAuthUser(name: "u", bcryptHash: Self.hash72)])
        let exact = String(repeating: "a", count: 72)
        #expect(try await Self.respond(gate, authorization: Self.basic("u", exact)).status == 200)
        #expect(try await Self.respond(gate, authorization: Self.basic("u", exact + "b")).status == 401)
    }

    @Test func aPasswordThatMatchedOnceIsNotCheckedWithBcryptAgain() async throws {
        let gate = BasicAuthGate(users: [BasicAuthUser(name: "prometheus", bcryptHash: Self.hash)])
        for _ in 0..<5 {
            #expect(try await Self.respond(gate, authorization: Self.basic("prometheus", "s3cret")).status == 200)
        }
        #expect(gate.verifier.checksRun.load(ordering: .relaxed) == 1)
    }

    @Test func aWrongPasswordIsCheckedEveryTime() async throws {
        let gate = BasicAuthGate(users: [BasicAuthUser(name: "prometheus", bcryptHash: Self.hash)])
        for _ in 0..<3 {
            #expect(try await Self.respond(gate, authorization: Self.basic("prometheus", "nope")).status == 401)
        }
        #expect(gate.verifier.checksRun.load(ordering: .relaxed) == 3)
    }

    @Test func replacedUsersTakeEffectAndTheOldPasswordsAreForgotten() async throws {
        let gate = BasicAuthGate(users: [BasicAuthUser(name: "prometheus", bcryptHash: Self.hash)])
        #expect(try await Self.respond(gate, authorization: Self.basic("prometheus", "s3cret")).status == 200)
        gate.replaceUsers([BasicAuthUser(name: "grafana", bcryptHash: Self.hash)])
        #expect(try await Self.respond(gate, authorization: Self.basic("prometheus", "s3cret")).status == 401)
        #expect(try await Self.respond(gate, authorization: Self.basic("grafana", "s3cret")).status == 200)
    }

    @Test func anotherAuthorizationSchemeGets401() async throws {
        let gate = BasicAuthGate(users: [BasicAuthUser(name: "prometheus", bcryptHash: Self.hash)])
        #expect(try await Self.respond(gate, authorization: "Bearer abc").status == 401)
    }
}
