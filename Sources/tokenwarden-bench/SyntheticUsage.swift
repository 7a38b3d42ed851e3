import WardenCore

/// The usage the benchmarks send and store: one deterministic definition shared by the wrk Lua
/// script and the in-process generators, so HTTP ingest, the recovery database and the render
/// ledgers all carry the same shape of event.
///
/// Why these shapes: label values look like real deployments (short org and team names, numbered
/// projects, a handful of agents), four priced models (one with a long-context tier), token counts
/// spread over typical chat sizes with a third of the calls hitting the prompt cache. Realistic
/// label lengths matter for /metrics (bytes per series) and for SQLite (row and index size).
enum SyntheticUsage {
    static let models: [(provider: String, model: String)] = [
        ("openai", "gpt-4o"),
        ("openai", "gpt-4o-mini"),
        ("anthropic", "claude-sonnet-4"),
        ("anthropic", "claude-3-5-haiku"),
    ]
    static let orgs = ["acme", "globex", "initech", "umbrella"]
    static let teams = ["search", "ads-ranking", "support-bots", "data-platform", "growth", "billing", "security", "mobile"]
    static let agents = ["code-review", "triage", "summarizer", "sql-copilot"]
    /// `user` is an attribution key but not a metric label: it varies per event and is aggregated
    /// away in the ledger, as in production.
    static let userCount = 250

    /// The label sets of the "steady" mix: 4 orgs × 8 teams × 16 projects × 4 agents × 4 models =
    /// 8,192 series, under the default series limit of 10,000 so nothing overflows to `__other__`.
    static let steadySeriesCount = 8_192

    /// The pricing file the benchmark's rules directory uses (same format as the shipped one).
    static let pricingYAML = """
        currency: USD
        models:
          - provider: openai
            model: gpt-4o
            prices: {per: million, input: "2.50", output: "10.00", cache_read: "1.25"}
          - provider: openai
            model: gpt-4o-mini
            prices: {per: million, input: "0.15", output: "0.60", cache_read: "0.075"}
          - provider: anthropic
            model: claude-sonnet-4
            prices: {per: million, input: "3.00", output: "15.00", cache_read: "0.30", cache_creation: "3.75"}
            tiers:
              - {above_input_tokens: 200000, input: "6.00", output: "22.50"}
          - provider: anthropic
            model: claude-3-5-haiku
            prices: {per: million, input: "0.80", output: "4.00", cache_read: "0.08", cache_creation: "1.00"}
        """

    /// One series: provider, model and the metric labels (org, team, project, agent).
    struct Series {
        var provider: String
        var model: String
        var org: String
        var team: String
        var project: String
        var agent: String
    }

    /// A distinct series for every distinct `index` (a mixed-radix split of the index), so
    /// `series(0..<n)` yields exactly `n` label sets for the render benchmarks.
    static func series(_ index: Int) -> Series {
        let model = models[index % models.count]
        var rest = index / models.count
        let org = orgs[rest % orgs.count]
        rest /= orgs.count
        let team = teams[rest % teams.count]
        rest /= teams.count
        let agent = agents[rest % agents.count]
        rest /= agents.count
        return Series(provider: model.provider, model: model.model, org: org, team: team,
                      project: "project-" + zeroPadded(rest, width: 4), agent: agent)
    }

    struct Tokens {
        var input: Int64
        var output: Int64
        var cacheRead: Int64
    }

    /// Token counts of event number `n`: spread, not random, so runs are comparable.
    static func tokens(_ n: Int) -> Tokens {
        let input = Int64(200 + (n &* 7_919) % 6_000)
        let output = Int64(20 + (n &* 104_729) % 1_500)
        return Tokens(input: input, output: output, cacheRead: n % 3 == 0 ? input / 2 : 0)
    }

    static func user(_ n: Int) -> String { "user-" + zeroPadded((n &* 31) % userCount, width: 4) }

    /// Event number `n`, on series number `seriesIndex` (see ``seriesIndex(_:seriesCount:)``).
    static func event(_ n: Int, id: String, seriesIndex: Int, time: Timestamp?) -> UsageEvent {
        let series = series(seriesIndex)
        let tokens = tokens(n)
        let attribution = Attribution([
            ("org", series.org), ("team", series.team), ("project", series.project),
            ("user", user(n)), ("agent", series.agent),
        ])
        return UsageEvent(id: id, time: time, provider: series.provider, model: series.model,
                          tokens: TokenUsage(input: tokens.input, output: tokens.output, cacheRead: tokens.cacheRead),
                          attribution: attribution)
    }

    /// Which series event `n` lands on: a multiplicative hash, so consecutive events (one batch)
    /// touch many series, as interleaved traffic from many agents does.
    static func seriesIndex(_ n: Int, seriesCount: Int) -> Int {
        Int(UInt64(truncatingIfNeeded: n) &* 2_654_435_761 % UInt64(seriesCount))
    }

    /// Event `n` as POST /v1/usage JSON without its leading `{"id":"…"`: the Lua script prepends
    /// a unique id per request, and the stage probe does the same in Swift.
    static func jsonTail(_ n: Int, seriesCount: Int) -> String {
        let series = series(seriesIndex(n, seriesCount: seriesCount))
        let tokens = tokens(n)
        return #","provider":"\#(series.provider)","model":"\#(series.model)","input_tokens":\#(tokens.input),"#
            + #""output_tokens":\#(tokens.output),"cache_read_input_tokens":\#(tokens.cacheRead),"#
            + #""attribution":{"org":"\#(series.org)","team":"\#(series.team)","project":"\#(series.project)","#
            + #""user":"\#(user(n))","agent":"\#(series.agent)"}}"#
    }

    static func zeroPadded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
