import ProverCore
import Testing

/// Random corruptions of valid encodings: decoding must throw or succeed, never trap, and an
/// accepted encoding must be canonical (re-encoding gives the same bytes).
@Suite("Air decoding fuzz")
struct AirDecodingFuzzTests {
    @Test func corruptedEncodingsThrowOrRoundTrip() throws {
        var rng = SplitMix64(seed: 0xA1A1)
        let seeds = [RawAir().bytes, try FibonacciAir.program(length: 8).encode(), try randomProgram(seed: 3, nodeCount: 20).encode()]
        var accepted = 0, rejected = Set<String>()
        for i in 0..<6000 {
            var bytes = seeds[i % seeds.count]
            switch Int.random(in: 0..<4, using: &rng) {
            case 0:  // overwrite a few bytes
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            case 1:  // small change to one byte: counts and indices off by a little
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[at] = bytes[at] &+ UInt8.random(in: 1...2, using: &rng)
            case 2:  // delete a run
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...12, using: &rng)))
            default:  // insert a run
                let at = Int.random(in: 0...bytes.count, using: &rng)
                bytes.insert(contentsOf: (0..<Int.random(in: 1...12, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
            }
            do {
                let program = try AirProgram(decoding: bytes)
                accepted += 1
                #expect(program.encode() == bytes, "iteration \(i): accepted a non-canonical encoding")
            } catch {
                rejected.insert(error.code)
            }
        }
        // The corruptions reach many distinct checks.
        #expect(rejected.count >= 10, "codes seen: \(rejected.sorted())")
        #expect(accepted < 6000)
    }
}
