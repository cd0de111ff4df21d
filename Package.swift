// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "prover",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "prover", targets: ["ProverCLI"]),
        .library(name: "ProverCore", targets: ["ProverCore"]),
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
        // BLAKE3 compression kernels (portable, SSE4.1, AVX2, AVX-512) with runtime dispatch.
        .target(
            name: "CBlake3"
        ),
        .target(
            name: "ProverCore",
            dependencies: ["CGMP", "CBlake3"]
        ),
        .executableTarget(
            name: "ProverCLI",
            dependencies: [
                "ProverCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "ProverCoreTests",
            dependencies: ["ProverCore", "CBlake3"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
