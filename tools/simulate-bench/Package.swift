// swift-tools-version:6.1
import Foundation
import PackageDescription

// Throughput of the process simulator on in-memory sets, built in release:
//   swift run -c release --package-path tools/simulate-bench simulate-bench [options]
// A path dependency's identity is the name of its folder, whatever the checkout is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let package = Package(
    name: "simulate-bench",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: root.path)],
    targets: [
        .executableTarget(
            name: "simulate-bench",
            dependencies: [
                .product(name: "MMUTraces", package: root.lastPathComponent),
                .product(name: "MMUCapture", package: root.lastPathComponent),
                .product(name: "MMUSimulation", package: root.lastPathComponent),
                .product(name: "MMUCore", package: root.lastPathComponent),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
