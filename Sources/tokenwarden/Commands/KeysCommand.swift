import ArgumentParser
import Foundation
import Logging
import WardenCore
import WardenFormats
import WardenRuntime
import WardenStore

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list, rotate and revoke API keys.",
        discussion: """
            Works on the database file serve writes to, also while it runs: a running server notices a key \
            created, rotated or revoked within a second. Every change is an audit row naming local:<user>.
            """,
        subcommands: [KeysCreate.self, KeysList.self, KeysRotate.self, KeysRevoke.self]
    )
}

/// Where the keys live, and the settings their scope and audit rows need.
struct KeyStoreOptions: ParsableArguments {
    @Option(help: "The database file serve writes to.")
    var data: String = "./data/tokenwarden.sqlite"

    @Option(help: "Directory with tokenwarden.yaml, read for attribution.extra_keys and audit.key_file.")
    var rules: String = "./Rules"

    /// Opens the store and the audit log, or prints why not and exits 2.
    func open(creating: Bool) throws -> (KeyAdministration, UsageStore) {
        do {
            return try KeyAdministration.open(dataPath: data, rulesDirectory: rules, createDatabase: creating,
                                              logger: Logger(label: "tokenwarden.keys"))
        } catch {
            for message in error.messages { printError(message) }
            throw ExitCode(2)
        }
    }

    /// `local:<user>`: who changed a key from this host, for its audit row.
    static var actor: String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return "local:\(String(cString: name))" }
        return "local:\(ProcessInfo.processInfo.environment["USER"] ?? "uid\(geteuid())")"
    }

    /// Prints why a change failed; exits 1 for a request to fix, 2 when the database failed.
    static func fail(_ error: KeyAdministrationError) -> ExitCode {
        if error.kind == .invalid {
            for problem in error.problems { printError("\(problem.field): \(problem.message)") }
        } else {
            printError(error.message)
        }
        return ExitCode(error.kind == .storage ? 2 : 1)
    }
}

struct KeysCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an API key; prints it alone on the first line of standard output.",
        discussion: """
            The key (tw_<id>_<secret>) is shown only now: only its SHA-256 is stored. Roles: ingest, check, read, \
            approver, admin (may do everything). A scoped key may only report and check usage with those labels \
            (missing ones are filled in) and reads only rows inside its scope; an admin key cannot be scoped.
            """
    )

    @Option(help: "The key's name: letters, digits, '.', '_', '-' (at most 64).")
    var name: String

    @Option(help: "Roles, comma-separated (ingest, check, read, approver, admin); repeatable.")
    var role: [String]

    @Option(help: "Attribution labels the key is bound to, e.g. team=search,project=x.")
    var scope: String?

    @Option(help: "Lifetime, e.g. 90d (default: does not expire).")
    var expires: String?

    @OptionGroup var store: KeyStoreOptions

    func run() throws {
        let roles = role.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
        var labels: [(key: String, value: String)] = []
        for part in (scope ?? "").split(separator: ",") where !part.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let equals = part.firstIndex(of: "=") else {
                printError("scope: \"\(part)\" is not label=value (e.g. team=search,project=x)")
                throw ExitCode(1)
            }
            labels.append((String(part[..<equals]).trimmingCharacters(in: .whitespaces),
                           String(part[part.index(after: equals)...]).trimmingCharacters(in: .whitespaces)))
        }
        let (administration, database) = try store.open(creating: true)
        defer { database.close(checkpointing: false) }
        do {
            let issued = try administration.create(KeyRequest(name: name, roles: roles, scope: labels, expires: expires),
                                                   actor: KeyStoreOptions.actor)
            print(issued.token.description)
            fflush(nil)
            let key = issued.key
            printError("created key \(key.name) (id \(key.id), roles \(key.roles.names.joined(separator: ",")), "
                       + (key.isScoped ? "scope \(key.scopeText), " : "unscoped, ")
                       + (key.expires.map { "expires \($0.rfc3339)" } ?? "does not expire")
                       + "); it is not shown again")
        } catch {
            throw KeyStoreOptions.fail(error)
        }
    }
}

struct KeysList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the API keys (never a secret).",
        discussion: "A rotated key shows both secrets until the old one's grace period ends."
    )

    @Flag(help: "Also list revoked and expired secrets.")
    var all = false

    @Option(help: "text or json.")
    var format: ListFormat = .text

    enum ListFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var store: KeyStoreOptions

    func run() throws {
        let (administration, database) = try store.open(creating: false)
        defer { database.close(checkpointing: false) }
        let keys: [APIKey]
        do { keys = try administration.list() } catch { throw KeyStoreOptions.fail(error) }
        let now = SystemClock().now()
        let shown = keys.filter { all || $0.status(at: now).isUsable }
        switch format {
        case .json:
            var body = JSONWriter()
            body.beginObject()
            body.key("keys")
            body.beginArray()
            for key in shown {
                body.beginObject()
                body.key("name"); body.string(key.name)
                body.key("id"); body.string(key.id)
                body.key("roles"); body.beginArray(); for role in key.roles.names { body.string(role) }; body.endArray()
                body.key("scope"); body.beginObject(); for label in key.scope.labels { body.key(label.key); body.string(label.value) }; body.endObject()
                for (field, time) in [("created", key.created as Timestamp?), ("expires", key.expires), ("grace_ends", key.graceEnds),
                                      ("revoked", key.revoked), ("last_used", key.lastUsed)] {
                    body.key(field)
                    body.string(orNull: time?.rfc3339)
                }
                body.key("status"); body.string(key.status(at: now).name)
                body.endObject()
            }
            body.endArray()
            body.endObject()
            print(String(decoding: body.bytes, as: UTF8.self))
        case .text:
            var rows = [["NAME", "ID", "ROLES", "SCOPE", "CREATED", "EXPIRES", "LAST USED", "STATUS"]]
            for key in shown {
                let status: String = switch key.status(at: now) {
                case .active: "active"
                case .inGrace(let until): "rotated, valid until \(Self.time(until))"
                case .expired: "expired"
                case .revoked(let at): "revoked \(Self.time(at))"
                }
                rows.append([key.name, key.id, key.roles.names.joined(separator: ","), key.isScoped ? key.scopeText : "-",
                             Self.time(key.created), key.expires.map(Self.time) ?? "never", key.lastUsed.map(Self.time) ?? "never",
                             status])
            }
            let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            }
        }
    }

    /// To the second, UTC: enough to tell keys apart.
    static func time(_ time: Timestamp) -> String { String(time.rfc3339.prefix(19)) + "Z" }
}

struct KeysRotate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Give a key a new secret; prints it alone on the first line of standard output.",
        discussion: """
            The new secret keeps the key's name, roles and scope (and, for a key that expires, its lifetime from now). \
            The old secret keeps working until the grace period ends.
            """
    )

    @Argument(help: "The key's name.")
    var name: String

    @Option(help: "How long the old secret keeps working, e.g. 24h (0s: not at all).")
    var grace: String = "24h"

    @OptionGroup var store: KeyStoreOptions

    func run() throws {
        let (administration, database) = try store.open(creating: false)
        defer { database.close(checkpointing: false) }
        do {
            let issued = try administration.rotate(name: name, grace: grace, actor: KeyStoreOptions.actor)
            print(issued.token.description)
            fflush(nil)
            let until = issued.replaced.compactMap(\.validUntil).max().map { KeysList.time($0) } ?? "now"
            printError("rotated key \(name): new id \(issued.key.id); the previous secret works until \(until)")
        } catch {
            throw KeyStoreOptions.fail(error)
        }
    }
}

struct KeysRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a key: every secret of it, or one (--id); it stops working at once."
    )

    @Argument(help: "The key's name.")
    var name: String

    @Option(help: "Revoke only the secret with this id (see keys list).")
    var id: String?

    @OptionGroup var store: KeyStoreOptions

    func run() throws {
        let (administration, database) = try store.open(creating: false)
        defer { database.close(checkpointing: false) }
        do {
            let revoked = try administration.revoke(name: name, id: id, actor: KeyStoreOptions.actor)
            if revoked.isEmpty {
                print("nothing to revoke: key \(name) is revoked already")
            } else {
                print("revoked key \(name): \(revoked.map(\.id).joined(separator: ", "))")
            }
        } catch {
            throw KeyStoreOptions.fail(error)
        }
    }
}
