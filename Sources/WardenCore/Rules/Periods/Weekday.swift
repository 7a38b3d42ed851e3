/// A day of the week, numbered as ISO 8601 does (Monday = 1 … Sunday = 7).
public enum Weekday: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// Accepts the English name or its three-letter abbreviation, in any case: `monday`, `Mon`.
    public init?(name: String) {
        let lowered = name.lowercased()
        guard let day = Weekday.allCases.first(where: { $0.description == lowered || $0.description.prefix(3) == lowered }) else {
            return nil
        }
        self = day
    }

    /// The weekday of a day count since 1970-01-01, which was a Thursday.
    public init(daysSinceEpoch days: Int) {
        let mondayBased = ((days + 3) % 7 + 7) % 7  // 0 = Monday
        self = Weekday(rawValue: mondayBased + 1)!
    }

    public var description: String {
        switch self {
        case .monday: "monday"
        case .tuesday: "tuesday"
        case .wednesday: "wednesday"
        case .thursday: "thursday"
        case .friday: "friday"
        case .saturday: "saturday"
        case .sunday: "sunday"
        }
    }
}
