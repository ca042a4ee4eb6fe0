// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "MMUStore",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "MMUCore", targets: ["MMUCore"]),
        .library(name: "MMUStore", targets: ["MMUStore"]),
        .library(name: "MMUSimulation", targets: ["MMUSimulation"]),
        .executable(name: "mmu", targets: ["mmu"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // Pure model: addresses, page sizes, entries, translation sets, transactions.
        .target(name: "MMUCore"),
        // Simulated and captured processes: trace parsers, the process simulator, /proc capture.
        .target(name: "MMUSimulation", dependencies: ["MMUCore"], resources: [.copy("Fixtures")]),
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
        .testTarget(
            name: "MMUStoreTests",
            dependencies: [
                "MMUCore", "MMUStore", "MMUTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "MMUSimulationTests", dependencies: ["MMUSimulation", "MMUCore"]),
        .testTarget(name: "MMUToolTests", dependencies: ["mmu", "MMUCore", "MMUStore"]),
    ],
    swiftLanguageModes: [.v6]
)
