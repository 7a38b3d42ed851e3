/// One shipped dashboard or rule file in source form: its text with markers for what a deployment
/// chooses. The shipped `Dashboards/` files are these rendered with ``DashboardSettings/defaults``.
struct DashboardTemplate: Sendable {
    /// Where the rendered file goes, relative to the output directory (as in `Dashboards/`).
    let path: String
    let text: String

    static let all: [DashboardTemplate] = [grafanaSpend, grafanaBudgets, grafanaOperations, prometheusRecording, prometheusAlerts]

    /// The file's text for `settings`, ending in a newline.
    func rendered(_ settings: DashboardSettings) -> String {
        text.replacingOccurrences(of: "@@CURRENCY_UNIT@@", with: settings.grafanaCurrencyUnit)
            .replacingOccurrences(of: "@@CURRENCY@@", with: settings.currency)
            .replacingOccurrences(of: "@@RUNBOOK_BASE@@", with: settings.runbookPrefix)
            .replacingOccurrences(of: "@@EXTRA_KEY_LEGENDS@@", with: settings.extraKeyLegends) + "\n"
    }
}

/// What `tokenwarden dashboards render` lets a deployment choose.
struct DashboardSettings: Sendable, Equatable {
    /// The currency the money panels are labelled in and the `$currency` variable selects first.
    /// Grafana takes no variables in units, so the unit is written into the file.
    var currency = "USD"
    /// Where the repository's `docs/runbooks.md` is served (`https://git.example.com/tokenwarden/blob/main`);
    /// empty for links relative to the repository, as the shipped files have.
    var runbookBaseURL = ""
    /// The deployment's `attribution.extra_keys`, in declared order. A budget split `per:` one of
    /// them has series that differ only in that label, so the legends that list the standard keys
    /// list these too, or its instances would all read alike.
    var extraKeys: [String] = []

    static let defaults = DashboardSettings()

    /// ` {{key}}` for each extra key, appended to the legends that list the attribution keys.
    var extraKeyLegends: String {
        extraKeys.map { " {{\($0)}}" }.joined()
    }

    /// `<base>/` before `docs/runbooks.md#…`, or nothing for the relative form.
    var runbookPrefix: String {
        var base = Substring(runbookBaseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base.isEmpty ? "" : base + "/"
    }

    /// Grafana's own unit where it has one for the code (symbol and placement right), else the
    /// code as a suffix.
    var grafanaCurrencyUnit: String {
        Self.grafanaCurrencies.contains(currency) ? "currency\(currency)" : "suffix: \(currency)"
    }

    /// The ISO 4217 codes Grafana 10 and 11 have a `currency<CODE>` unit for.
    static let grafanaCurrencies: Set<String> = [
        "USD", "GBP", "EUR", "JPY", "RUB", "UAH", "BRL", "DKK", "ISK", "NOK", "SEK", "CZK", "CHF", "PLN", "ZAR", "INR", "KRW",
        "IDR", "PHP", "VND", "TRY", "MYR", "XPF", "BGN", "PYG", "UYU", "ILS",
    ]
}
