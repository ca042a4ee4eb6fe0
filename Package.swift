// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "MMUStore",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "MMUCore", targets: ["MMUCore"]),
        .library(name: "MMUArchitectures", targets: ["MMUArchitectures"]),
        .library(name: "MMUStore", targets: ["MMUStore"]),
        .executable(name: "mmu", targets: ["mmu"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // Pure model: addresses, page sizes, entries, translation sets, transactions.
        .target(name: "MMUCore"),
        // Hardware page-table formats: radix and hashed engines, image export and import.
        .target(name: "MMUArchitectures", dependencies: ["MMUCore"]),
        // Small C door to the variadic SQLite calls Swift cannot make (sqlite3_db_config).
        .target(
            name: "CSQLiteSupport",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        // The only module that imports GRDB.
        .target(
            name: "MMUStore",
            dependencies: [
                "MMUCore",
                "CSQLiteSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            resources: [.copy("../../migrations")]
        ),
        .executableTarget(
            name: "mmu",
            dependencies: [
                "MMUCore",
                "MMUStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Seeded random operations and models shared by the test targets.
        .target(name: "MMUTestSupport", dependencies: ["MMUCore"], path: "Tests/MMUTestSupport"),
        .testTarget(name: "MMUCoreTests", dependencies: ["MMUCore", "MMUTestSupport"]),
        // The Unicorn conformance tests run tools/oracle/unicorn_oracle.py (pip install unicorn==2.1.4).
        .testTarget(name: "MMUArchitecturesTests", dependencies: ["MMUCore", "MMUArchitectures", "MMUTestSupport"]),
        // Release-mode table benchmark: swift run -c release mmu-bench-tables
        .executableTarget(
            name: "mmu-bench-tables", dependencies: ["MMUCore", "MMUArchitectures"], path: "tools/bench-tables"),
        .testTarget(
            name: "MMUStoreTests",
            dependencies: [
                "MMUCore", "MMUStore", "MMUTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "MMUToolTests", dependencies: ["mmu", "MMUCore", "MMUStore"]),
    ],
    swiftLanguageModes: [.v6]
)
