/// Why a ``QuotaRate`` could not be built. The rule loader adds the file location.
public struct QuotaRateError: Error, Sendable, Hashable, CustomStringConvertible {
    @usableFromInline enum Code: Sendable, Hashable {
        case limitNotPositive(Int64)
        case windowNotPositive(Int64)
        case burstNegative(Int64)
        case capacityTooLarge(limit: Int64, burst: Int64)
        case ceilingOutOfRange(Int64)
        case ceilingsOutOfOrder(low: Int64, normal: Int64)
    }

    let code: Code
    init(_ code: Code) { self.code = code }

    public var description: String {
        switch code {
        case .limitNotPositive(let value): "the limit must be at least 1, not \(value)"
        case .windowNotPositive(let value): "the window must be longer than 0 ns, not \(value) ns"
        case .burstNegative(let value): "burst must be 0 or more, not \(value)"
        case .capacityTooLarge(let limit, let burst):
            "limit + burst (\(limit) + \(burst)) exceeds the maximum of \(QuotaRate.maximumCapacity)"
        case .ceilingOutOfRange(let value): "a priority ceiling must be between 1 and 100 percent, not \(value)"
        case .ceilingsOutOfOrder(let low, let normal):
            "the low priority ceiling (\(low)%) must not exceed the normal one (\(normal)%)"
        }
    }
}
