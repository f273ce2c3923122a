// swift-tools-version:6.1
import PackageDescription

// A test-only package, apart from the root package (which neither contains nor depends on it):
// it generates a Swift client from the committed docs/openapi.json with swift-openapi-generator's
// build plugin, and drives a real `epsom serve` through it. Run it with
// `scripts/api/client_test.sh BINARY` (EPSOM_BINARY names the server to start).
let package = Package(
    name: "EpsomClient",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // openapi.json here is a symlink to docs/openapi.json; openapi-generator-config.yaml asks
        // for types and a client, internal to this target.
        .testTarget(
            name: "EpsomClientTests",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        )
    ]
)
