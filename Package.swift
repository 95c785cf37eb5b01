// swift-tools-version: 6.0
import PackageDescription

/// Same settings for every Swift target: Swift 6 language mode (strict concurrency) is the
/// tools-version default; these add the upcoming features we rely on.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Y2AGateway",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "y2a", targets: ["y2a"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C: the only C boundary. Imported by XMLSupport alone.
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),

        // Core: findings, the safe XML layer, the canonical model.
        .target(name: "Findings", swiftSettings: swiftSettings),
        .target(
            name: "XMLSupport",
            dependencies: ["CLibXML2", "Findings"],
            // The SAX callbacks run once per element and text run of every document: dynamic
            // exclusivity checks on the session's state cost ~8% of a large validation
            // (perf, Scripts/bench). The state is confined to one thread per parse.
            swiftSettings: swiftSettings + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(name: "CaseRecord", swiftSettings: swiftSettings),

        // Core: what travels inside the binary. The shipped XSDs and NOCO template (so that a
        // copied y2a still has them), and the version, commit and build date.
        .target(name: "BundledResources", swiftSettings: swiftSettings, plugins: ["EmbedResources"]),
        .target(name: "BuildInfo", dependencies: ["XMLSupport"], swiftSettings: swiftSettings, plugins: ["StampBuildInfo"]),
        .executableTarget(name: "embed-resources", swiftSettings: swiftSettings),
        .plugin(name: "EmbedResources", capability: .buildTool(), dependencies: ["embed-resources"]),
        .plugin(name: "StampBuildInfo", capability: .buildTool()),

        // Formats: one reader, rule set and mapper per assessment framework.
        .target(name: "AssetFormat", dependencies: ["XMLSupport", "Findings", "CaseRecord"], swiftSettings: swiftSettings),
        .target(name: "AssetPlusFormat", dependencies: ["XMLSupport", "Findings", "CaseRecord"], swiftSettings: swiftSettings),

        // Services: orchestration (detect, validate, convert).
        .target(
            name: "Gateway",
            dependencies: [
                "XMLSupport", "Findings", "CaseRecord", "AssetFormat", "AssetPlusFormat", "BundledResources", "BuildInfo",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),

        // Services: the store.
        .target(
            name: "CaseStore",
            dependencies: [
                "CaseRecord", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "CompressNIO", package: "compress-nio"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // Services: the store's PostgreSQL engine (the hub). The only target that depends on
        // postgres-nio, so the rest of the tree does not wait for it to build.
        .target(
            name: "CaseStorePostgres",
            dependencies: [
                "CaseStore", "CaseRecord",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Services: accounts, sessions, throttling and the one Policy (who may do what).
        .target(
            name: "Access",
            dependencies: [
                "CaseStore",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // Services: the Y2A portal view (HTML and the web server).
        .target(
            name: "Portal",
            dependencies: [
                "CaseRecord", "CaseStore", "XMLSupport", "Access", "BuildInfo", "Gateway", "Transfers", "NOCO", "BundledResources",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // Services: the HTTP API for case management systems. The server is generated from
        // Sources/API/openapi.yaml (docs/openapi.yaml links to it) by swift-openapi-generator's
        // build plugin, so the document and the code cannot drift; tokens, problem details,
        // idempotency and Prometheus metrics around it.
        .target(
            name: "API",
            dependencies: [
                "Access", "CaseStore", "CaseRecord", "Findings", "Gateway", "Transfers", "Portal", "XMLSupport", "NOCO",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),

        // Services: transfer packages (build, read, manifest, receipt, status ledger).
        .target(
            name: "Transfers",
            dependencies: [
                "Gateway", "CaseStore", "CaseRecord", "XMLSupport", "Findings",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),

        // Services: the NOCO template from a case record.
        .target(
            name: "NOCO",
            dependencies: ["CaseRecord", "XMLSupport", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: swiftSettings
        ),

        // Services: the nightly batch (drop folders, journal, reports).
        .target(
            name: "Batch",
            dependencies: [
                "Gateway", "Findings", "CaseRecord", "CaseStore", "XMLSupport", "AssetPlusFormat", "Portal", "Transfers", "BuildInfo",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),

        // CLI: thin executable, one file per subcommand.
        .executableTarget(
            name: "y2a",
            dependencies: [
                "Gateway", "Findings", "CaseRecord", "XMLSupport", "AssetPlusFormat", "CaseStore", "CaseStorePostgres", "Portal", "Transfers", "NOCO", "Batch", "Access",
                "BuildInfo", "BundledResources", "API",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // Tests.
        .target(name: "TestSupport", dependencies: ["Gateway", "Findings", "XMLSupport", "CaseStore", "CaseStorePostgres"], swiftSettings: swiftSettings),
        .testTarget(
            name: "XMLSupportTests",
            dependencies: ["XMLSupport", "Findings", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: ["Gateway", "Findings", "CaseRecord", "BundledResources", "BuildInfo", "TestSupport"],
            exclude: ["Golden"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CaseStoreTests",
            dependencies: ["CaseStore", "CaseStorePostgres", "CaseRecord", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PortalTests",
            dependencies: [
                "Portal", "CaseStore", "CaseRecord", "Gateway", "TestSupport", "Access", "BuildInfo", "XMLSupport", "Transfers", "NOCO",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "APITests",
            dependencies: [
                "API", "Access", "CaseStore", "Transfers", "Gateway", "Portal", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccessTests",
            dependencies: ["Access", "CaseStore", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TransfersTests",
            dependencies: [
                "Transfers", "Gateway", "CaseStore", "CaseRecord", "TestSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BatchTests",
            dependencies: [
                "Batch", "BuildInfo", "Transfers", "CaseStore", "Gateway", "TestSupport", "y2a",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NOCOTests",
            dependencies: ["NOCO", "CaseRecord", "Gateway", "XMLSupport", "Findings", "TestSupport", "Transfers", "y2a"],
            exclude: ["Golden"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["TestSupport", "y2a", "CaseStore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
    ]
)

// Fuzzing (Scripts/fuzz): libFuzzer targets, declared only when Y2A_FUZZ is set. They have no
// main of their own (libFuzzer's comes with --sanitize=fuzzer), so a normal build could not link
// them. That build links libFuzzer's main into every executable, build tools too, so it runs
// none: nothing is embedded (the fuzz targets read the checkout's XSD/).
if Context.environment["Y2A_FUZZ"] != nil {
    package.targets.removeAll { $0.name == "EmbedResources" || $0.name == "embed-resources" }
    for target in package.targets where target.name == "BundledResources" {
        target.plugins = []
        target.swiftSettings = swiftSettings + [.define("Y2A_NO_EMBEDDED_FILES")]
    }
    package.targets += [
        .executableTarget(
            name: "FuzzDocument", dependencies: ["Gateway", "Findings", "TestSupport"], path: "Tests/Fuzz/FuzzDocument",
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzPackage", dependencies: ["Transfers", "Gateway", "CaseStore", "TestSupport"], path: "Tests/Fuzz/FuzzPackage",
            swiftSettings: swiftSettings),
    ]
}
