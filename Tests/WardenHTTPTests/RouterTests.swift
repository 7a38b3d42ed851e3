import Testing
import WardenHTTP

/// The router on its own: dispatch by path then method, 404 and 405, HEAD, prefix routes.
@Suite("Router")
struct RouterTests {
    /// Answers with the route's name and the method and path it was called with.
    private static func route(_ name: String, _ methods: [String]) -> Router.Route {
        Router.Route(methods: methods, operation: .health) { request, responder in
            responder.send(.text(200, "\(name) \(request.method) \(request.path)"))
        }
    }

    private static let router = Router([
        ("/things", route("list", ["GET"])),
        ("/things", route("create", ["POST"])),
        ("/submit", route("submit", ["POST"])),
    ], prefixes: [
        ("/things/", route("one", ["DELETE"])),
    ])

    private static func send(_ method: String, _ path: String) async throws -> RouteResponse {
        try await response(to: HTTPRequest(method: method, path: path), from: router)
    }

    @Test func anUnknownPathIsA404WithAJSONErrorNamingThePath() async throws {
        let response = try await Self.send("GET", "/nowhere")
        #expect(response.status == 404)
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.text == #"{"error":"no such endpoint: /nowhere"}"#)
    }

    @Test func aKnownPathWithAnotherMethodIsA405ListingEveryAllowedMethod() async throws {
        let response = try await Self.send("PUT", "/things")
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, POST, HEAD")
        #expect(response.text == #"{"error":"PUT is not allowed on /things"}"#)
    }

    @Test func headIsAllowedOnlyWhereGetIs() async throws {
        let response = try await Self.send("GET", "/submit")
        #expect(response.status == 405)
        #expect(response.header("Allow") == "POST")
        let head = try await Self.send("HEAD", "/submit")
        #expect(head.status == 405)
    }

    @Test func headIsAnsweredByTheGetRouteWithItsMethodKept() async throws {
        let response = try await Self.send("HEAD", "/things")
        #expect(response.status == 200)
        #expect(response.text == "list HEAD /things")
    }

    @Test func routesSharingAPathAreChosenByMethod() async throws {
        #expect(try await Self.send("GET", "/things").text == "list GET /things")
        #expect(try await Self.send("POST", "/things").text == "create POST /things")
    }

    @Test func aPrefixRouteTakesTheRestOfThePath() async throws {
        let response = try await Self.send("DELETE", "/things/42")
        #expect(response.status == 200)
        #expect(response.text == "one DELETE /things/42")
    }

    @Test func aPrefixRouteWithAnotherMethodIsA405() async throws {
        let response = try await Self.send("GET", "/things/42")
        #expect(response.status == 405)
        #expect(response.header("Allow") == "DELETE")
    }

    @Test func thePrefixAloneIsNotARoute() async throws {
        let response = try await Self.send("DELETE", "/things/")
        #expect(response.status == 404)
        #expect(response.text == #"{"error":"no such endpoint: /things/"}"#)
    }

    @Test func pathsMatchExactlyAndCaseSensitively() async throws {
        #expect(try await Self.send("POST", "/submit/").status == 404)
        #expect(try await Self.send("POST", "/Submit").status == 404)
    }
}
