// swift-tools-version: 6.1
// A host daemon of its own that embeds the prover's libraries (docs/embedding.md).
import PackageDescription

let package = Package(
    name: "EmbeddedHost",
    platforms: [.macOS(.v15)],
    dependencies: [
        // In your package: .package(url: "https://github.com/<you>/prover", from: "…").
        .package(name: "prover", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "EmbeddedHost",
            dependencies: [
                .product(name: "ProverCore", package: "prover"),
                .product(name: "ProverService", package: "prover"),
                .product(name: "PluginHost", package: "prover"),
                .product(name: "Devnet", package: "prover"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
