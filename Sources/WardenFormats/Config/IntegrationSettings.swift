import WardenCore
import Yams

/// The `integrations:` section of `tokenwarden.yaml`: where the LiteLLM proxy webhook and the
/// OTLP trace receiver find an event's attribution, and how OTLP input counts are read.
///
/// ```yaml
/// integrations:
///   litellm:
///     attribution: {team: metadata.user_api_key_team_alias, agent: metadata.user_api_key_alias, user: end_user}
///   otlp:
///     attribution: {agent: resource.service.name, team: span.tokenwarden.team}
///     input_tokens_include_cache: {anthropic: false}
/// ```
/// An `attribution` mapping replaces the default one whole (so a default label can be dropped);
/// `input_tokens_include_cache` adds to or overrides the default per provider.
public struct IntegrationSettings: Sendable, Equatable {
    public var litellm = LiteLLMIntegrationSettings()
    public var otlp = OTLPIntegrationSettings()

    public init() {}

    static func parse(_ object: YAMLObject, schema: AttributionSchema) -> IntegrationSettings {
        var settings = IntegrationSettings()
        if let litellm = object.object("litellm") {
            if let mapping = litellm.object("attribution") {
                settings.litellm.attribution = AttributionMapping.parse(mapping, schema: schema, roots: nil)
            }
            litellm.rejectUnknownKeys()
        }
        if let otlp = object.object("otlp") {
            if let mapping = otlp.object("attribution") {
                settings.otlp.attribution = AttributionMapping.parse(mapping, schema: schema, roots: ["resource", "span"])
            }
            if let flags = otlp.object("input_tokens_include_cache") {
                for key in flags.keys {
                    guard let value = flags.bool(key) else { continue }
                    settings.otlp.inputTokensIncludeCache[key] = value
                }
                flags.rejectUnknownKeys()
            }
            otlp.rejectUnknownKeys()
        }
        object.rejectUnknownKeys()
        return settings
    }
}

/// `integrations.litellm`: the LiteLLM proxy's standard logging payloads.
public struct LiteLLMIntegrationSettings: Sendable, Equatable {
    /// Dotted paths into the payload; the defaults are the labels the proxy fills in for a
    /// virtual key of a team and the `user` of the request.
    public var attribution = AttributionMapping([
        .init(label: "team", path: "metadata.user_api_key_team_alias"),
        .init(label: "agent", path: "metadata.user_api_key_alias"),
        .init(label: "user", path: "end_user"),
    ])

    public init() {}
}

/// `integrations.otlp`: GenAI spans received on `POST /v1/traces`.
public struct OTLPIntegrationSettings: Sendable, Equatable {
    /// `resource.<attribute>` or `span.<attribute>`; the attribute key is everything after the
    /// first dot, dots included (`resource.service.name` is the resource's `service.name`).
    public var attribution = AttributionMapping([
        .init(label: "agent", path: "resource.service.name"),
        .init(label: "team", path: "span.tokenwarden.team"),
    ])
    /// By provider (as TokenWarden names it): whether `gen_ai.usage.input_tokens` already counts
    /// the cache reads and writes, as the semantic conventions say it should. Instrumentations
    /// that copy Anthropic's own `input_tokens` send the uncached part only; for those providers
    /// the cache counts are added to it. A provider not listed counts as `true`.
    public var inputTokensIncludeCache: [String: Bool] = ["anthropic": false]

    public init() {}

    public func inputIncludesCache(provider: String) -> Bool { inputTokensIncludeCache[provider] ?? true }
}

/// Which attribution label is read from where in an integration's payload.
public struct AttributionMapping: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var label: String
        /// The path as written in `tokenwarden.yaml` (and in error messages).
        public var path: String
        /// The path's dotted components.
        public var components: [String]
        /// The path without its first component (`service.name` of `resource.service.name`): an
        /// OTLP attribute key, dots included.
        public var attributeKey: String
        /// ``components`` as UTF-8, for lookups that compare bytes.
        var componentBytes: [[UInt8]]

        public init(label: String, path: String) {
            self.label = label
            self.path = path
            components = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            attributeKey = components.dropFirst().joined(separator: ".")
            componentBytes = components.map { Array($0.utf8) }
        }
    }

    /// In label order.
    public var entries: [Entry]

    public init(_ entries: [Entry]) { self.entries = entries.sorted { $0.label < $1.label } }

    /// Every label must be one the schema accepts; every path a non-empty dotted path that, when
    /// `roots` is given, starts with one of them followed by an attribute key.
    static func parse(_ object: YAMLObject, schema: AttributionSchema, roots: [String]?) -> AttributionMapping {
        var entries: [Entry] = []
        for label in object.keys {
            guard let path = object.string(label), let node = object.value(label) else { continue }
            let setting = object.child(label)
            if !schema.allows(label) {
                object.diagnostics.error("\(setting): \"\(label)\" is not an attribution key (allowed: \(schema.allowedKeys.joined(separator: ", ")))",
                                         at: node)
                continue
            }
            let entry = Entry(label: label, path: path)
            if path.isEmpty || entry.components.contains(where: \.isEmpty) {
                object.diagnostics.error("\(setting) must be a dotted path such as \(roots == nil ? "metadata.user_api_key_alias" : "resource.service.name"), not \"\(path)\"",
                                         at: node)
                continue
            }
            if let roots, !(roots.contains(entry.components[0]) && entry.components.count > 1) {
                object.diagnostics.error("\(setting) must start with \(roots.map { "\($0)." }.joined(separator: " or ")) and name an attribute, not \"\(path)\"",
                                         at: node)
                continue
            }
            entries.append(entry)
        }
        return AttributionMapping(entries)
    }
}

extension YAMLObject {
    /// The mapping's keys as written, in order (non-scalar keys left to ``rejectUnknownKeys()``).
    var keys: [String] { node.mapping?.keys.compactMap(\.string) ?? [] }
}
