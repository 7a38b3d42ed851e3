import Foundation
import WardenCore

/// The system's IANA time-zone database (`/usr/share/zoneinfo`), read for the pure core.
///
/// WardenCore computes budget windows from TZif bytes and never touches the file system; this is
/// the one place that reads them. Debian and Ubuntu ship the files in the `tzdata` package.
public struct ZoneInfoDirectory: Sendable {
    public let root: String

    /// `root` defaults to `/usr/share/zoneinfo`; pass `$TZDIR` where the operator sets it.
    public init(root: String = "/usr/share/zoneinfo") {
        self.root = root
    }

    /// The TZif bytes of the zone named `name` (`Europe/Berlin`, `UTC`).
    ///
    /// Names are checked before any file is opened: no leading `/`, no `.` or `..` components, only
    /// the characters IANA names use — so a rule file cannot make the daemon read other files.
    public func tzifBytes(forZone name: String) throws(ZoneInfoError) -> [UInt8] {
        guard Self.isPlausibleZoneName(name) else {
            throw ZoneInfoError(zone: name, message: "invalid time zone name \"\(name)\" (use an IANA name such as Europe/Berlin or UTC)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ZoneInfoError(zone: name, message: "time zone database not found at \(root) (install the tzdata package)")
        }
        let path = root + "/" + name
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path) else {
            throw ZoneInfoError(zone: name, message: "unknown time zone \"\(name)\" (no such zone in \(root))")
        }
        return [UInt8](data)
    }

    /// Reads and parses the zone named `name`.
    public func rules(forZone name: String) throws(ZoneInfoError) -> TimeZoneRules {
        let bytes = try tzifBytes(forZone: name)
        do {
            return try TimeZoneRules(name: name, tzif: bytes)
        } catch {
            throw ZoneInfoError(zone: name, message: error.description)
        }
    }

    static func isPlausibleZoneName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 255, !name.hasPrefix("/") else { return false }
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        for component in components {
            guard !component.isEmpty, component != ".", component != ".." else { return false }
        }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
        }
    }
}

/// A time zone that could not be loaded: an unknown or invalid name, or an unreadable file.
public struct ZoneInfoError: Error, Sendable, Hashable, CustomStringConvertible {
    public var zone: String
    public var message: String

    public init(zone: String, message: String) {
        self.zone = zone
        self.message = message
    }

    public var description: String { message }
}
