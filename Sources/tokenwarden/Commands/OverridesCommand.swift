import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import WardenCore
import WardenFormats
import WardenRuntime
import WardenStore

struct OverridesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overrides",
        abstract: "Request, list, approve, reject and revoke budget overrides.",
        discussion: """
            Against a running server (--url with --key-file or TOKENWARDEN_KEY: the key is the actor, and four eyes \
            apply: an override takes effect when a different approver key approves it), or offline on the data file \
            (--data: the actor is local:<user>; an offline request stays pending and an offline approval is refused, \
            since it cannot be the second pair of eyes). A running server notices offline changes within a second.
            """,
        subcommands: [OverridesRequest.self, OverridesList.self, OverridesApprove.self, OverridesReject.self, OverridesRevoke.self]
    )
}

/// Where the overrides are: a server's API, or a data file.
struct OverrideTarget: ParsableArguments {
    @Option(help: "A running server's base URL, e.g. http://127.0.0.1:9473.")
    var url: String?

    @Option(name: .customLong("key-file"), help: "File holding the API key for --url (default: $TOKENWARDEN_KEY).")
    var keyFile: String?

    @Option(help: "The database file serve writes to (offline; instead of --url).")
    var data: String?

    @Option(help: "Directory with the rule files and tokenwarden.yaml (offline).")
    var rules: String = "./Rules"

    func validate() throws {
        if url != nil && data != nil { throw ValidationError("give --url (a running server) or --data (offline), not both") }
        if url == nil && data == nil { throw ValidationError("give --url URL (a running server) or --data FILE (offline)") }
    }

    /// The server's answer to one request, or exits: 0 for 2xx, 1 for a refusal, 2 when the server
    /// cannot be reached or the key read.
    func send(_ method: String, _ path: String, body: [UInt8]? = nil) async throws -> Data {
        guard let url, let endpoint = URL(string: url.hasSuffix("/") ? String(url.dropLast()) + path : url + path) else {
            throw ValidationError("--url must be a URL such as http://127.0.0.1:9473")
        }
        let key: String
        if let keyFile {
            guard let text = try? String(contentsOfFile: keyFile, encoding: .utf8) else {
                printError("cannot read the key file \(keyFile)")
                throw ExitCode(2)
            }
            key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let text = ProcessInfo.processInfo.environment["TOKENWARDEN_KEY"], !text.isEmpty {
            key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            printError("--url needs an API key: --key-file FILE or the environment variable TOKENWARDEN_KEY")
            throw ExitCode(2)
        }
        var request = URLRequest(url: endpoint)
        request.httpMethod = method
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = Data(body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        request.timeoutInterval = 30
        let data: Data
        let response: URLResponse
        do {
            let answer = try await URLSession.shared.data(for: request)
            data = answer.0
            response = answer.1
        } catch {
            printError("\(url): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            Self.printRefusal(data, status: status)
            throw ExitCode(status >= 500 ? 2 : 1)
        }
        return data
    }

    /// `{"error": …}` or `{"errors": [{"field", "message"}]}` as lines on standard error.
    static func printRefusal(_ data: Data, status: Int) {
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        if let errors = object?["errors"] as? [[String: Any]] {
            for error in errors { printError("\(error["field"] as? String ?? ""): \(error["message"] as? String ?? "")") }
        } else if let message = object?["error"] as? String {
            printError("HTTP \(status): \(message)")
        } else {
            printError("HTTP \(status): \(String(decoding: data, as: UTF8.self))")
        }
    }

    /// The offline governance, or exits 2 saying why.
    func open() throws -> (OverrideGovernance, UsageStore) {
        do {
            return try OverrideGovernance.open(dataPath: data ?? "", rulesDirectory: rules, logger: Logger(label: "tokenwarden.overrides"))
        } catch {
            for message in error.messages { printError(message) }
            throw ExitCode(2)
        }
    }

    /// `--status` read as one of `Status`'s values (nil when not given), or exits 1 naming them.
    static func status<Status: RawRepresentable & CaseIterable>(_ text: String?) throws -> Status? where Status.RawValue == String {
        guard let text else { return nil }
        guard let status = Status(rawValue: text) else {
            printError("status: must be one of \(Status.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\"")
            throw ExitCode(1)
        }
        return status
    }

    /// Exits for an offline refusal: 1 for a request to fix, 2 when the database failed.
    static func fail(_ error: OverrideError) -> ExitCode {
        if error.kind == .invalid {
            for problem in error.problems { printError("\(problem.field): \(problem.message)") }
        } else {
            printError(error.message)
        }
        return ExitCode(error.kind == .storage ? 2 : 1)
    }

    /// Prints one override (JSON on standard output, a summary on standard error).
    static func report(_ json: Data) {
        print(String(decoding: json, as: UTF8.self))
        fflush(nil)
        if let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] {
            let id = object["id"] as? String ?? "?"
            let status = object["status"] as? String ?? "?"
            let until = (status == "active" ? object["expires_at"] : object["approval_expires_at"]) as? String ?? ""
            printError(status == "active" ? "override \(id) is active until \(until)"
                       : status == "pending" ? "override \(id) is pending: a different key with the approver role must approve it by \(until)"
                       : "override \(id) is \(status)")
        }
    }
}

struct OverridesRequest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Request an override of one budget (or one instance of a per: budget).",
        discussion: """
            --change "+500.00 USD" or "+2_000_000 tokens" raises the limit, "300.00 USD" sets it, "exempt" lifts the \
            throttle and deny steps. It lasts --for a duration or --until a time (at most governance.override_max_duration) \
            from its approval.
            """
    )

    @Option(help: "The budget's name.")
    var budget: String

    @Option(help: "The instance's labels, e.g. team=search (repeatable or comma-separated).")
    var instance: [String] = []

    @Option(help: "+<amount> <CURRENCY>, +<count> tokens, <amount> <CURRENCY> or exempt.")
    var change: String

    @Option(name: .customLong("for"), help: "How long it lasts once approved, e.g. 48h.")
    var duration: String?

    @Option(help: "When it ends, RFC 3339 (instead of --for).")
    var until: String?

    @Option(help: "Why it is needed (kept in the audit log).")
    var reason: String

    @OptionGroup var target: OverrideTarget

    func run() async throws {
        var labels: [(key: String, value: String)] = []
        for part in instance.flatMap({ $0.split(separator: ",") }) where !part.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let equals = part.firstIndex(of: "=") else {
                printError("instance: \"\(part)\" is not label=value (e.g. team=search)")
                throw ExitCode(1)
            }
            labels.append((String(part[..<equals]).trimmingCharacters(in: .whitespaces),
                           String(part[part.index(after: equals)...]).trimmingCharacters(in: .whitespaces)))
        }
        if target.url != nil {
            var json = JSONWriter()
            json.beginObject()
            json.key("budget"); json.string(budget)
            json.key("instance")
            json.beginObject()
            for label in labels { json.key(label.key); json.string(label.value) }
            json.endObject()
            json.key("change"); json.string(change)
            if let duration { json.key("for"); json.string(duration) }
            if let until { json.key("until"); json.string(until) }
            json.key("reason"); json.string(reason)
            json.endObject()
            OverrideTarget.report(try await target.send("POST", "/v1/overrides", body: json.bytes))
            return
        }
        let (governance, store) = try target.open()
        defer { store.close(checkpointing: false) }
        do throws(OverrideError) {
            let record = try governance.request(OverrideRequest(budget: budget, instance: labels, change: change, duration: duration,
                                                                until: until, reason: reason),
                                                by: .local(KeyStoreOptions.actor))
            OverrideTarget.report(Data(record.json))
        } catch {
            throw OverrideTarget.fail(error)
        }
    }
}

struct OverridesList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List overrides, oldest first.")

    @Option(help: "Only this status: pending, active, expired, rejected, revoked.")
    var status: String?

    @Option(help: "Only this budget.")
    var budget: String?

    @Option(help: "text or json.")
    var format: KeysList.ListFormat = .text

    @OptionGroup var target: OverrideTarget

    func run() async throws {
        let json: Data
        if target.url != nil {
            var query: [String] = []
            if let status { query.append("status=\(status.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? status)") }
            if let budget { query.append("budget=\(budget.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? budget)") }
            json = try await target.send("GET", "/v1/overrides" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
        } else {
            let wanted: OverrideStatus? = try OverrideTarget.status(status)
            let (governance, store) = try target.open()
            defer { store.close(checkpointing: false) }
            do throws(OverrideError) {
                json = Data(OverrideRecord.listJSON(try governance.list(status: wanted, budget: budget, visibleTo: .local(KeyStoreOptions.actor))))
            } catch {
                throw OverrideTarget.fail(error)
            }
        }
        if format == .json {
            print(String(decoding: json, as: UTF8.self))
            return
        }
        let rows = ((try? JSONSerialization.jsonObject(with: json)) as? [String: Any])?["overrides"] as? [[String: Any]] ?? []
        print("ID\tSTATUS\tBUDGET\tINSTANCE\tCHANGE\tENDS\tREQUESTED BY\tREASON")
        for row in rows {
            let instance = (row["instance"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            let status = row["status"] as? String ?? ""
            let ends = row[status == "pending" ? "approval_expires_at" : status == "active" ? "expires_at" : "ended_at"] as? String ?? "-"
            print([row["id"] as? String ?? "", status, row["budget"] as? String ?? "", instance.isEmpty ? "-" : instance.joined(separator: ","),
                   row["change"] as? String ?? "", ends, row["requested_by"] as? String ?? "", row["reason"] as? String ?? ""]
                .joined(separator: "\t"))
        }
    }
}

/// approve, reject and revoke: one id, one verb.
protocol OverrideDecision: AsyncParsableCommand {
    static var verb: String { get }
    var id: String { get }
    var target: OverrideTarget { get }
    static func decide(_ governance: OverrideGovernance, _ id: String, _ actor: GovernanceActor) throws(OverrideError) -> OverrideRecord
}

extension OverrideDecision {
    func perform() async throws {
        if target.url != nil {
            OverrideTarget.report(try await target.send("POST", "/v1/overrides/\(id)/\(Self.verb)"))
            return
        }
        let (governance, store) = try target.open()
        defer { store.close(checkpointing: false) }
        do throws(OverrideError) {
            OverrideTarget.report(Data(try Self.decide(governance, id, .local(KeyStoreOptions.actor)).json))
        } catch {
            throw OverrideTarget.fail(error)
        }
    }
}

struct OverridesApprove: OverrideDecision {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a pending override with an approver key other than the requester's (--url only).")
    static let verb = "approve"
    @Argument(help: "The override's id (ovr_…).") var id: String
    @OptionGroup var target: OverrideTarget
    func run() async throws { try await perform() }
    static func decide(_ governance: OverrideGovernance, _ id: String, _ actor: GovernanceActor) throws(OverrideError) -> OverrideRecord {
        try governance.approve(id, by: actor)
    }
}

struct OverridesReject: OverrideDecision {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject a pending override.")
    static let verb = "reject"
    @Argument(help: "The override's id (ovr_…).") var id: String
    @OptionGroup var target: OverrideTarget
    func run() async throws { try await perform() }
    static func decide(_ governance: OverrideGovernance, _ id: String, _ actor: GovernanceActor) throws(OverrideError) -> OverrideRecord {
        try governance.reject(id, by: actor)
    }
}

struct OverridesRevoke: OverrideDecision {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "End a pending or active override now.")
    static let verb = "revoke"
    @Argument(help: "The override's id (ovr_…).") var id: String
    @OptionGroup var target: OverrideTarget
    func run() async throws { try await perform() }
    static func decide(_ governance: OverrideGovernance, _ id: String, _ actor: GovernanceActor) throws(OverrideError) -> OverrideRecord {
        try governance.revoke(id, by: actor)
    }
}
