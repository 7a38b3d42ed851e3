/// Why a budget's `period:` value was not understood.
public struct BudgetPeriodError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(message: String) { self.message = message }

    public var description: String { message }
}
