import Testing
import ProverCore

@Test func versionIsSemantic() {
    #expect(ProverCoreVersion.string.split(separator: ".").count == 3)
}
