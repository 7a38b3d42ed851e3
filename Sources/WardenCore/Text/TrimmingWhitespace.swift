extension StringProtocol {
    /// Without leading and trailing spaces (rule values such as `"500 USD / 1h"` are split on them).
    public func trimmingWhitespace() -> String {
        String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
