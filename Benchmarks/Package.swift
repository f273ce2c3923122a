// swift-tools-version:6.1
import PackageDescription

// Benchmarks live outside the library's dependency graph. Run them with scripts/bench/run.sh,
// which times the same work in R's metafor and Python's statsmodels in the same run.
let package = Package(
    name: "EpsomBenchmarks",
    dependencies: [.package(name: "Epsom", path: "..")],
    targets: [
        .executableTarget(name: "epsom-bench", dependencies: [.product(name: "EpsomStats", package: "Epsom")])
    ]
)
