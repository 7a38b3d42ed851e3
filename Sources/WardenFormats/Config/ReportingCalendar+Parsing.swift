import WardenCore
import Yams

/// The `reporting:` section of `tokenwarden.yaml`:
///
/// ```yaml
/// reporting:
///   timezone: Europe/Berlin      # IANA name (default UTC): when "today" and "this month" begin
///   week_start: monday           # the first day of "this week" (default monday)
/// ```
extension ReportingCalendar {
    /// Reads the mapping strictly: an unknown zone or day is reported at its `file:line:col`.
    static func parse(_ object: YAMLObject, resolveZone: RuleSetParser.TimeZoneResolver) -> ReportingCalendar {
        var calendar = ReportingCalendar.utc
        if let name = object.string("timezone"), let node = object.value("timezone"), name != "UTC" {
            do {
                calendar.timeZone = try resolveZone(name)
            } catch {
                object.diagnostics.error("\(object.child("timezone")): \(error)", at: node)
            }
        }
        if let text = object.string("week_start"), let node = object.value("week_start") {
            if let day = Weekday(name: text) {
                calendar.weekStart = day
            } else {
                object.diagnostics.error("\(object.child("week_start")) must be a day such as monday or sunday, not \"\(text)\"", at: node)
            }
        }
        object.rejectUnknownKeys()
        return calendar
    }
}
