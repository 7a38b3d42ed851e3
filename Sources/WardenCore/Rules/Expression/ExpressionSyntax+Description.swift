/// Canonical rendering: single spaces around binary operators, `, ` between arguments and list
/// elements, strings re-escaped, numbers in their exact decimal form, and only the parentheses
/// that precedence and associativity need. Parsing the result gives back the same tree.
extension ExpressionSyntax {
    public var description: String {
        var text = ""
        render(into: &text)
        return text
    }

    /// How tightly this node binds; operands looser than their context get parentheses.
    var precedence: Int {
        switch node {
        case .binary(let op, _, _): return op.precedence
        case .not: return 4
        default: return 5
        }
    }

    func render(into text: inout String, minimumPrecedence: Int = 0) {
        if precedence < minimumPrecedence {
            text += "("
            render(into: &text)
            text += ")"
            return
        }
        switch node {
        case .string(let value): ExpressionSyntax.renderString(value, into: &text)
        case .number(let value): text += value.exactDecimal
        case .boolean(let value): text += value ? "true" : "false"
        case .variable(let name): text += name
        case .list(let elements):
            text += "["
            for (position, element) in elements.enumerated() {
                if position > 0 { text += ", " }
                element.render(into: &text)
            }
            text += "]"
        case .call(let function, let arguments):
            text += function + "("
            for (position, argument) in arguments.enumerated() {
                if position > 0 { text += ", " }
                argument.render(into: &text)
            }
            text += ")"
        case .not(let operand):
            text += "!"
            operand.render(into: &text, minimumPrecedence: 4)
        case .binary(let op, let left, let right):
            // `&&` and `||` associate to the left, so a right operand of the same operator needs
            // parentheses; comparisons do not chain, so both operands must bind tighter.
            let leftMinimum = op.precedence == 3 ? 4 : op.precedence
            left.render(into: &text, minimumPrecedence: leftMinimum)
            text += " " + op.rawValue + " "
            right.render(into: &text, minimumPrecedence: op.precedence + 1)
        }
    }

    static func renderString(_ value: String, into text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            default:
                if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}
