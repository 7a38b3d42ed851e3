/// Runs rule tests: each test against a fresh ``RuleEngine``, its steps in order, comparing what
/// the engine answered and audited with what the test expects.
///
/// The engine is driven the way the server drives it: before each step the clock moves
/// (``RuleEngine/tick(at:)``: reservations expire, periods end), a usage event is priced from the
/// catalog at its own time and recorded, a check's estimate is priced unless it names its cost.
/// Reservation ids are `r1`, `r2`, … in check order.
public struct RuleTestRunner: Sendable {
    public let rules: RuleSet
    public let catalog: PriceCatalog
    public let unknownModels: UnknownModelPolicy
    public let configuration: RuleEngine.Configuration

    public init(rules: RuleSet, catalog: PriceCatalog, unknownModels: UnknownModelPolicy = .reject,
                configuration: RuleEngine.Configuration = RuleEngine.Configuration()) {
        self.rules = rules
        self.catalog = catalog
        self.unknownModels = unknownModels
        self.configuration = configuration
    }

    public func run(_ file: RuleTestFile) -> [RuleTestResult] {
        file.tests.map(run)
    }

    public func run(_ test: RuleTestCase) -> RuleTestResult {
        var engine = RuleEngine(rules: rules, configuration: configuration)
        let pricer = UsagePricer(catalog: catalog, unknownModels: unknownModels)
        var failures: [RuleTestFailure] = []
        var lastReservation: String?
        var checks = 0

        for step in test.steps {
            func fail(_ message: String) {
                failures.append(RuleTestFailure(step: step.index, line: step.line, time: step.time, message: message))
            }
            let now = step.time
            var audit = engine.tick(at: now)

            switch step.action {
            case .advance:
                break
            case .usage(var event):
                if event.reservation == RuleTestStep.lastReservation {
                    guard let lastReservation else {
                        fail("usage names reservation $last, but no earlier check was granted a reservation")
                        continue
                    }
                    event.reservation = lastReservation
                }
                switch pricer.price([event], receivedAt: now) {
                case .success(let priced):
                    audit += engine.record(priced, at: now)
                case .failure(let unknown):
                    fail("usage: " + unknown.errors.map(\.message).joined(separator: "; "))
                    continue
                }
            case .check(var request, let explicitCost):
                if !explicitCost {
                    if case .failure(let unpriced) = request.priceEstimate(with: catalog, at: now), unknownModels == .reject {
                        // As POST /v1/check answers 422: without a price there is no estimate.
                        fail("check: " + unpriced.message)
                        continue
                    }
                }
                checks += 1
                let outcome = engine.check(request, reservationID: "r\(checks)", at: now)
                lastReservation = outcome.reservation?.id
                audit += outcome.audit
                for problem in step.expect?.mismatches(outcome) ?? [] { fail(problem) }
            case .release(let name):
                let id = name == RuleTestStep.lastReservation ? lastReservation : name
                guard let id, engine.release(id, at: now) else {
                    fail("release: no reservation \(name == RuleTestStep.lastReservation ? "$last (\(lastReservation ?? "none made"))" : name) is held")
                    continue
                }
            }

            if let expected = step.expectAudit {
                for problem in ExpectedAuditRow.mismatches(expected: expected, got: audit) { fail(problem) }
            }
        }
        return RuleTestResult(name: test.name, failures: failures)
    }
}
