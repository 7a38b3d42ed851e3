/// Splits condition text into ``ExpressionToken``s. Columns count Unicode scalars.
struct ExpressionLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    static func tokens(of text: String) throws(ExpressionError) -> [ExpressionToken] {
        var lexer = ExpressionLexer(text)
        var tokens: [ExpressionToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private func error(_ message: String, at position: Int) -> ExpressionError {
        ExpressionError(column: position + 1, message: message)
    }

    mutating func next() throws(ExpressionError) -> ExpressionToken {
        while let scalar = peek(), scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" { index += 1 }
        let start = index
        guard let scalar = peek() else { return ExpressionToken(kind: .end, column: start + 1) }
        func token(_ kind: ExpressionToken.Kind, length: Int) -> ExpressionToken {
            index += length
            return ExpressionToken(kind: kind, column: start + 1)
        }
        let following = peek(1)
        switch scalar {
        case "(": return token(.leftParenthesis, length: 1)
        case ")": return token(.rightParenthesis, length: 1)
        case "[": return token(.leftBracket, length: 1)
        case "]": return token(.rightBracket, length: 1)
        case ",": return token(.comma, length: 1)
        case "!":
            if following == "=" { return token(.notEqual, length: 2) }
            if following == "~" { return token(.notMatches, length: 2) }
            return token(.not, length: 1)
        case "=":
            if following == "=" { return token(.equal, length: 2) }
            if following == "~" { return token(.matches, length: 2) }
            throw error("'=' is not an operator: use '==' to compare or '=~' to match", at: start)
        case "<": return following == "=" ? token(.lessOrEqual, length: 2) : token(.less, length: 1)
        case ">": return following == "=" ? token(.greaterOrEqual, length: 2) : token(.greater, length: 1)
        case "&":
            if following == "&" { return token(.and, length: 2) }
            throw error("'&' is not an operator: use '&&'", at: start)
        case "|":
            if following == "|" { return token(.or, length: 2) }
            throw error("'|' is not an operator: use '||'", at: start)
        case "\"": return try string()
        default:
            if Self.isDigit(scalar) || (scalar == "-" && following.map(Self.isDigit) == true) { return try number() }
            if Self.isIdentifierStart(scalar) { return try identifier() }
            throw error("unexpected character \(Self.describe(scalar))", at: start)
        }
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

    static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar == "_"
    }

    static func isIdentifierContinuation(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || isDigit(scalar)
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value > 0x7E {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return "'\(scalar)'"
    }

    /// `name` or `name.name…`; a dot must be followed by another name.
    private mutating func identifier() throws(ExpressionError) -> ExpressionToken {
        let start = index
        var name = ""
        while true {
            while let scalar = peek(), Self.isIdentifierContinuation(scalar) {
                name.unicodeScalars.append(scalar)
                index += 1
            }
            guard peek() == "." else { break }
            guard let after = peek(1), Self.isIdentifierStart(after) else {
                throw error("expected a name after '.'", at: index + 1)
            }
            name.unicodeScalars.append(".")
            index += 1
        }
        let kind: ExpressionToken.Kind
        switch name {
        case "true": kind = .trueKeyword
        case "false": kind = .falseKeyword
        case "in": kind = .inKeyword
        default: kind = .identifier(name)
        }
        return ExpressionToken(kind: kind, column: start + 1)
    }

    /// `-?digits[_digits]*[.digits]`, read exactly by ``Money/parse(_:)``; never a `Double`.
    private mutating func number() throws(ExpressionError) -> ExpressionToken {
        let start = index
        var text = ""
        if peek() == "-" { text = "-"; index += 1 }
        while let scalar = peek(), Self.isDigit(scalar) || scalar == "_" {
            text.unicodeScalars.append(scalar)
            index += 1
        }
        if peek() == ".", let after = peek(1), Self.isDigit(after) {
            text.unicodeScalars.append(".")
            index += 1
            while let scalar = peek(), Self.isDigit(scalar) || scalar == "_" {
                text.unicodeScalars.append(scalar)
                index += 1
            }
        }
        if let scalar = peek(), Self.isIdentifierContinuation(scalar) || scalar == "." {
            throw error("malformed number: unexpected \(Self.describe(scalar)) after \"\(text)\"", at: index)
        }
        let money: Money
        do {
            money = try Money(exactly: text)
        } catch .outOfRange {
            throw error("number \(text) is out of range (at most 18 decimal places and 20 integer digits)", at: start)
        } catch {
            throw self.error("malformed number \"\(text)\" (use '_' only between digits)", at: start)
        }
        return ExpressionToken(kind: .number(money), column: start + 1)
    }

    /// A double-quoted string with escapes `\"` `\\` `\n` `\t` `\uXXXX`.
    private mutating func string() throws(ExpressionError) -> ExpressionToken {
        let start = index
        index += 1
        var value = ""
        while true {
            guard let scalar = peek() else {
                throw error("unterminated string starting at column \(start + 1)", at: start)
            }
            if scalar == "\"" { index += 1; break }
            if scalar == "\\" {
                let escapeStart = index
                guard let escaped = peek(1) else {
                    throw error("unterminated string starting at column \(start + 1)", at: start)
                }
                index += 2
                switch escaped {
                case "\"": value.unicodeScalars.append("\"")
                case "\\": value.unicodeScalars.append("\\")
                case "n": value.unicodeScalars.append("\n")
                case "t": value.unicodeScalars.append("\t")
                case "u":
                    var code: UInt32 = 0
                    for _ in 0..<4 {
                        guard let digit = peek(), let nibble = Self.hexValue(digit) else {
                            throw error("'\\u' must be followed by exactly four hex digits", at: escapeStart)
                        }
                        code = code * 16 + nibble
                        index += 1
                    }
                    guard let decoded = Unicode.Scalar(code) else {
                        throw error("'\\u\(String(code, radix: 16, uppercase: true))' is a surrogate, not a character", at: escapeStart)
                    }
                    value.unicodeScalars.append(decoded)
                default:
                    throw error("unknown escape '\\\(escaped)' (use \\\" \\\\ \\n \\t or \\uXXXX)", at: escapeStart)
                }
                continue
            }
            value.unicodeScalars.append(scalar)
            index += 1
        }
        return ExpressionToken(kind: .string(value), column: start + 1)
    }

    /// The column of the value's scalar at `offset` (0-based) in the string literal that opens at
    /// `column` (its quote, 1-based) of `text`: escapes are longer in the text than in the value.
    static func column(ofValueOffset offset: Int, inStringAt column: Int, of text: String) -> Int {
        let scalars = Array(text.unicodeScalars)
        var index = column  // 0-based index of the value's first scalar
        for _ in 0..<offset {
            guard index < scalars.count else { break }
            index += scalars[index] != "\\" ? 1 : (index + 1 < scalars.count && scalars[index + 1] == "u" ? 6 : 2)
        }
        return index + 1
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": return scalar.value - 48
        case "a"..."f": return scalar.value - 87
        case "A"..."F": return scalar.value - 55
        default: return nil
        }
    }
}
