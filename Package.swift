// swift-tools-version: 6.1
import PackageDescription

// Module layout: see docs/architecture.md. Dependencies flow one way, lowest first.
let package = Package(
    name: "provsim",
    platforms: [.macOS(.v15)],
    products: [],
    dependencies: [],
    targets: [
        .target(name: "Determinism"),
        .target(name: "JSON"),
        .target(name: "JSONPath", dependencies: ["JSON"]),
        .target(name: "Transformation", dependencies: ["Determinism", "JSON", "JSONPath"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "JSONPathTests", dependencies: ["JSON", "JSONPath"]),
        .testTarget(name: "TransformationTests", dependencies: ["JSON", "JSONPath", "Transformation"]),
    ],
    swiftLanguageModes: [.v6]
)
