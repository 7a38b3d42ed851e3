/// One fuzz target: a name and an entry function that takes any bytes and exercises one part of
/// the daemon with them.
///
/// The property every target checks is that nothing crashes (a trap, an overflow, a failed
/// precondition, a memory error under AddressSanitizer); where a cheap invariant is natural, the
/// entry function also throws an ``InvariantViolation`` when it does not hold. The libFuzzer
/// executables (built by `make fuzz`) turn a violation into a crash so libFuzzer saves the input;
/// the tests run every committed seed and crash input through the same functions.
public struct FuzzTarget: Sendable {
    /// The target's name: its folder under `Tests/Fuzz/` and its executable `fuzz-<name>`.
    public let name: String
    public let run: @Sendable ([UInt8]) throws(InvariantViolation) -> Void

    public init(name: String, run: @escaping @Sendable ([UInt8]) throws(InvariantViolation) -> Void) {
        self.name = name
        self.run = run
    }

    public static let usageDecoder = FuzzTarget(name: "usage-decoder", run: UsageDecoderFuzzing.run)
    public static let checkDecoder = FuzzTarget(name: "check-decoder", run: CheckDecoderFuzzing.run)
    public static let jsonDocument = FuzzTarget(name: "json-document", run: JSONDocumentFuzzing.run)
    public static let expression = FuzzTarget(name: "expression", run: ExpressionFuzzing.run)
    public static let ruleFile = FuzzTarget(name: "rule-file", run: RuleFileFuzzing.run)
    public static let pricingFile = FuzzTarget(name: "pricing-file", run: PricingFileFuzzing.run)
    public static let httpRequest = FuzzTarget(name: "http-request", run: HTTPRequestFuzzing.run)
    public static let engine = FuzzTarget(name: "engine", run: EngineFuzzing.run)
    public static let litellmPayload = FuzzTarget(name: "litellm-payload", run: LiteLLMPayloadFuzzing.run)
    public static let otlpProtobuf = FuzzTarget(name: "otlp-protobuf", run: OTLPTraceFuzzing.runProtobuf)
    public static let otlpJSON = FuzzTarget(name: "otlp-json", run: OTLPTraceFuzzing.runJSON)

    public static let all: [FuzzTarget] = [
        usageDecoder, checkDecoder, jsonDocument, expression, ruleFile, pricingFile, httpRequest, engine,
        litellmPayload, otlpProtobuf, otlpJSON,
    ]

    /// What `LLVMFuzzerTestOneInput` does: runs the input, and stops the process on a violation
    /// with its message, which libFuzzer reports as a crash and saves the input for.
    public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
        do {
            try run(bytes)
        } catch {
            fatalError("\(name): \(error)")
        }
        return 0
    }
}

/// An invariant a target checks did not hold for an input.
public struct InvariantViolation: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Throws ``InvariantViolation`` with `message` unless `condition` holds.
@inline(__always)
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(InvariantViolation) {
    if !condition { throw InvariantViolation(message()) }
}
