/// Reading TZif files (RFC 8536, versions 1–4) and POSIX `TZ` rules into a ``TimeZoneRules``.
extension TimeZoneRules {
    /// Parses the bytes of a TZif file (what `/usr/share/zoneinfo/<name>` holds).
    ///
    /// For version 2 and later the 64-bit data block is used and the version 1 block skipped; the
    /// footer's POSIX rule then extends the transitions to 2262. Instants before the first
    /// transition use time type 0, as RFC 8536 §3.2 specifies.
    public init(name: String, tzif bytes: [UInt8]) throws(TimeZoneError) {
        var reader = TZifReader(bytes: bytes, zone: name)
        let first = try reader.header()
        var block = first
        if first.version >= 2 {
            try reader.skip(first.v1BlockLength)
            block = try reader.header()
            guard block.version >= 2 else { throw reader.fail("second header is not version 2 or later") }
        }
        let timeSize = first.version >= 2 ? 8 : 4
        guard block.leapCount == 0 else {
            throw reader.fail("leap-second (\"right/\") zone files are not supported; use the zone of the same name outside right/")
        }
        guard block.typeCount >= 1 else { throw reader.fail("the file defines no time types") }

        var times: [Int64] = []
        times.reserveCapacity(block.timeCount)
        for _ in 0..<block.timeCount { times.append(try timeSize == 8 ? reader.int64() : Int64(reader.int32())) }
        var typeIndices: [Int] = []
        typeIndices.reserveCapacity(block.timeCount)
        for _ in 0..<block.timeCount {
            let index = Int(try reader.byte())
            guard index < block.typeCount else { throw reader.fail("transition refers to time type \(index) of \(block.typeCount)") }
            typeIndices.append(index)
        }
        var typeOffsets: [Int32] = []
        for _ in 0..<block.typeCount {
            let offset = try reader.int32()
            _ = try reader.byte()  // is DST: not needed, only offsets matter here
            _ = try reader.byte()  // abbreviation index
            // RFC 8536: -2^31 is not allowed; real offsets are within ±26 hours.
            guard offset > -93_600, offset < 93_600 else { throw reader.fail("UTC offset \(offset) s is out of range") }
            typeOffsets.append(offset)
        }
        try reader.skip(block.characterCount + block.standardWallCount + block.utLocalCount)
        for index in times.indices.dropFirst() where times[index] <= times[index - 1] {
            throw reader.fail("transition times are not in increasing order")
        }

        var footer: POSIXTimeZoneRule?
        if first.version >= 2 {
            let text = try reader.footer()
            if !text.isEmpty { footer = try POSIXTimeZoneRule(parsing: text, zone: name) }
        }

        var transitions: [Int64] = []
        var offsets: [Int32] = []
        transitions.reserveCapacity(times.count)
        offsets.reserveCapacity(times.count)
        var previous = typeOffsets[0]
        for (time, typeIndex) in zip(times, typeIndices) where typeOffsets[typeIndex] != previous {
            // Transitions that change only the abbreviation or the DST flag do not matter to offsets.
            transitions.append(time)
            offsets.append(typeOffsets[typeIndex])
            previous = typeOffsets[typeIndex]
        }
        if let footer {
            Self.extend(&transitions, &offsets, initial: typeOffsets[0], after: times.last, with: footer)
        }
        self.init(name: name, transitions: transitions, offsets: offsets, initialOffset: typeOffsets[0])
    }

    /// A zone given only by a POSIX `TZ` rule (`CET-1CEST,M3.5.0,M10.5.0/3`, `<+0545>-5:45`),
    /// applied to every year from 1678 to 2262.
    public init(name: String, posixRule: String) throws(TimeZoneError) {
        let rule = try POSIXTimeZoneRule(parsing: posixRule, zone: name)
        var transitions: [Int64] = []
        var offsets: [Int32] = []
        Self.extend(&transitions, &offsets, initial: Int32(rule.standardOffset), after: nil, with: rule)
        self.init(name: name, transitions: transitions, offsets: offsets, initialOffset: Int32(rule.standardOffset))
    }

    static let firstYear = 1678
    static let lastYear = 2262

    /// Appends the footer rule's transitions after `last` (the file's last transition) up to 2262.
    private static func extend(_ transitions: inout [Int64], _ offsets: inout [Int32], initial: Int32,
                               after last: Int64?, with rule: POSIXTimeZoneRule) {
        var current = Int64(offsets.last ?? initial)
        let startYear: Int
        if let last {
            let (days, _) = floorDivide(last, 86_400)
            startYear = max(firstYear, CivilDate(daysSinceEpoch: Int(days)).year - 1)
        } else {
            startYear = firstYear
        }
        // Without daylight saving the footer repeats the last transition's offset: nothing to add.
        guard rule.daylightSaving != nil, startYear <= lastYear else { return }
        for year in startYear...lastYear {
            for change in rule.transitions(inYear: year) {
                if let last, change.second <= last { continue }
                if let previous = transitions.last, change.second <= previous {
                    // Two changes at one instant (a year's DST end and the next year's start in a
                    // permanent-DST rule such as `EST5EDT,0/0,J365/25`): the later one wins.
                    if change.second == previous, previous > (last ?? Int64.min) {
                        offsets[offsets.count - 1] = Int32(change.offset)
                        let before = offsets.count >= 2 ? offsets[offsets.count - 2] : initial
                        if offsets[offsets.count - 1] == before {
                            transitions.removeLast()
                            offsets.removeLast()
                        }
                        current = Int64(offsets.last ?? initial)
                    }
                    continue
                }
                guard change.offset != current else { continue }
                transitions.append(change.second)
                offsets.append(Int32(change.offset))
                current = change.offset
            }
        }
    }
}

/// A bounds-checked big-endian cursor over TZif bytes.
private struct TZifReader {
    let bytes: [UInt8]
    let zone: String
    var index = 0

    struct Header {
        var version: Int
        var utLocalCount: Int, standardWallCount: Int, leapCount: Int
        var timeCount: Int, typeCount: Int, characterCount: Int

        /// Length of the version 1 data block that follows a version 1 header.
        var v1BlockLength: Int {
            timeCount * 5 + typeCount * 6 + characterCount + leapCount * 8 + standardWallCount + utLocalCount
        }
    }

    func fail(_ message: String) -> TimeZoneError {
        TimeZoneError(zone: zone, message: "invalid TZif data at byte \(index): \(message)")
    }

    mutating func header() throws(TimeZoneError) -> Header {
        guard bytes.count - index >= 44 else { throw fail("file is too short for a TZif header") }
        guard bytes[index..<index + 4].elementsEqual([0x54, 0x5A, 0x69, 0x66]) else {
            throw TimeZoneError(zone: zone, message: "not a TZif file (it does not start with \"TZif\")")
        }
        let versionByte = bytes[index + 4]
        let version: Int
        switch versionByte {
        case 0: version = 1
        case UInt8(ascii: "2")...UInt8(ascii: "9"): version = Int(versionByte) - 48
        default: throw fail("unknown TZif version byte \(versionByte)")
        }
        index += 20
        var counts: [Int] = []
        for _ in 0..<6 {
            let count = try int32()
            guard count >= 0, count < 1_000_000 else { throw fail("implausible count \(count)") }
            counts.append(Int(count))
        }
        return Header(version: version, utLocalCount: counts[0], standardWallCount: counts[1], leapCount: counts[2],
                      timeCount: counts[3], typeCount: counts[4], characterCount: counts[5])
    }

    mutating func skip(_ count: Int) throws(TimeZoneError) {
        guard bytes.count - index >= count else { throw fail("file is truncated") }
        index += count
    }

    mutating func byte() throws(TimeZoneError) -> UInt8 {
        guard index < bytes.count else { throw fail("file is truncated") }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func int32() throws(TimeZoneError) -> Int32 {
        guard bytes.count - index >= 4 else { throw fail("file is truncated") }
        var value: UInt32 = 0
        for offset in 0..<4 { value = value << 8 | UInt32(bytes[index + offset]) }
        index += 4
        return Int32(bitPattern: value)
    }

    mutating func int64() throws(TimeZoneError) -> Int64 {
        guard bytes.count - index >= 8 else { throw fail("file is truncated") }
        var value: UInt64 = 0
        for offset in 0..<8 { value = value << 8 | UInt64(bytes[index + offset]) }
        index += 8
        return Int64(bitPattern: value)
    }

    /// The footer: `\n<POSIX TZ string>\n`.
    mutating func footer() throws(TimeZoneError) -> String {
        guard index < bytes.count, bytes[index] == 0x0A else { throw fail("missing footer after the version 2 data") }
        index += 1
        let start = index
        while index < bytes.count, bytes[index] != 0x0A { index += 1 }
        guard index < bytes.count else { throw fail("footer is not terminated by a newline") }
        defer { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }
}
