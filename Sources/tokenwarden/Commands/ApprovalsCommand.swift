import ArgumentParser
import Foundation
import Logging
import WardenCore
import WardenFormats
import WardenRuntime
import WardenStore

struct ApprovalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "List, approve and reject the approval requests of checks refused by require_approval policies.",
        discussion: """
            Against a running server (--url with --key-file or TOKENWARDEN_KEY: the key is the actor, and four eyes \
            apply: an approver key other than the one whose check asked must approve), or offline on the data file \
            (--data: the actor is local:<user>; listing and rejecting work, an offline approval is refused, since it \
            cannot be the second pair of eyes).
            """,
        subcommands: [ApprovalsList.self, ApprovalsApprove.self, ApprovalsReject.self]
    )

    /// The offline governance, or exits 2 saying why.
    static func open(_ target: OverrideTarget) throws -> (ApprovalGovernance, UsageStore) {
        do {
            return try ApprovalGovernance.open(dataPath: target.data ?? "", rulesDirectory: target.rules,
                                               logger: Logger(label: "tokenwarden.approvals"))
        } catch {
            for message in error.messages { printError(message) }
            throw ExitCode(2)
        }
    }

    /// Prints one approval (JSON on standard output, a summary on standard error).
    static func report(_ json: Data) {
        print(String(decoding: json, as: UTF8.self))
        fflush(nil)
        if let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] {
            let id = object["id"] as? String ?? "?"
            let status = object["status"] as? String ?? "?"
            printError(status == "approved"
                       ? "approval \(id) is approved: \(object["uses"] as? Int ?? 0) use(s) until \(object["expires_at"] as? String ?? "")"
                       : "approval \(id) is \(status)")
        }
    }
}

struct ApprovalsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List approval requests, oldest first.")

    @Option(help: "Only this status: pending, approved, rejected, expired, used.")
    var status: String?

    @Option(help: "text or json.")
    var format: KeysList.ListFormat = .text

    @OptionGroup var target: OverrideTarget

    func run() async throws {
        let json: Data
        if target.url != nil {
            let query = status.map { "?status=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? ""
            json = try await target.send("GET", "/v1/approvals" + query)
        } else {
            let wanted: ApprovalStatus? = try OverrideTarget.status(status)
            let (governance, store) = try ApprovalsCommand.open(target)
            defer { store.close(checkpointing: false) }
            do throws(OverrideError) {
                json = Data(ApprovalRecord.listJSON(try governance.list(status: wanted, visibleTo: .local(KeyStoreOptions.actor))))
            } catch {
                throw OverrideTarget.fail(error)
            }
        }
        if format == .json {
            print(String(decoding: json, as: UTF8.self))
            return
        }
        let rows = ((try? JSONSerialization.jsonObject(with: json)) as? [String: Any])?["approvals"] as? [[String: Any]] ?? []
        print("ID\tSTATUS\tPOLICIES\tMODEL\tATTRIBUTION\tESTIMATE\tUSES\tENDS\tREQUESTED BY")
        for row in rows {
            let attribution = (row["attribution"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            let status = row["status"] as? String ?? ""
            let ends = row[status == "pending" ? "approval_expires_at" : status == "approved" ? "expires_at" : "ended_at"] as? String ?? "-"
            let estimate = "\(row["estimated_cost"] as? String ?? "") \(row["currency"] as? String ?? "") / \(row["estimated_tokens"] as? Int ?? 0) tokens"
            print([row["id"] as? String ?? "", status, (row["policies"] as? [String] ?? []).joined(separator: ","),
                   "\(row["provider"] as? String ?? "")/\(row["model"] as? String ?? "")",
                   attribution.isEmpty ? "-" : attribution.joined(separator: ","), estimate,
                   "\(row["used"] as? Int ?? 0)/\(row["uses"] as? Int ?? 0)", ends, row["requested_by"] as? String ?? ""]
                .joined(separator: "\t"))
        }
    }
}

struct ApprovalsApprove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a pending request with an approver key other than the requester's (--url only).",
        discussion: "The requesting key's retries naming the approval (approval_id) then pass its policies, --uses times "
            + "(default 1) until --for after the approval (default governance.approval_ttl).")

    @Argument(help: "The approval's id (apr_…).") var id: String

    @Option(help: "How many retries it allows (default 1).")
    var uses: Int64?

    @Option(name: .customLong("for"), help: "How long its uses last from now, e.g. 24h (default governance.approval_ttl).")
    var duration: String?

    @OptionGroup var target: OverrideTarget

    func run() async throws {
        if target.url != nil {
            var json = JSONWriter()
            json.beginObject()
            if let uses { json.key("uses"); json.integer(uses) }
            if let duration { json.key("for"); json.string(duration) }
            json.endObject()
            ApprovalsCommand.report(try await target.send("POST", "/v1/approvals/\(id)/approve", body: json.bytes))
            return
        }
        let (governance, store) = try ApprovalsCommand.open(target)
        defer { store.close(checkpointing: false) }
        do throws(OverrideError) {
            ApprovalsCommand.report(Data(try governance.approve(id, grant: ApprovalGrant(uses: uses, duration: duration),
                                                                by: .local(KeyStoreOptions.actor)).json))
        } catch {
            throw OverrideTarget.fail(error)
        }
    }
}

struct ApprovalsReject: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject a pending approval request.")

    @Argument(help: "The approval's id (apr_…).") var id: String

    @OptionGroup var target: OverrideTarget

    func run() async throws {
        if target.url != nil {
            ApprovalsCommand.report(try await target.send("POST", "/v1/approvals/\(id)/reject"))
            return
        }
        let (governance, store) = try ApprovalsCommand.open(target)
        defer { store.close(checkpointing: false) }
        do throws(OverrideError) {
            ApprovalsCommand.report(Data(try governance.reject(id, by: .local(KeyStoreOptions.actor)).json))
        } catch {
            throw OverrideTarget.fail(error)
        }
    }
}
