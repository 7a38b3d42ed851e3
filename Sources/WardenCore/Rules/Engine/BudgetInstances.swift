/// A budget's instances by key, kept in creation order.
///
/// Why positions: instances are never removed (a label explosion is bounded by
/// ``BudgetTracker/maximumInstances`` instead), so a position, once given, names the same
/// instance for the engine's life and across reloads that keep the rule. A check, a reservation
/// hold and a cached request plan keep positions and reach their instances without hashing a
/// key again; the array is also what lets them be updated in place.
struct BudgetInstances: Sendable {
    /// The instances by position; read and update them through this array in place.
    var values: [BudgetInstance] = []
    /// The key of each position.
    private(set) var keys: [String] = []
    private var positions: [String: Int] = [:]

    var count: Int { values.count }

    func position(of key: String) -> Int? { positions[key] }

    /// The instance for `key`; assigning to a new key appends it. Assigning nil is not allowed.
    subscript(key: String) -> BudgetInstance? {
        get { positions[key].map { values[$0] } }
        set {
            guard let newValue else { preconditionFailure("budget instances are never removed") }
            if let position = positions[key] {
                values[position] = newValue
            } else {
                positions[key] = values.count
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// (key, instance) pairs in creation order.
    var entries: Zip2Sequence<[String], [BudgetInstance]> { zip(keys, values) }
}
