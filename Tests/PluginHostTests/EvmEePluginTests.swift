import Devnet
import Foundation
import PluginHost
import ProverCore
import Testing

@Suite struct EvmEePluginTests {
    @Test func statementForAnHonestRange() throws {
        let devnet = Devnet(seed: 7, checkpoints: 2)
        let host = PluginHost(chain: devnet)
        let plugin = try host.load(path: pluginPath("EvmEe"))
        #expect(plugin.proofTypes.map(\.name) == ["evm-ee-stf"])
        let context = try host.canonicalize(proofType: "evm-ee-stf", context: Array(#"{"end": 3, "start": 2}"#.utf8))
        #expect(String(decoding: context, as: UTF8.self) == #"{"end":3,"start":2}"#)
        let statement = try host.statement(proofType: "evm-ee-stf", context: context, dependencies: [])
        let (p, b2, b3) = (devnet.execBlock(1)!, devnet.execBlock(2)!, devnet.execBlock(3)!)
        #expect(statement.publicInputs == [
            Fr(2), Fr(3), p.blockHash, p.stateRoot, b3.blockHash, b3.stateRoot, ChainModel.accumulate([b2.blockHash, b3.blockHash]),
        ])
    }
}
