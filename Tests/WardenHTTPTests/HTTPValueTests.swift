import Synchronization
import Testing
import WardenHTTP

@Suite("HTTP values")
struct HTTPValueTests {
    @Test func httpErrorRendersAsEscapedJSON() {
        let response = HTTPError(status: 422, message: "field \"model\" is\nmissing \\ \u{1}").response
        #expect(response.status == 422)
        #expect(response.headers.first?.value == "application/json")
        #expect(String(decoding: response.body, as: UTF8.self)
                == #"{"error":"field \"model\" is\nmissing \\ \u0001"}"#)
    }

    @Test func httpErrorKeepsNonASCIIText() {
        let response = HTTPError(status: 400, message: "budget für Zürich").response
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"error":"budget für Zürich"}"#)
    }

    @Test func headerLookupIgnoresCaseButNotSpelling() {
        let request = HTTPRequest(method: "GET", path: "/", headers: [
            (name: "Content-Type", value: "application/json"),
            (name: "X-Api-Key", value: "first"),
            (name: "x-api-key", value: "second"),
        ])
        #expect(request.header("content-type") == "application/json")
        #expect(request.header("X-API-KEY") == "first")
        #expect(request.header("X-Api-Ke") == nil)
        #expect(request.header("X-Api-Keys") == nil)
    }

    @Test func queryLookupReturnsTheFirstExactMatch() {
        let request = HTTPRequest(method: "GET", path: "/", query: [(name: "a", value: "1"), (name: "a", value: "2")])
        #expect(request.queryValue("a") == "1")
        #expect(request.queryValue("A") == nil)
    }

    @Test func textAndJSONResponsesCarryTheirContentType() {
        #expect(HTTPResponse.text(200, "hi").headers.first?.value == "text/plain; charset=utf-8")
        #expect(HTTPResponse.json(200, Array("{}".utf8)).headers.first?.value == "application/json")
    }

    @Test func aCallbackResponderDeliversOnceAnd500IfDropped() {
        let delivered = Mutex<[Int]>([])
        do {
            let responder = HTTPResponder { response in delivered.withLock { $0.append(response.status) } }
            responder.send(.text(204, ""))
            responder.send(.text(200, ""))
        }
        do {
            _ = HTTPResponder { response in delivered.withLock { $0.append(response.status) } }
        }
        #expect(delivered.withLock { $0 } == [204, 500])
    }
}
