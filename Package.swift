// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "MMUStore",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "MMUCore", targets: ["MMUCore"]),
        .library(name: "MMUArchitectures", targets: ["MMUArchitectures"]),
        .library(name: "MMUStore", targets: ["MMUStore"]),
        .library(name: "MMUTraces", targets: ["MMUTraces"]),
        .library(name: "MMUCapture", targets: ["MMUCapture"]),
        .library(name: "MMUSimulation", targets: ["MMUSimulation"]),
        .library(name: "MMUSimulationStore", targets: ["MMUSimulationStore"]),
        .library(name: "MMUOperations", targets: ["MMUOperations"]),
        .library(name: "MMURender", targets: ["MMURender"]),
        .executable(name: "mmu", targets: ["mmu"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", exact: "1.6.0"),
    ],
    targets: [
        // Pure model: addresses, page sizes, entries, translation sets, transactions.
        .target(name: "MMUCore"),
        // Hardware page-table formats: radix and hashed engines, image export and import.
        .target(name: "MMUArchitectures", dependencies: ["MMUCore"]),
        // Reading recorded traces: the strace and valgrind lackey parsers, their events and statistics.
        .target(name: "MMUTraces", dependencies: ["MMUCore"]),
        // Live processes from /proc: their maps, pagemap and huge pages, as translation sets.
        .target(name: "MMUCapture", dependencies: ["MMUCore"]),
        // The process model: traced processes replayed as translation sets, with a frame allocator.
        .target(
            name: "MMUSimulation",
            dependencies: ["MMUCore", "MMUTraces", .product(name: "HeapModule", package: "swift-collections")]),
        // The traces and layout `mmu demo` replays (also the tests' recorded inputs): not a product.
        .target(name: "MMUDemo", dependencies: ["MMUCore", "MMUTraces", "MMUCapture"], resources: [.copy("Fixtures")]),
        // Small C door to the variadic SQLite calls Swift cannot make (sqlite3_db_config).
        .target(
            name: "CSQLiteSupport",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        // The system zlib (zlib1g-dev), for the compressed data of mmu render's pages.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
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
        // The simulator driven into the store: its transactions, snapshot metadata, resume and
        // group commit (MMUSimulation knows only MMUCore; MMUStore knows nothing of simulation).
        .target(name: "MMUSimulationStore", dependencies: ["MMUCore", "MMUSimulation", "MMUStore", "MMUTraces"]),
        // Where the store and the hardware formats meet: the operations that need both.
        .target(name: "MMUOperations", dependencies: ["MMUCore", "MMUArchitectures", "MMUStore"]),
        // Address-space maps for the browser: one self-contained HTML page, or a static SVG.
        .target(name: "MMURender", dependencies: ["MMUCore", "MMUArchitectures", "MMUStore", "CZlib"]),
        .executableTarget(
            name: "mmu",
            dependencies: [
                "MMUCore",
                "MMUArchitectures",
                "MMUStore",
                "MMUOperations",
                "MMUTraces",
                "MMUCapture",
                "MMUSimulation",
                "MMUSimulationStore",
                "MMUDemo",
                "MMURender",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The fault-injecting SQLite VFS (RELIABILITY.md §9): tests and tools only, never the library.
        .target(name: "CFaultVFS", linkerSettings: [.linkedLibrary("sqlite3")]),
        // Seeded random operations and models shared by the test targets.
        .target(name: "MMUTestSupport", dependencies: ["MMUCore"], path: "Tests/MMUTestSupport"),
        // The benchmark harness and its raw-SQLite C references (tools/, not part of the product).
        .target(
            name: "BenchmarkReference", path: "tools/benchmark-reference",
            cSettings: [.unsafeFlags(["-O2"])], linkerSettings: [.linkedLibrary("sqlite3")]),
        .executableTarget(
            name: "mmu-bench",
            dependencies: [
                "MMUCore", "MMUArchitectures", "MMUStore", "MMUOperations", "MMUTraces", "MMUCapture", "MMUSimulation",
                "MMUSimulationStore", "MMUDemo", "MMURender", "BenchmarkReference",
                "TableBenchmarks", "MMUTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "tools/benchmark"),
        // Crash-safety harness shared by the crash tests and tools: workloads, child workers,
        // expected state, recovery checks, the kill soak.
        .target(
            name: "CrashHarness",
            dependencies: [
                "MMUCore", "MMUStore", "MMUTestSupport", "CFaultVFS",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "tools/crash-harness"),
        // The child process the crash tests start, kill and recover from.
        .executableTarget(
            name: "mmu-crash-worker",
            dependencies: ["CrashHarness", "MMUCore", "MMUStore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "tools/crash-worker"),
        // The kill -9 soak for any number of kills, with progress and a summary.
        .executableTarget(
            name: "mmu-crash-soak",
            dependencies: ["CrashHarness", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "tools/crash-soak"),
        // The capture-race soak: targets killed at random moments during their capture.
        .executableTarget(
            name: "mmu-capture-soak",
            dependencies: [
                "MMUCore", "MMUCapture", "MMUStore", "MMUTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "tools/capture-soak"),
        .testTarget(name: "MMUCoreTests", dependencies: ["MMUCore", "MMUTestSupport"]),
        // The Unicorn conformance tests run tools/oracle/unicorn_oracle.py in the pinned environment tools/python/provision makes.
        .testTarget(name: "MMUArchitecturesTests", dependencies: ["MMUCore", "MMUArchitectures", "MMUTestSupport"]),
        // Table build and translate figures with their same-run references, for mmu-bench-tables and mmu-bench.
        .target(name: "TableBenchmarks", dependencies: ["MMUCore", "MMUArchitectures"], path: "tools/bench-tables/Measuring"),
        // Release-mode table benchmark: swift run -c release mmu-bench-tables
        .executableTarget(
            name: "mmu-bench-tables", dependencies: ["MMUCore", "MMUArchitectures", "TableBenchmarks"],
            path: "tools/bench-tables", exclude: ["Measuring"]),
        .testTarget(
            name: "MMUStoreTests",
            dependencies: [
                "MMUCore", "MMUStore", "MMUTestSupport", "CSQLiteSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "MMUOperationsTests", dependencies: ["MMUOperations", "MMUCore", "MMUArchitectures", "MMUStore"]),
        .testTarget(name: "MMURenderTests", dependencies: ["MMURender", "MMUCore", "MMUArchitectures", "MMUStore"]),
        .testTarget(
            name: "MMUSimulationTests",
            dependencies: ["MMUTraces", "MMUCapture", "MMUSimulation", "MMUDemo", "MMUCore", "MMUArchitectures", "MMUTestSupport"]),
        // The Swift examples of README.md and the DocC articles, verbatim, for the newcomer tests to run.
        .executableTarget(
            name: "mmu-doc-examples", dependencies: ["MMUCore", "MMUArchitectures", "MMUStore", "MMUTraces", "MMUSimulation", "MMUDemo"],
            path: "tools/doc-examples"),
        .testTarget(name: "MMUToolTests", dependencies: ["mmu", "mmu-bench", "mmu-capture-soak", "mmu-doc-examples", "MMUCore", "MMUArchitectures", "MMUStore", "MMURender", "MMUTestSupport"]),
        .testTarget(
            name: "MMUCrashTests",
            dependencies: [
                "CrashHarness", "CFaultVFS", "mmu-crash-worker", "MMUCore", "MMUStore", "MMUTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
