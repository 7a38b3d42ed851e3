import Foundation
import TestSupport
import Testing

/// The release tarball as `make dist` packs it (`make test` packs one from the debug build and
/// names it in `TOKENWARDEN_DIST_TARBALL`): its files, its binary running with the Swift toolchain
/// out of sight, the systemd unit as `systemd-analyze` reads it, and the Containerfile generated
/// from the same file list.
@Suite(.serialized) struct DistributionEndToEndTests {
    static var root: URL { CommandLineEndToEndTests.repositoryRoot }

    /// The tarball, unpacked into a fresh directory; nil (the test is skipped) outside `make test`.
    struct Unpacked {
        let directory: URL
        /// `tokenwarden-<version>-linux-<arch>/` inside it.
        let top: URL
        var binary: String { top.appendingPathComponent("bin/tokenwarden").path }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    static func unpack() throws -> Unpacked {
        guard let tarball = ProcessInfo.processInfo.environment["TOKENWARDEN_DIST_TARBALL"] else {
            throw TestFailure("TOKENWARDEN_DIST_TARBALL is not set")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-dist-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let unpacked = try Tools.run("tar", ["-xzf", tarball, "-C", directory.path])
        guard unpacked.status == 0 else { throw TestFailure("tar -xzf \(tarball): \(unpacked.output)") }
        let entries = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        guard entries.count == 1, let top = entries.first else { throw TestFailure("the tarball should hold one directory, holds \(entries)") }
        return Unpacked(directory: directory, top: directory.appendingPathComponent(top))
    }

    static var packaged: Bool { ProcessInfo.processInfo.environment["TOKENWARDEN_DIST_TARBALL"] != nil }

    /// `deploy/package.list`'s lines of one kind (`file` or `deb`).
    static func listed(_ kind: String) throws -> [String] {
        let list = try String(contentsOf: root.appendingPathComponent("deploy/package.list"), encoding: .utf8)
        return list.split(separator: "\n").compactMap { line in
            line.hasPrefix(kind + " ") ? String(line.dropFirst(kind.count + 1)) : nil
        }
    }

    @Test(.enabled(if: packaged, "make test packs the tarball"))
    func theTarballHoldsExactlyTheListedFilesUnderOneVersionedDirectory() throws {
        let unpacked = try Self.unpack()
        defer { unpacked.remove() }
        let version = try #require(try Tools.run(executable: unpacked.binary, ["--version"]).output
            .split(separator: "\n").first.map(String.init))
        #expect(unpacked.top.lastPathComponent == "tokenwarden-\(version)-linux-\(Self.machine())")
        let top = try FileManager.default.contentsOfDirectory(atPath: unpacked.top.path).sorted()
        let expected = Set(try Self.listed("file").map { String($0.split(separator: "/")[0]) }).sorted()
        #expect(top == expected)
        for path in try Self.listed("file") {
            #expect(FileManager.default.fileExists(atPath: unpacked.top.appendingPathComponent(path).path), "\(path) is missing")
        }
        let shippedRules = try FileManager.default.subpathsOfDirectory(atPath: Self.root.appendingPathComponent("Rules").path).sorted()
        #expect(try FileManager.default.subpathsOfDirectory(atPath: unpacked.top.appendingPathComponent("Rules").path).sorted() == shippedRules)
        let guide = try String(contentsOf: unpacked.top.appendingPathComponent("INSTALL.md"), encoding: .utf8)
        #expect(guide == (try String(contentsOf: Self.root.appendingPathComponent("docs/install.md"), encoding: .utf8)))
    }

    /// The binary does not load the Swift runtime from the toolchain: with `/opt/swift` covered
    /// by an empty tmpfs in a mount namespace of its own, it serves the shipped rules, prices an
    /// event and exposes it.
    @Test(.enabled(if: packaged && getuid() == 0, "make test packs the tarball; mounting needs root, as CI runs"))
    func theTarballsBinaryServesWithTheToolchainHidden() async throws {
        let unpacked = try Self.unpack()
        defer { unpacked.remove() }
        let linked = try Tools.run("ldd", [unpacked.binary]).output
        #expect(!linked.contains("libswift"), "\(linked)")
        #expect(!linked.contains("libFoundation"), "\(linked)")
        let database = unpacked.directory.appendingPathComponent("data/tokenwarden.sqlite")
        try FileManager.default.createDirectory(at: database.deletingLastPathComponent(), withIntermediateDirectories: true)
        let hidden = "mount -t tmpfs tmpfs /opt/swift && test -z \"$(ls -A /opt/swift)\" && exec \"$0\" \"$@\""
        let warden = try await WardenProcess(rules: unpacked.top.appendingPathComponent("Rules").path, database: database.path,
                                             launcher: ["/usr/bin/unshare", "-m", "sh", "-c", hidden], binary: unpacked.binary)
        let ingested = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", """
            {"id": "dist-1", "provider": "openai", "model": "gpt-4o", "input_tokens": 1000, "output_tokens": 100,
             "attribution": {"org": "acme", "team": "search"}}
            """)
        #expect(ingested.status == 200, "\(ingested.text)")
        #expect(ingested.text.contains(#""cost":"0.0035""#), "\(ingested.text)")
        let metrics = try await HTTP.get("\(warden.baseURL)/metrics")
        #expect(metrics.text.contains(#"tokenwarden_cost_total{provider="openai",model="gpt-4o",org="acme",team="search",project="",agent="",currency="USD"} 0.0035"#))
        #expect(await warden.stop() == 0)
    }

    /// The unit as systemd reads it, pointed at the tarball's binary: no warning, and its
    /// exposure no higher than 2.0 on `systemd-analyze security`'s scale (1.4 as shipped).
    @Test(.enabled(if: packaged, "make test packs the tarball"))
    func theSystemdUnitVerifiesCleanlyAndStaysHardened() throws {
        let unpacked = try Self.unpack()
        defer { unpacked.remove() }
        let shipped = try String(contentsOf: unpacked.top.appendingPathComponent("deploy/tokenwarden.service"), encoding: .utf8)
        #expect(shipped.contains("ExecStart=/opt/tokenwarden/bin/tokenwarden serve"))
        for directive in ["DynamicUser=yes", "StateDirectory=tokenwarden", "ProtectSystem=strict", "ExecReload=/bin/kill -HUP $MAINPID",
                          "LoadCredential=web-config.yml:"] {
            #expect(shipped.contains(directive), "the unit lacks \(directive)")
        }
        let unit = unpacked.directory.appendingPathComponent("tokenwarden.service")
        try shipped.replacingOccurrences(of: "/opt/tokenwarden/bin/tokenwarden", with: unpacked.binary)
            .write(to: unit, atomically: true, encoding: .utf8)
        let verified = try Tools.run("systemd-analyze", ["verify", unit.path])
        #expect(verified.status == 0 && verified.output.isEmpty, "\(verified.output)")
        let security = try Tools.run("systemd-analyze", ["security", "--offline=yes", "--threshold=20", unit.path])
        #expect(security.status == 0, "\(security.output)")
    }

    /// `deploy/Containerfile` is what `deploy/dist.sh containerfile` makes of the file list, and
    /// it installs every runtime package the list and the install guide name.
    @Test func theContainerfileIsGeneratedFromThePackageList() throws {
        let generated = try Tools.run(executable: "/bin/bash", [Self.root.appendingPathComponent("deploy/dist.sh").path, "containerfile"],
                                      directory: Self.root)
        #expect(generated.status == 0, "\(generated.output)")
        let committed = try String(contentsOf: Self.root.appendingPathComponent("deploy/Containerfile"), encoding: .utf8)
        #expect(generated.output == committed, "deploy/Containerfile is stale: run deploy/dist.sh containerfile > deploy/Containerfile")
        let guide = try String(contentsOf: Self.root.appendingPathComponent("docs/install.md"), encoding: .utf8)
        let debs = try Self.listed("deb")
        #expect(debs.count >= 10)
        for deb in debs {
            #expect(committed.contains(" \(deb) "), "the Containerfile does not install \(deb)")
            #expect(guide.contains(" \(deb) ") || guide.contains(" \(deb)\n"), "docs/install.md does not list \(deb)")
        }
        for path in try Self.listed("file") {
            #expect(committed.contains("/opt/tokenwarden/\(path)\n"), "the Containerfile does not copy \(path)")
        }
    }

    static func machine() -> String {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
