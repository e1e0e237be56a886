// swift-tools-version: 6.1
import PackageDescription

// Module layout: see docs/architecture.md. Dependencies flow one way, lowest first:
// JSON ← JSONPath ← Transformation ← Scenario ← provsim, CLibXML2 ← Report ← Scenario,
// Determinism (seeded randomness) under Transformation and Synthetic (generated test data),
// JSON ← SCIM ← Fakes (servers on Hummingbird), Transformation ← Engine (systems, connectors,
// jobs over AsyncHTTPClient), Engine + Fakes ← Proxy (IPS's proxy SCIM API and real-time API, served
// like a fake), Fakes + Engine + Proxy ← Simulation (the one place that wires them: clock, transport,
// store) ← Scenario, Fuzz, provsim.
let package = Package(
    name: "provsim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "provsim", targets: ["provsim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(name: "Chrono"),
        .target(name: "Determinism"),
        .target(name: "JSON"),
        .target(name: "JSONPath", dependencies: ["JSON"]),
        .target(name: "Transformation", dependencies: ["Chrono", "Determinism", "JSON", "JSONPath"]),
        .target(name: "Synthetic", dependencies: ["Chrono", "Determinism", "JSON"]),
        .target(name: "SCIM", dependencies: ["Chrono", "JSON"]),
        .target(
            name: "Hosting",
            dependencies: [
                "Chrono", "Determinism", "JSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
        .target(name: "Fakes", dependencies: ["Chrono", "Determinism", "Hosting", "JSON", "SCIM"]),
        .target(
            name: "Engine",
            dependencies: [
                "Chrono", "Determinism", "JSON", "JSONPath", "SCIM", "Transformation",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(name: "Report", dependencies: ["CLibXML2"]),
        .target(
            name: "Scenario",
            dependencies: [
                "Chrono", "JSON", "JSONPath", "Transformation", "Report", "Engine", "Fakes", "Hosting", "Proxy", "SCIM", "Simulation",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(name: "Proxy", dependencies: ["Chrono", "Engine", "Hosting", "JSON", "JSONPath", "SCIM", "Transformation"]),
        .target(name: "Simulation", dependencies: ["Chrono", "Engine", "Fakes", "Hosting", "JSON", "Proxy"]),
        .target(
            name: "Fuzz",
            dependencies: ["Chrono", "Determinism", "Engine", "Fakes", "Hosting", "JSON", "JSONPath", "Proxy", "Report", "SCIM", "Scenario", "Simulation", "Transformation"]
        ),
        .executableTarget(
            name: "provsim",
            dependencies: [
                "Chrono", "Determinism", "JSON", "JSONPath", "Transformation", "Report", "Scenario", "Synthetic", "Fakes", "Hosting", "Engine", "Proxy", "Fuzz", "Simulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Helpers the test targets share (not a test target itself: it holds no tests).
        .target(name: "TestSupport", dependencies: ["JSON"], path: "Tests/TestSupport"),
        .testTarget(name: "ChronoTests", dependencies: ["Chrono"]),
        .testTarget(name: "ProxyTests", dependencies: ["TestSupport", "Engine", "Fakes", "Hosting", "JSON", "SCIM", "Simulation", "Transformation", "Proxy"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "JSONPathTests", dependencies: ["TestSupport", "JSON", "JSONPath"]),
        .testTarget(name: "TransformationTests", dependencies: ["TestSupport", "Chrono", "JSON", "JSONPath", "Synthetic", "Transformation"]),
        .testTarget(name: "SCIMTests", dependencies: ["TestSupport", "SCIM", "JSON"]),
        .testTarget(
            name: "FakesTests",
            dependencies: [
                "Fakes", "Hosting", "Fuzz", "JSON", "SCIM", "Chrono",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "EngineTests",
            dependencies: [
                "Chrono", "Engine", "Fakes", "Hosting", "JSON", "Simulation", "Transformation",
            ]
        ),
        .testTarget(name: "SimulationTests", dependencies: ["Chrono", "Engine", "Fakes", "Hosting", "JSON", "Proxy", "Simulation"]),
        .testTarget(name: "FuzzTests", dependencies: ["Fuzz", "Engine", "Fakes", "Hosting", "JSON", "Simulation"]),
        .testTarget(name: "SyntheticTests", dependencies: ["Synthetic", "JSON", "Determinism"]),
        .testTarget(name: "ReportTests", dependencies: ["Report"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "ScenarioTests",
            dependencies: ["Scenario", "Fakes", "Hosting", "JSON", "JSONPath", "Report", "Transformation", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "provsimTests",
            dependencies: [
                "provsim", "JSON", "Report", "Scenario", "Engine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
