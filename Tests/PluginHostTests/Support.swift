import Foundation

/// The build folder of this test run (`.build/<triple>/<config>/`), where SwiftPM puts the
/// plugin libraries it builds.
let buildDirectory: String = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var url = URL(fileURLWithPath: exe).deletingLastPathComponent()
    // The test executable may live inside a bundle folder (`…xctest`); walk up to the libraries.
    while !FileManager.default.fileExists(atPath: url.appendingPathComponent("libExampleC.so").path), url.path != "/" {
        url.deleteLastPathComponent()
    }
    return url.path
}()

func pluginPath(_ product: String) -> String { buildDirectory + "/lib\(product).so" }

/// The package root (for the C header when tests compile fixture plugins).
let packageRoot: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
