/// `GET /openapi.json`: the OpenAPI 3.1 description of this API (docs/openapi.json, built into
/// the binary as ``OpenAPIDocument``), so clients and generators read the description of the
/// very server they talk to.
enum OpenAPIRoute {
    static func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
        responder.send(HTTPResponse(status: 200, headers: [(name: "Content-Type", value: "application/json")],
                                    body: OpenAPIDocument.bytes))
    }
}
