import Synchronization

/// Powers ω⁰, ω¹, …, ω^(n/2 − 1) of a primitive n-th root of unity, in Montgomery form.
///
/// Built once per (size, direction) and shared: tables are immutable after construction. A
/// table for size n serves every smaller power-of-two size m through the stride n/m.
package final class TwiddleTable: @unchecked Sendable {
    package let logSize: Int
    package let powers: UnsafeMutableBufferPointer<Fr>

    private init(logSize: Int, inverse: Bool) {
        self.logSize = logSize
        let count = max(1, (1 << logSize) / 2)
        powers = .allocate(capacity: count)
        var root = try! Fr.rootOfUnity(logOrder: logSize)
        if inverse { root = root.inverse! }
        var x = Fr.one
        for i in 0..<count {
            powers[i] = x
            x *= root
        }
    }

    deinit { powers.deallocate() }

    private static let cache = Mutex<[Int: TwiddleTable]>([:])

    /// The shared table for size 2^logSize (`inverse`: powers of ω⁻¹).
    package static func shared(logSize: Int, inverse: Bool) -> TwiddleTable {
        let key = logSize * 2 + (inverse ? 1 : 0)
        if let table = cache.withLock({ $0[key] }) { return table }
        // Built outside the lock: a racing thread may build a duplicate, and one of them wins.
        let table = TwiddleTable(logSize: logSize, inverse: inverse)
        return cache.withLock { tables in
            if let existing = tables[key] { return existing }
            tables[key] = table
            return table
        }
    }
}
