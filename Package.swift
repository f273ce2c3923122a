// swift-tools-version:6.1
import PackageDescription

// Arrows point one way: epsom → EpsomCore → EpsomStats (see docs/architecture.md).
let package = Package(
    name: "Epsom",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "epsom", targets: ["epsom"]),
        .library(name: "EpsomStats", targets: ["EpsomStats"]),
        .library(name: "EpsomCore", targets: ["EpsomCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics.git", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // Pure numerics: arrays of numbers in, values out. No Foundation, no I/O.
        .target(
            name: "EpsomStats",
            dependencies: [.product(name: "RealModule", package: "swift-numerics")]
        ),
        // The domain without I/O: records, validation, plain-data formats (CSV, SVG).
        .target(name: "EpsomCore", dependencies: ["EpsomStats"]),
        // The command-line tool; @main stays small, each command in its own file.
        .executableTarget(
            name: "epsom",
            dependencies: [
                "EpsomCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "EpsomStatsTests", dependencies: ["EpsomStats"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EpsomCoreTests", dependencies: ["EpsomCore"]),
        .testTarget(name: "epsomTests", dependencies: ["epsom"], resources: [.copy("Fixtures")]),
    ]
)
