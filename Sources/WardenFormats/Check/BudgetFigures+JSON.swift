import WardenCore

extension BudgetFigures {
    /// Writes ``remaining`` as a JSON string value, in parts, straight into `writer` (the check
    /// response writes one per budget).
    public func writeRemaining(into writer: inout JSONWriter) {
        writer.beginString()
        forEachRemainingPart { part in
            switch part {
            case .amount(let amount): writer.stringPart(amount)
            case .text(let words): writer.stringPart(words)
            case .literal(let words): writer.stringPart(literal: words)
            case .count(let tokens): writer.stringPart(tokens)
            }
        }
        writer.endString()
    }
}
