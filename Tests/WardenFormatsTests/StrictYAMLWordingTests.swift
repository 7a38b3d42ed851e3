import Testing
import WardenCore
import WardenFormats

/// The same mistake reads the same in every YAML file a user writes, wherever it is found.
@Suite struct StrictYAMLWordingTests {
    private static func deploymentErrors(_ text: String) -> [String] {
        do {
            _ = try DeploymentConfig.parse(yaml: text, file: "f.yaml")
            return []
        } catch { return error.errors.map(\.description) }
    }

    private static func ruleErrors(_ text: String) -> [String] {
        do {
            _ = try RuleSetParser.parse(files: [("f.yaml", text)], schema: .standard) { _ in .utc }
            return []
        } catch { return error.errors.map(\.description) }
    }

    private static func pricingErrors(_ text: String) -> [String] {
        do {
            _ = try PricingFileLoader.load(text: text, fileName: "f.yaml")
            return []
        } catch { return error.errors.map(\.description) }
    }

    @Test func aDuplicateKeyIsTheSameErrorInEveryFile() {
        #expect(Self.deploymentErrors("audit: {}\naudit: {}\n") == [#"f.yaml:1:1: duplicate key "audit""#])
        #expect(Self.ruleErrors("budgets: []\nbudgets: []\n") == [#"f.yaml:1:1: duplicate key "budgets""#])
        #expect(Self.pricingErrors("models: []\nmodels: []\n") == [#"f.yaml:1:1: duplicate key "models""#])
    }

    @Test func aListWhereAMappingBelongsIsTheSameErrorInEveryFile() {
        #expect(Self.deploymentErrors("audit: [1]\n") == ["f.yaml:1:8: audit must be a mapping, not a list"])
        #expect(Self.ruleErrors("budgets:\n  - [1]\n") == ["f.yaml:2:5: budgets[0] must be a mapping, not a list"])
        #expect(Self.pricingErrors("models:\n  - [1]\n") == ["f.yaml:2:5: models[0] must be a mapping, not a list"])
    }

    @Test func anUnknownKeyIsTheSameErrorInEveryFile() {
        #expect(Self.deploymentErrors("audit: {colour: 1}\n")
            == [#"f.yaml:1:9: unknown key "colour" in audit (known keys: key_file, publish_head_every, retention)"#])
        #expect(Self.pricingErrors("aliases:\n  - {alias: a, provider: p, model: m, colour: 1}\n")
            == [#"f.yaml:2:39: unknown key "colour" in aliases[0] (known keys: alias, model, provider)"#])
    }

    @Test func aMissingKeyIsTheSameErrorInEveryFile() {
        #expect(Self.ruleErrors("budgets:\n  - {name: b, period: daily}\n")
            == [#"f.yaml:2:5: missing required key "limit" in budgets[0]"#])
        #expect(Self.pricingErrors("aliases:\n  - {alias: a, provider: p}\n")
            == [#"f.yaml:2:5: missing required key "model" in aliases[0]"#])
    }

    @Test func aNumberOutOfRangeNamesTheBoundItPassedInEveryFile() {
        #expect(Self.deploymentErrors("audit: {publish_head_every: 0}\n")
            == ["f.yaml:1:29: audit.publish_head_every must be at least 1, not 0"])
        #expect(Self.ruleErrors("quotas:\n  - {name: q, requests: 0, window: 1m}\n")
            == ["f.yaml:2:25: quotas[0].requests must be at least 1, not 0"])
        #expect(Self.pricingErrors("models:\n  - {provider: p, model: m, prices: {per: token, input: -1, output: 1}}\n")
            == ["f.yaml:2:57: models[0].prices.input must be at least 0, not -1"])
    }

    @Test func aWordOutsideItsChoicesIsTheSameErrorInEveryFile() {
        #expect(Self.deploymentErrors("ingest: {unknown_models: ignore}\n")
            == [#"f.yaml:1:26: ingest.unknown_models must be reject or record_at_zero_cost, not "ignore""#])
        #expect(Self.pricingErrors("models:\n  - {provider: p, model: m, prices: {per: thousand, input: 1, output: 1}}\n")
            == [#"f.yaml:2:43: models[0].prices.per must be token or million, not "thousand""#])
    }
}
