/// Money and tokens counted together: what a budget instance has used, reserved or carried.
public struct UsageAmount: Sendable, Hashable {
    public var money: Money
    public var tokens: Int64

    public init(money: Money = .zero, tokens: Int64 = 0) {
        self.money = money
        self.tokens = tokens
    }

    public static let zero = UsageAmount()

    // Both units saturate (see ``Money/isSaturated``): a wrapped token sum would silently turn a
    // full budget into an empty one.
    public static func + (lhs: UsageAmount, rhs: UsageAmount) -> UsageAmount {
        UsageAmount(money: lhs.money + rhs.money, tokens: lhs.tokens.addingSaturating(rhs.tokens))
    }

    public static func - (lhs: UsageAmount, rhs: UsageAmount) -> UsageAmount {
        UsageAmount(money: lhs.money - rhs.money, tokens: lhs.tokens.subtractingSaturating(rhs.tokens))
    }

    /// Whether either unit sits at a bound of its type (see ``Money/isSaturated``).
    public var isSaturated: Bool { money.isSaturated || tokens == .max || tokens == .min }

    public static func += (lhs: inout UsageAmount, rhs: UsageAmount) { lhs = lhs + rhs }
    public static func -= (lhs: inout UsageAmount, rhs: UsageAmount) { lhs = lhs - rhs }

    /// Never below zero in either unit (a release after a rollover must not go negative).
    public var clampedAtZero: UsageAmount {
        UsageAmount(money: money < .zero ? .zero : money, tokens: max(tokens, 0))
    }
}
