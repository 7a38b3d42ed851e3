import WardenCore
import WardenFormats
import WardenRuntime

/// `GET /v1/budgets` and `GET /v1/budgets/{name}`: each budget instance's window, limits, usage,
/// what is left and its active step, read from the live engine.
///
/// Query parameters: any attribution key (`team=search`: instances whose labels include it),
/// `limit` (default 100, at most 1000) and `cursor` (the `next_cursor` of the previous page). An
/// unknown parameter is a 400 naming it; an unknown budget name a 404. A scoped key sees only the
/// instances inside its scope: a filter that contradicts the scope is a 403 naming it, and the
/// scope's labels are added to the filters.
struct BudgetStatusRoute: Sendable {
    let host: RuleHost
    let schema: AttributionSchema
    /// Filters name raw values; pseudonymised labels are matched by their pseudonyms.
    var pseudonymisation = Pseudonymisation.none
    static let prefix = "/v1/budgets/"
    static let defaultLimit = 100
    static let maxLimit = 1000

    func list(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        answer(request, caller, budget: nil, responder)
    }

    func one(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        let name = String(request.path.dropFirst(Self.prefix.count))
        guard !name.contains("/") else {
            return responder.send(HTTPError(status: 404, message: "no such endpoint: \(request.path)").response)
        }
        answer(request, caller, budget: name, responder)
    }

    private func answer(_ request: HTTPRequest, _ caller: APICaller, budget: String?, _ responder: HTTPResponder) {
        do throws(HTTPError) {
            var query = try parse(request, caller: caller)
            query.budget = budget
            let page = host.budgetStatuses(query)
            guard page.budgetExists else { throw HTTPError(status: 404, message: "no budget named \"\(budget ?? "")\"") }
            responder.send(.json(200, Self.body(page)))
        } catch {
            responder.send(error.response)
        }
    }

    /// The filters, narrowed to a scoped caller's labels as the exports narrow theirs.
    func parse(_ request: HTTPRequest, caller: APICaller) throws(HTTPError) -> BudgetStatusQuery {
        var query = BudgetStatusQuery(limit: Self.defaultLimit)
        for (name, value) in try request.singleValuedQuery() {
            switch name {
            case "limit":
                guard let parsed = Int(value), (1...Self.maxLimit).contains(parsed) else {
                    throw HTTPError(status: 400, message: "query parameter limit must be an integer from 1 to \(Self.maxLimit)")
                }
                query.limit = parsed
            case "cursor":
                guard let position = Self.position(cursor: value) else {
                    throw HTTPError(status: 400, message: "query parameter cursor must be a next_cursor value from a previous page")
                }
                query.after = position
            default:
                guard schema.allows(name) else {
                    throw HTTPError(status: 400, message: "unknown query parameter \"\(name)\" (expected limit, cursor or an attribution key: \(schema.allowedKeys.joined(separator: ", ")))")
                }
                query.labels.append(AuditLabel(key: name, value: pseudonymisation.value(value, of: name)))
            }
        }
        for label in caller.scope.labels {
            if let given = query.labels.first(where: { $0.key == label.key }) {
                guard given.value == label.value else {
                    throw HTTPError(status: 403, message: "query parameter \(label.key)=\(given.value) is outside the key's scope (\(label.key)=\(label.value))")
                }
            } else {
                query.labels.append(AuditLabel(key: label.key, value: label.value))
            }
        }
        return query
    }

    static func body(_ page: BudgetStatusPage) -> [UInt8] {
        var body = JSONWriter(reservingCapacity: 128 + page.statuses.count * 600)
        body.beginObject()
        body.key("budgets")
        body.beginArray()
        for status in page.statuses { write(status, to: &body) }
        body.endArray()
        body.key("next_cursor")
        body.string(orNull: page.next.map(cursor))
        body.endObject()
        return body.bytes
    }

    /// Amounts are exact decimal strings, like `cost` in `/v1/usage`; the ratio is a number.
    static func write(_ status: BudgetStatus, to body: inout JSONWriter) {
        body.beginObject()
        body.key("budget"); body.string(status.budget)
        body.key("scope")
        body.beginObject()
        for label in status.scope { body.key(label.key); body.string(label.value) }
        body.endObject()
        body.key("period")
        body.beginObject()
        body.key("start"); timestamp(status.period.start, to: &body)
        body.key("end"); timestamp(status.period.end, to: &body)
        body.key("timezone"); body.string(status.period.timeZone)
        body.endObject()
        body.key("limits")
        body.beginArray()
        for limit in status.limits {
            body.beginObject()
            body.key("unit"); body.string(limit.unit)
            body.key("base"); body.string(limit.base.exactDecimal)
            body.key("rollover"); body.string(limit.rollover.exactDecimal)
            body.key("override"); body.string(limit.override.exactDecimal)
            body.key("effective"); body.string(limit.effective.exactDecimal)
            body.key("used"); body.string(limit.used.exactDecimal)
            body.key("reserved"); body.string(limit.reserved.exactDecimal)
            body.key("remaining"); body.string(limit.remaining.exactDecimal)
            body.key("usage_ratio"); body.number(limit.usageRatio)
            body.endObject()
        }
        body.endArray()
        body.key("step")
        if let step = status.step { body.string(step.rawValue) } else { body.null() }
        body.key("override")
        if let override = status.override {
            body.beginObject()
            body.key("id"); body.string(override.id)
            body.key("change"); body.string(override.change)
            body.key("expires_at"); body.string(override.expiresAt.rfc3339)
            body.endObject()
        } else {
            body.null()
        }
        body.endObject()
    }

    private static func timestamp(_ time: Timestamp?, to body: inout JSONWriter) {
        if let time { body.string(time.rfc3339) } else { body.null() }
    }

    // MARK: cursor

    /// A position as an opaque cursor: lowercase hex of the JSON array `[budget, key, value, …]`,
    /// so any name or value round-trips and the cursor needs no escaping in a URL.
    static func cursor(_ position: BudgetStatus.Position) -> String {
        var array = JSONWriter()
        array.beginArray()
        array.string(position.budget)
        for label in position.scope { array.string(label.key); array.string(label.value) }
        array.endArray()
        return LowercaseHex.encode(array.bytes)
    }

    static func position(cursor: String) -> BudgetStatus.Position? {
        let digits = Array(cursor.utf8)
        guard !digits.isEmpty, digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        guard let document = try? JSONDocument(parsing: bytes), document.root.kind == .array else { return nil }
        let texts = document.root.elements.compactMap(\.string)
        guard texts.count == document.root.count, texts.count % 2 == 1 else { return nil }
        var scope: [AuditLabel] = []
        for index in stride(from: 1, to: texts.count, by: 2) { scope.append(AuditLabel(key: texts[index], value: texts[index + 1])) }
        return BudgetStatus.Position(budget: texts[0], scope: scope)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
