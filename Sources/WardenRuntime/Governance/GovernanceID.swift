/// Ids of overrides and approvals: a prefix (`ovr_`, `apr_`) and 16 random hex digits, drawn again
/// in the unlikely case the table already holds one.
enum GovernanceID {
    static func fresh(_ prefix: String, taken: (String) throws -> Bool) rethrows -> String {
        var generator = SystemRandomNumberGenerator()
        while true {
            let digits = String(generator.next() as UInt64, radix: 16)
            let id = prefix + String(repeating: "0", count: 16 - digits.count) + digits
            if try !taken(id) { return id }
        }
    }
}
