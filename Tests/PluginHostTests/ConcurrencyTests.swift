import Devnet
import Dispatch
import Foundation
import PluginHost
import ProverCore
import Synchronization
import Testing

@Suite struct ConcurrencyTests {
    /// A Swift plugin and the C plugin, called from several threads at once.
    @Test func twoPluginsOnSeveralThreads() throws {
        let devnet = Devnet(seed: 5, checkpoints: 1)
        let host = PluginHost(chain: devnet)
        try host.load(path: pluginPath("EvmEe"))
        try host.load(path: pluginPath("ExampleC"))
        let expected = try host.statement(proofType: "evm-ee-stf", context: json(#"{"end":1,"start":1}"#), dependencies: []).publicInputs
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 6) { i in
            do {
                if i % 2 == 0 {
                    let s = try host.statement(proofType: "evm-ee-stf", context: json(#"{"end":1,"start":1}"#), dependencies: [])
                    if s.publicInputs != expected { failures.withLock { $0.append("evm-ee-stf outputs differ on thread \(i)") } }
                } else {
                    let s = try host.statement(proofType: "example-fibonacci", context: json(#"{"length":64}"#), dependencies: [])
                    if s.publicInputs.count != 3 { failures.withLock { $0.append("fibonacci outputs on thread \(i)") } }
                }
            } catch {
                failures.withLock { $0.append("thread \(i): \(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
    }
}
