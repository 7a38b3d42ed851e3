import WardenCore

extension InputBounds {
    /// The count a JSON number denotes, or why it is not a token count.
    public static func tokenCount(_ reading: JSONIntegerReading) -> Result<Int64, TokenCountProblem> {
        switch reading {
        case .integer(let number) where number >= 0 && number <= maxTokenCount: return .success(number)
        case .integer(let number) where number < 0: return .failure(.negative)
        case .outOfRange(negative: true): return .failure(.negative)
        case .integer, .outOfRange(negative: false): return .failure(.tooLarge)
        case .notAnInteger: return .failure(.fraction)
        }
    }
}
