// swift-tools-version:6.1
import PackageDescription

// The target graph follows the road a usage event travels:
// ingest → price → ledger → (rules) → store / exposition → server → executable.
// WardenCore is pure Swift (no I/O, no clock reads); C libraries are wrapped once, in the C* targets.
// The modules split the road into parts a reader can find; in a release build the optimizer may
// still inline and specialize across them (full cross-module optimization). Without it, a
// /v1/check spent about a quarter more CPU in TokenWarden's own code and the Swift runtime
// (calls, retains and generic instantiations across module boundaries): in perf samples per
// request, 49 against 39 with it (docs/design.md, "The check path").
let crossModuleOptimization: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "TokenWarden",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tokenwarden", targets: ["tokenwarden"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-structured-headers.git", from: "1.7.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        // The runtime of the committed OTLP message code only (no build plugin): see Protos/README.md.
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CMicroHTTPD",
            pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CGnuTLS",
            pkgConfig: "gnutls",
            providers: [.apt(["libgnutls28-dev"])]
        ),
        .systemLibrary(
            name: "CCrypt",
            pkgConfig: "libcrypt",
            providers: [.apt(["libcrypt-dev"])]
        ),
        .target(
            name: "WardenCore",
            dependencies: [.product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: crossModuleOptimization
        ),
        .target(
            name: "WardenFormats",
            dependencies: [
                "WardenCore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "RawStructuredFieldValues", package: "swift-http-structured-headers"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["OTLP/Generated/LICENSE"],
            swiftSettings: crossModuleOptimization
        ),
        .target(
            name: "WardenStore",
            dependencies: [
                "WardenCore", "WardenFormats",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: crossModuleOptimization
        ),
        .target(
            name: "WardenMetrics",
            dependencies: ["WardenCore", "WardenFormats", "CZlib"],
            swiftSettings: crossModuleOptimization
        ),
        .target(
            name: "WardenRuntime",
            dependencies: [
                "WardenCore", "WardenFormats", "WardenStore", "WardenMetrics",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: crossModuleOptimization
        ),
        .target(
            name: "WardenHTTP",
            dependencies: [
                "WardenCore", "WardenFormats", "WardenStore", "WardenMetrics", "WardenRuntime", "CMicroHTTPD", "CGnuTLS", "CCrypt", "CZlib",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: crossModuleOptimization
        ),
        // Fuzz entry functions: one per target, built with everything else so tests can replay the
        // corpora (see docs/operations.md, "Fuzzing"); the libFuzzer executables are below.
        .target(
            name: "WardenFuzzTargets",
            dependencies: [
                "WardenCore", "WardenFormats", "WardenMetrics", "WardenRuntime", "WardenHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "tokenwarden",
            dependencies: [
                "WardenCore", "WardenFormats", "WardenStore", "WardenMetrics", "WardenRuntime", "WardenHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "tokenwarden-bench",
            dependencies: [
                "WardenCore", "WardenFormats", "WardenStore", "WardenMetrics", "WardenRuntime", "WardenHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .testTarget(
            name: "WardenCoreTests",
            dependencies: ["WardenCore", "WardenFormats", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "WardenFormatsTests",
            dependencies: ["WardenFormats", "WardenCore", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "WardenStoreTests",
            dependencies: ["WardenStore", "WardenCore", "WardenFormats", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "WardenMetricsTests",
            dependencies: ["WardenMetrics", "WardenCore", "WardenFormats", "WardenStore",
                           .product(name: "PropertyBased", package: "swift-property-based"), .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "WardenRuntimeTests",
            dependencies: ["WardenRuntime", "WardenCore", "WardenFormats", "WardenStore", "WardenMetrics", "TestSupport",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // What several test targets share: raw-socket HTTP, polling.
        .target(
            name: "TestSupport",
            path: "Tests/Support"
        ),
        .testTarget(
            name: "WardenHTTPTests",
            dependencies: ["WardenHTTP", "WardenRuntime", "WardenCore", "WardenFormats", "WardenStore", "TestSupport",
                           .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),
        .testTarget(
            name: "WardenFuzzTests",
            dependencies: ["WardenFuzzTargets"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["WardenCore", "TestSupport"]
        ),
    ]
)

// `make fuzz` sets TOKENWARDEN_FUZZ=1 and builds with `-sanitize=fuzzer`: one libFuzzer executable
// per fuzz target. They exist only then, since without libFuzzer they do not link.
if Context.environment["TOKENWARDEN_FUZZ"] == "1" {
    for name in ["usage-decoder", "check-decoder", "json-document", "expression", "rule-file", "pricing-file", "http-request", "engine",
                 "litellm-payload", "otlp-protobuf", "otlp-json"] {
        package.targets.append(.executableTarget(name: "fuzz-\(name)", dependencies: ["WardenFuzzTargets"], path: "Sources/Fuzzers/\(name)"))
    }
}
