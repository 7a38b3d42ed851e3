import Foundation

/// The benchmark's scratch space: one temporary directory per run holding rules directories,
/// databases, wrk scripts and child logs, removed at the end (kept with `--keep-workspace`).
///
/// It lives under the system temporary directory, which must be a real disk rather than tmpfs
/// for `--durability full` to mean anything (fsync on tmpfs is free); the run notes the file
/// system type.
final class BenchWorkspace: Sendable {
    let root: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        root = (base as NSString).appendingPathComponent("tokenwarden-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { (root as NSString).appendingPathComponent(name) }

    /// A rules directory with the benchmark's pricing and a `tokenwarden.yaml` setting the metric
    /// labels and the series limit (the render benchmarks need more than the default 10,000).
    /// `httpSection: false` leaves out the `http:` section, for an older build that refuses it.
    func rules(_ name: String, labelKeys: [String] = ["org", "team", "project", "agent"], seriesLimit: Int = 10_000,
               httpSection: Bool = true) throws -> String {
        let directory = path(name)
        let pricing = (directory as NSString).appendingPathComponent("pricing")
        try FileManager.default.createDirectory(atPath: pricing, withIntermediateDirectories: true)
        try SyntheticUsage.pricingYAML.write(toFile: (pricing as NSString).appendingPathComponent("bench.yaml"),
                                            atomically: true, encoding: .utf8)
        // The load generator is one client address: no per-client connection limit, so runs
        // with more than 64 connections (and a poll beside them) measure the server, not the limit.
        var config = """
            attribution:
              metric_labels: [\(labelKeys.joined(separator: ", "))]
            metrics:
              series_limit: \(seriesLimit)

            """
        if httpSection { config += "http:\n  max_connections_per_client: 0\n" }
        try config.write(toFile: (directory as NSString).appendingPathComponent("tokenwarden.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    /// A fresh directory for one database, so each measurement starts from an empty file.
    func database(_ name: String) throws -> String {
        let directory = path("db-\(name)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return (directory as NSString).appendingPathComponent("tokenwarden.sqlite")
    }

    func removeDatabase(_ databasePath: String) {
        try? FileManager.default.removeItem(atPath: (databasePath as NSString).deletingLastPathComponent)
    }

    /// Bytes of the database and its WAL, for the notes.
    func databaseSize(_ databasePath: String) -> Int {
        ["", "-wal"].reduce(0) { total, suffix in
            let attributes = try? FileManager.default.attributesOfItem(atPath: databasePath + suffix)
            return total + ((attributes?[.size] as? Int) ?? 0)
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// The file system type of the workspace (`ext4`, `tmpfs`, `overlay`…) from /proc/mounts.
    var fileSystemType: String {
        guard let mounts = ProcessStatus.readText("/proc/mounts") else { return "unknown" }
        var best: (mount: String, type: String) = ("", "unknown")
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let mount = String(fields[1])
            if root.hasPrefix(mount), mount.count > best.mount.count { best = (mount, String(fields[2])) }
        }
        return best.type
    }
}
