// swift-tools-version: 6.1
import PackageDescription

// Module layout: see docs/architecture.md. Dependencies flow one way, lowest first.
let package = Package(
    name: "provsim",
    platforms: [.macOS(.v15)],
    products: [],
    dependencies: [],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(name: "Determinism"),
        .target(name: "JSON"),
        .target(name: "JSONPath", dependencies: ["JSON"]),
        .target(name: "Transformation", dependencies: ["Determinism", "JSON", "JSONPath"]),
        .target(name: "Report", dependencies: ["CLibXML2"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "JSONPathTests", dependencies: ["JSON", "JSONPath"]),
        .testTarget(name: "TransformationTests", dependencies: ["JSON", "JSONPath", "Transformation"]),
        .testTarget(name: "ReportTests", dependencies: ["Report"], resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)
