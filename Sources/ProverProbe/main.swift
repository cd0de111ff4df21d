// prover-probe CASE ITERATIONS: runs one kernel ITERATIONS times on fixed inputs and prints
// nothing. scripts/bench-instructions counts its instructions under valgrind. It is a
// separate, synchronous executable because valgrind 3.19 crashes on the dispatch main loop
// that an async `@main` (the `prover` CLI) runs.
import ProverBench

#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    var bytes = Array(message.utf8)
    bytes.append(10)
    _ = write(2, &bytes, bytes.count)
    exit(64)
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let iterations = Int(arguments[2]), iterations >= 0 else {
    fail("usage: prover-probe CASE ITERATIONS\ncases: \(KernelProbe.cases.joined(separator: ", "))")
}
guard KernelProbe.run(arguments[1], iterations: iterations) else {
    fail("prover-probe: unknown case \(arguments[1]); known: \(KernelProbe.cases.joined(separator: ", "))")
}
