import Foundation
import Testing
import WardenHTTP
import WardenRuntime

/// `GET /openapi.json` and docs/openapi.json: the binary serves the file as it is in the
/// repository, without a key, and the file describes every route of the edge's table.
/// (That real answers validate against it is checked by the Python suite, with openapi-core.)
@Suite("OpenAPI description")
struct OpenAPIDescriptionTests {
    /// <root>/Tests/WardenHTTPTests/OpenAPIDescriptionTests.swift
    static let documentPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/openapi.json").path

    static func document() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: documentPath))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw HarnessError("docs/openapi.json is not a JSON object")
        }
        return object
    }

    /// The described paths with their methods in upper case (`GET`, `POST`).
    static func describedOperations() throws -> [String: Set<String>] {
        guard let paths = try document()["paths"] as? [String: [String: Any]] else {
            throw HarnessError("docs/openapi.json has no paths object")
        }
        return paths.mapValues { Set($0.keys.map { $0.uppercased() }) }
    }

    @Test func theServedDescriptionIsDocsOpenAPIJSONByteForByte() async throws {
        let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.documentPath)))
        try await withWarden { warden in
            let response = try await warden.get("/openapi.json")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.body == file, "the binary's copy differs from docs/openapi.json: run `make openapi` and rebuild")
        }
    }

    @Test func theDescriptionNeedsNoKeyOnceKeysApply() async throws {
        try await withWarden { warden in
            _ = try warden.runtime.keyAdministration.create(KeyRequest(name: "ops", roles: ["admin"]), actor: "local:test")
            #expect(try await warden.get("/v1/usage").status == 401)
            let response = try await warden.get("/openapi.json")
            #expect(response.status == 200)
            #expect(try response.json()["openapi"] as? String == "3.1.0")
        }
    }

    /// An exact path must be described as it is; a prefix route (`/v1/keys/`) by at least one
    /// path that starts with the prefix and a parameter (`/v1/keys/{name}/rotate`), for each of
    /// its methods. A route added to the table without its description fails here.
    @Test func everyRouteOfTheEdgeIsDescribedWithEachOfItsMethods() async throws {
        let described = try Self.describedOperations()
        try await withWarden { warden in
            let table = warden.router.table
            #expect(table.count >= 20)
            for route in table {
                for method in route.methods {
                    if route.isPrefix {
                        let covering = described.filter { path, methods in
                            path.hasPrefix(route.path + "{") && methods.contains(method)
                        }
                        #expect(!covering.isEmpty, "\(method) \(route.path)… is not described in docs/openapi.json")
                    } else {
                        #expect(described[route.path]?.contains(method) == true, "\(method) \(route.path) is not described in docs/openapi.json")
                    }
                }
            }
        }
    }

    @Test func openRoutesAreDescribedWithoutSecurityAndTheOthersWithBearerAndBasic() throws {
        let document = try Self.document()
        let schemes = (document["components"] as? [String: Any])?["securitySchemes"] as? [String: [String: Any]]
        #expect(schemes?["bearerAuth"]?["scheme"] as? String == "bearer")
        #expect(schemes?["basicAuth"]?["scheme"] as? String == "basic")
        let paths = document["paths"] as? [String: [String: [String: Any]]] ?? [:]
        for path in ["/-/healthy", "/-/ready", "/openapi.json"] {
            let security = paths[path]?["get"]?["security"] as? [Any]
            #expect(security?.isEmpty == true, "\(path) must be described as open")
        }
        #expect(paths["/v1/usage"]?["post"] != nil && paths["/v1/usage"]?["post"]?["security"] == nil)
        let global = document["security"] as? [[String: Any]] ?? []
        #expect(global.map { $0.keys.sorted() } == [["bearerAuth"], ["basicAuth"], []])
    }
}
