// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "prover",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "prover", targets: ["ProverCLI"]),
        .executable(name: "prover-probe", targets: ["ProverProbe"]),
        .library(name: "ProverCore", targets: ["ProverCore"]),
        .library(name: "ProverService", targets: ["ProverService"]),
        .library(name: "ProverServicePostgres", targets: ["ProverServicePostgres"]),
        .library(name: "PluginHost", targets: ["PluginHost"]),
        // The deterministic devnet chain, a ChainSource for hosts that embed PluginHost.
        .library(name: "Devnet", targets: ["Devnet"]),
        // For plugin packages outside this one (links CProverABI and PluginKit only).
        .library(name: "PluginKit", targets: ["PluginKit"]),
        // Proof-type plugins: shared libraries the host loads at run time (DESIGN.md §4).
        .library(name: "EvmEe", type: .dynamic, targets: ["EvmEePlugin"]),
        .library(name: "ClStf", type: .dynamic, targets: ["ClStfPlugin"]),
        .library(name: "Checkpoint", type: .dynamic, targets: ["CheckpointPlugin"]),
        .library(name: "ExampleC", type: .dynamic, targets: ["ExampleCPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The daemon only (ProverDaemon); ProverCore and ProverService do not link them.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The PostgreSQL store only (ProverServicePostgres); ProverCore and ProverService do not link it.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Benchmarks only (Benchmarks/); the library products do not link it.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // GMP, the big-integer engine (Debian: libgmp-dev).
        .systemLibrary(
            name: "CGMP",
            pkgConfig: "gmp",
            providers: [.apt(["libgmp-dev"])]
        ),
        // Hot field kernels in C: per-function target attributes and a cpuid switch.
        .target(
            name: "CFieldKernels"
        ),
        // BLAKE3 compression kernels (portable, SSE4.1, AVX2, AVX-512) with runtime dispatch.
        .target(
            name: "CBlake3"
        ),
        // circomlib's Poseidon constants as static data (generated, scripts/gen-poseidon-constants.py).
        .target(
            name: "CPoseidonConstants"
        ),
        .target(
            name: "ProverCore",
            dependencies: ["CGMP", "CFieldKernels", "CBlake3", "CPoseidonConstants"]
        ),
        // Benchmark cases shared by `prover bench` and the package-benchmark suites.
        .target(
            name: "ProverBench",
            dependencies: ["ProverCore"]
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
        // The PostgreSQL task and proof store (multi-node): leases, SKIP LOCKED claims, LISTEN/NOTIFY.
        .target(
            name: "ProverServicePostgres",
            dependencies: [
                "ProverService",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The plugin ABI: one C header shared by the host and every plugin (no code).
        .target(
            name: "CProverABI"
        ),
        // The deterministic devnet chain (DESIGN.md §5), the host's embedded chain source.
        .target(
            name: "Devnet",
            dependencies: ["ProverCore"]
        ),
        // Loads plugins (dlopen), checks their ABI, adapts them to ProverService handlers.
        .target(
            name: "PluginHost",
            dependencies: ["ProverCore", "ProverService", "CProverABI", "Devnet"]
        ),
        // The Swift SDK for plugin authors. Links no Swift module of the host (DESIGN.md §2):
        // field values and Poseidon come through the host table.
        .target(
            name: "PluginKit",
            dependencies: ["CProverABI"]
        ),
        // Plugins live under Plugins/ (explicit paths: SwiftPM's default meaning of that folder
        // is package plugins).
        .target(
            name: "EvmEePlugin",
            dependencies: ["PluginKit", "CProverABI"],
            path: "Plugins/EvmEe"
        ),
        .target(
            name: "ClStfPlugin",
            dependencies: ["PluginKit", "CProverABI"],
            path: "Plugins/ClStf"
        ),
        .target(
            name: "CheckpointPlugin",
            dependencies: ["PluginKit", "CProverABI"],
            path: "Plugins/Checkpoint"
        ),
        .target(
            name: "ExampleCPlugin",
            dependencies: ["CProverABI"],
            path: "Plugins/ExampleC"
        ),
        // A tiny executable the restart-recovery test launches and kills with SIGKILL.
        .executableTarget(
            name: "ServiceCrashHelper",
            dependencies: ["ProverService"]
        ),
        // `prover serve`: HTTP/JSON-RPC API, auth, limits, metrics, lifecycle. The only target
        // that knows HTTP.
        .target(
            name: "ProverDaemon",
            dependencies: [
                "ProverCore",
                "ProverService",
                "ProverServicePostgres",
                "PluginHost",
                "Devnet",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "ProverCLI",
            dependencies: [
                "ProverCore",
                "ProverBench",
                "ProverService",
                "ProverServicePostgres",
                "ProverDaemon",
                "PluginHost",
                "Devnet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Runs one kernel N times for instruction counting under valgrind.
        .executableTarget(
            name: "ProverProbe",
            dependencies: ["ProverBench"]
        ),
        .executableTarget(
            name: "FieldBenchmarks",
            dependencies: ["ProverCore", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/FieldBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "NTTBenchmarks",
            dependencies: ["ProverCore", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/NTTBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "HashBenchmarks",
            dependencies: ["ProverCore", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/HashBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "StarkBenchmarks",
            dependencies: ["ProverCore", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/StarkBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .testTarget(
            name: "ProverCoreTests",
            dependencies: ["ProverCore", "CBlake3"],
            resources: [.copy("Fixtures")]
        ),
        // Runs the built `prover` executable: exit codes and output of the CLI.
        .testTarget(
            name: "ProverCLITests",
            dependencies: ["ProverCLI", "CSQLite", "ProverService", "ProverServicePostgres"]
        ),
        .testTarget(
            name: "ProverDaemonTests",
            dependencies: ["ProverDaemon", "ProverCore", "Devnet"]
        ),
        .testTarget(
            name: "PluginHostTests",
            dependencies: ["PluginHost", "Devnet", "ProverCore", "ProverService", "CProverABI"],
            // C sources the tests compile with `cc` into broken plugins.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ProverServiceTests",
            dependencies: ["ProverService", "ProverServicePostgres", "CSQLite", "ServiceCrashHelper"]
        ),
    ]
)
