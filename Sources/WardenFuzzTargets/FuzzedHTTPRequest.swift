import WardenHTTP

/// Reads an ``HTTPRequest`` from a fuzzer's bytes in a simple scheme close to HTTP/1.1 and decoded
/// the way libmicrohttpd hands requests to the server:
///
/// ```
/// METHOD /path?name=value&name2=value2
/// Header-Name: value
///
/// body bytes…
/// ```
///
/// Lines end with LF (a CR before it is dropped). The path is percent-decoded and ends at a
/// decoded NUL, as the C string libmicrohttpd passes does; query names and values have `+` as a
/// space and are percent-decoded, NULs kept. A header line without `:` is skipped; values lose
/// their surrounding spaces and tabs. Everything after the first empty line is the body. Text
/// that is not UTF-8 is repaired as the server repairs it.
enum FuzzedHTTPRequest {
    static func parse(_ bytes: [UInt8]) -> HTTPRequest {
        var lines: [ArraySlice<UInt8>] = []
        var position = 0
        var body: [UInt8] = []
        while position < bytes.count {
            var end = bytes[position...].firstIndex(of: 0x0A) ?? bytes.count
            let next = end + 1
            if end > position, bytes[end - 1] == 0x0D { end -= 1 }
            let line = bytes[position..<end]
            if line.isEmpty && !lines.isEmpty {
                body = next < bytes.count ? Array(bytes[next...]) : []
                break
            }
            lines.append(line)
            position = next
        }
        let requestLine = lines.first ?? []
        let space = requestLine.firstIndex(of: 0x20) ?? requestLine.endIndex
        let method = text(requestLine[..<space])
        let target = space < requestLine.endIndex ? requestLine[(space + 1)...] : ArraySlice(Array("/".utf8))
        let question = target.firstIndex(of: UInt8(ascii: "?")) ?? target.endIndex
        var path = percentDecoded(target[..<question], plusIsSpace: false)
        if let nul = path.firstIndex(of: 0) { path.removeSubrange(nul...) }
        var query: [(name: String, value: String)] = []
        if question < target.endIndex {
            for argument in target[(question + 1)...].split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
                let equals = argument.firstIndex(of: UInt8(ascii: "=")) ?? argument.endIndex
                let name = percentDecoded(argument[..<equals], plusIsSpace: true)
                let value = equals < argument.endIndex ? percentDecoded(argument[(equals + 1)...], plusIsSpace: true) : []
                query.append((name: text(name[...]), value: text(value[...])))
            }
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            var value = line[(colon + 1)...]
            while let first = value.first, first == 0x20 || first == 0x09 { value.removeFirst() }
            while let last = value.last, last == 0x20 || last == 0x09 { value.removeLast() }
            headers.append((name: text(line[..<colon]), value: text(value)))
        }
        return HTTPRequest(method: method, path: text(path.isEmpty ? ArraySlice(Array("/".utf8)) : path[...]),
                           query: query, headers: headers, body: body)
    }

    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    static func percentDecoded(_ bytes: ArraySlice<UInt8>, plusIsSpace: Bool) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                result.append(high << 4 | low)
                index += 3
                continue
            }
            result.append(plusIsSpace && byte == UInt8(ascii: "+") ? 0x20 : byte)
            index += 1
        }
        return result
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
