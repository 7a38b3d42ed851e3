import WardenCore

/// Reads rule files — `budgets:`, `quotas:` and `policies:` — into one ``RuleSet``.
///
/// Loading is strict, as in envoy's ratelimit: an unknown key, a value of the wrong type, a bad
/// duration, percentage or limit, an attribution label the deployment does not know, an unknown
/// time zone or a condition that does not type-check is an error at its `file:line:col`, never a
/// silent default. Every file is read to the end and every error of every file is reported (in
/// file order, then by position), so one `check rules` run lists everything to fix.
///
/// Files are validated together: rule names are unique per kind across all files, and a
/// `budget_ratio("…")` in any policy may name a budget of any file.
///
/// # Format
///
/// ```yaml
/// budgets:
///   - name: team-daily                 # letters, digits, _ . : -  unique among budgets
///     scope: {org: acme, agent: "*", team: {regex: "search-.*"}}   # optional
///     per: [team]                      # optional: one instance per distinct team
///     period: daily                    # hourly daily weekly monthly quarterly yearly total,
///                                      # or {rolling: 7d} (also "rolling 7d")
///     week_start: monday               # weekly periods only (default monday)
///     timezone: Europe/Berlin          # IANA name (default UTC)
///     limit: "500.00 USD"              # or "2_000_000 tokens", or a list of one of each
///     rollover: {share: 50%, max: "100.00 USD"}   # calendar periods only; max in the limit's unit
///     thresholds:                      # optional: without steps a budget is only measured
///       - {at: 100%, action: throttle, grace: 15m, rate: "10 requests/1m", message: "..."}
/// quotas:
///   - name: user-tokens
///     scope: {org: acme}               # optional
///     per: [user]
///     tokens: 200000                   # or requests: N (exactly one of the two)
///     window: 1m
///     burst: 50000                     # default 0
///     priority: {low: 50, normal: 80}  # percent of the bucket each class may fill
///     shadow: true                     # measure, never enforce
/// policies:
///   - name: require-project
///     when: '!has(project)'            # see CompiledExpression for the language
///     action: warn                     # allow, warn, require_approval, deny
///     message: "..."
///     timezone: Europe/Berlin          # for hour, minute, weekday (default UTC)
/// ```
///
/// A scope value is matched exactly; `"*"` means "present with any value"; `{regex: "…"}` must
/// match the whole value. Threshold steps: `notify`, `warn`, `throttle`, `deny`; `grace` only on
/// `throttle` and `deny` (it is the time they only warn), `rate` only on `throttle`.
///
/// Positions are 1-based lines and columns in Unicode scalars, as compilers print them. An error
/// inside a condition or a duration points at the offending character: exact for plain, quoted
/// and literal-block (`|`) scalars without escape sequences; for a folded (`>`) scalar, at its
/// start.
public enum RuleSetParser {
    /// Turns an IANA zone name into its rules; the error's description becomes the message.
    /// The core does no I/O, so the caller reads the zone database (``ZoneInfoDirectory`` in
    /// WardenStore). `UTC` is built in and never asked for.
    public typealias TimeZoneResolver = (String) throws -> TimeZoneRules

    /// One rule file: its name as errors should print it (usually its path) and its text.
    public typealias File = (name: String, text: String)

    /// Parses `files` in the order given (the loader passes them sorted by name, which is the
    /// order policies are evaluated in).
    ///
    /// `currencies`, when given, are the currencies the pricing files price in: a money limit in
    /// another one is an error, since spend is never converted between currencies.
    ///
    /// - Throws: every error of every file, each with its file, line and column.
    public static func parse(files: [File], schema: AttributionSchema, currencies: Set<String>? = nil,
                             timeZone: TimeZoneResolver) throws(ConfigErrors) -> RuleSet {
        try withoutActuallyEscaping(timeZone) { (resolver) throws(ConfigErrors) -> RuleSet in
            try RuleSetReader(schema: schema, currencies: currencies, resolveZone: resolver).read(files)
        }
    }

    /// Whether `name` is a valid file name for a rule file in a rules directory: `*.yaml` or
    /// `*.yml`, except the deployment configuration (`tokenwarden.yaml`).
    public static func isRuleFileName(_ name: String) -> Bool {
        (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) && name != DeploymentConfig.fileName && !name.hasPrefix(".")
    }
}
