// swift-tools-version:6.1
import PackageDescription

// Arrows point one way: epsom → EpsomWeb → EpsomStorage → EpsomCore → EpsomStats.
let package = Package(
    name: "Epsom",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "epsom", targets: ["epsom"]),
        .library(name: "EpsomStats", targets: ["EpsomStats"]),
        .library(name: "EpsomCore", targets: ["EpsomCore"]),
        .library(name: "EpsomStorage", targets: ["EpsomStorage"]),
        .library(name: "EpsomWeb", targets: ["EpsomWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics.git", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // Pure numerics: arrays of numbers in, values out. No Foundation, no I/O.
        .target(
            name: "EpsomStats",
            dependencies: [.product(name: "RealModule", package: "swift-numerics")]
        ),
        // The domain without I/O: records, validation, trials, plain-data formats (CSV, SVG, iCalendar, FHIR).
        // Crypto only for SHA-256 of a trial's frozen protocol.
        .target(
            name: "EpsomCore",
            dependencies: ["EpsomStats", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Evidence/Catalogue")]
        ),
        // One Store protocol; one SQL implementation (SQLKit) for SQLite and PostgreSQL.
        .target(
            name: "EpsomStorage",
            dependencies: [
                "EpsomCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The Hummingbird application: JSON API, pages, accounts, sessions.
        .target(
            name: "EpsomWeb",
            dependencies: [
                "EpsomStorage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The command-line tool; @main stays small, each command in its own file.
        .executableTarget(
            name: "epsom",
            dependencies: [
                "EpsomCore",
                "EpsomWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers shared by the test suites: tolerances, fixtures and temporary files, the CLI
        // runner and the in-process browser. Each helper is defined here once.
        .target(
            name: "EpsomTestSupport",
            dependencies: [
                "EpsomCore",
                .product(name: "RealModule", package: "swift-numerics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/EpsomTestSupport"
        ),
        .testTarget(name: "EpsomStatsTests", dependencies: ["EpsomStats", "EpsomTestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "EpsomCoreTests",
            dependencies: ["EpsomCore", "EpsomTestSupport", .product(name: "RealModule", package: "swift-numerics")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "EpsomStorageTests", dependencies: ["EpsomStorage", "EpsomTestSupport"]),
        .testTarget(
            name: "EpsomWebTests",
            dependencies: [
                "EpsomWeb",
                "EpsomTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(name: "epsomTests", dependencies: ["epsom", "EpsomCore", "EpsomTestSupport"], resources: [.copy("Fixtures")]),
    ]
)
