// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "prover",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "prover", targets: ["ProverCLI"]),
        .library(name: "ProverCore", targets: ["ProverCore"]),
        .library(name: "ProverService", targets: ["ProverService"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // GMP, the big-integer engine (Debian: libgmp-dev).
        .systemLibrary(
            name: "CGMP",
            pkgConfig: "gmp",
            providers: [.apt(["libgmp-dev"])]
        ),
        .target(
            name: "ProverCore",
            dependencies: ["CGMP"]
        ),
        // The system SQLite (Debian: libsqlite3-dev), the embedded task and proof store.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Orchestration: tasks, registry, scheduler, pools, retries, dependencies, stores.
        // Generic: knows nothing of ProverCore or plugins.
        .target(
            name: "ProverService",
            dependencies: ["CSQLite"]
        ),
        // A tiny executable the restart-recovery test launches and kills with SIGKILL.
        .executableTarget(
            name: "ServiceCrashHelper",
            dependencies: ["ProverService"]
        ),
        .executableTarget(
            name: "ProverCLI",
            dependencies: [
                "ProverCore",
                "ProverService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "ProverCoreTests",
            dependencies: ["ProverCore"]
        ),
        .testTarget(
            name: "ProverServiceTests",
            dependencies: ["ProverService", "CSQLite", "ServiceCrashHelper"]
        ),
    ]
)
