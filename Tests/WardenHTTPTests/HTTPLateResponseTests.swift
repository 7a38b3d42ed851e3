import TestSupport
import Dispatch
import Synchronization
import Testing
import WardenHTTP

#if canImport(Glibc)
import Glibc
#endif

@Suite("HTTP late responses")
struct HTTPLateResponseTests {
    @Test func responseSentLaterFromAnotherThreadIsDelivered() async throws {
        let handler = ClosureHandler { request, responder in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(50)) {
                responder.send(.text(200, "late \(request.path)"))
            }
        }
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            let started = ContinuousClock.now
            try client.write("GET /commit HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(ContinuousClock.now - started >= .milliseconds(50))
            #expect(response.status == 200)
            #expect(response.text == "late /commit")
        }
    }

    @Test func keepAliveSurvivesALateResponse() async throws {
        let handler = ClosureHandler { request, responder in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(10)) {
                responder.send(.text(200, request.path))
            }
        }
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            for path in ["/one", "/two"] {
                try client.write("POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
                let response = try client.readResponse()
                #expect(response.text == path)
                #expect(response.header("Connection")?.lowercased() != "close")
            }
        }
    }

    @Test func twoHundredConcurrentLateResponsesAllArriveWithoutBlockingWorkers() async throws {
        let parked = ParkedResponders()
        let handler = ClosureHandler { request, responder in
            if request.path == "/ping" {
                responder.send(.text(200, "pong"))
            } else {
                parked.park(request, responder)
            }
        }
        let count = 200
        try await withHTTPServer(handler: handler) { server in
            var clients: [RawHTTPConnection] = []
            for index in 0..<count {
                let client = try RawHTTPConnection(port: server.boundPort)
                try client.write("GET /wait/\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
                clients.append(client)
            }
            #expect(try await poll(for: .seconds(5), until: { parked.count == count }))

            // Every request is parked, yet the two workers still serve new ones at once.
            let probe = try RawHTTPConnection(port: server.boundPort)
            try probe.write("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try probe.readResponse().text == "pong")

            let waiting = parked.takeAll()
            DispatchQueue.concurrentPerform(iterations: waiting.count) { index in
                let (request, responder) = waiting[index]
                responder.send(.text(200, "answer for \(request.path)"))
            }
            for (index, client) in clients.enumerated() {
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == "answer for /wait/\(index)")
            }
            #expect(try await poll(for: .seconds(5), until: { server.activeRequestCount == 0 }))
        }
    }

    /// The answer races the worker parking the connection: sometimes it lands while the handler is
    /// still running, sometimes after the suspend. Every one must arrive, on kept-alive connections.
    @Test func sendsRacingTheParkingOfTheConnectionAreAllDelivered() async throws {
        let handler = ClosureHandler { request, responder in
            DispatchQueue.global().async { responder.send(.text(200, request.path)) }
        }
        try await withHTTPServer(handler: handler) { server in
            let connections = try (0..<16).map { _ in try RawHTTPConnection(port: server.boundPort) }
            for round in 0..<50 {
                for (index, client) in connections.enumerated() {
                    try client.write("GET /\(index)/\(round) HTTP/1.1\r\nHost: x\r\n\r\n")
                }
                for (index, client) in connections.enumerated() {
                    let response = try client.readResponse()
                    #expect(response.text == "/\(index)/\(round)")
                }
            }
            #expect(try await poll(for: .seconds(5), until: { server.activeRequestCount == 0 }))
        }
    }

    /// The client hangs up while its request waits; the answer comes after the hang-up has
    /// reached the server (its end of the connection has the client's FIN), which libmicrohttpd
    /// notices only once the answer resumes the connection.
    @Test func sendAfterTheClientDisconnectedIsHarmless() async throws {
        let parked = ParkedResponders()
        let handler = ClosureHandler { request, responder in
            if request.path == "/ping" {
                responder.send(.text(200, "pong"))
            } else {
                parked.park(request, responder)
            }
        }
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await poll(for: .seconds(5), until: { parked.count == 1 }))
            let (serverPort, clientPort) = (server.boundPort, client.localPort)
            #expect(ServerSideTCPState.of(serverPort: serverPort, clientPort: clientPort) == .established)
            client.close()
            #expect(try await poll(for: .seconds(5), until: {
                ServerSideTCPState.of(serverPort: serverPort, clientPort: clientPort) == .closeWait
            }), "the client's hang-up never reached the server's end of the connection")
            #expect(server.activeRequestCount == 1, "the request is still waiting for its answer")

            for (_, responder) in parked.takeAll() {
                responder.send(.text(200, "nobody is listening"))
                responder.send(.text(200, "and a second time"))
            }
            // The request completes (its state is freed), the server closes its end of the
            // connection, and it keeps serving.
            #expect(try await poll(for: .seconds(5), until: { server.activeRequestCount == 0 }))
            #expect(try await poll(for: .seconds(5), until: {
                ServerSideTCPState.of(serverPort: serverPort, clientPort: clientPort) == nil
            }), "the server kept its end of the abandoned connection open")
            let next = try RawHTTPConnection(port: server.boundPort)
            try next.write("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try next.readResponse().text == "pong")
        }
    }

    @Test func onlyTheFirstOfSeveralSendsIsDelivered() async throws {
        let handler = ClosureHandler { _, responder in
            responder.send(.text(200, "first"))
            responder.send(.text(500, "second"))
        }
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "first")
        }
    }

    @Test func sendFromAnotherThreadWhileTheHandlerIsStillRunningIsDelivered() async throws {
        let handler = ClosureHandler { _, responder in
            let thread = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                responder.send(.text(200, "raced"))
                thread.signal()
            }
            thread.wait()
        }
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().text == "raced")
        }
    }

    @Test func aResponderReleasedWithoutSendingAnswers500() async throws {
        let handler = ClosureHandler { _, _ in }
        try await withHTTPServer(handler: handler) { server in
            let client = try RawHTTPConnection(port: server.boundPort)
            try client.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 500)
            #expect(response.text == #"{"error":"the handler finished without a response"}"#)
        }
    }
}
