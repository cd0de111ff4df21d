/// An owned, fixed-size buffer of field elements for large prover arrays (LDEs, FRI layers):
/// allocated once, never copied, freed when the last reference goes. Threads may write
/// disjoint ranges through `base`.
package final class FrBuffer: @unchecked Sendable {
    package let base: UnsafeMutablePointer<Fr>
    package let count: Int

    /// A buffer of `count` zeros.
    package init(zeros count: Int) {
        base = UnsafeMutablePointer<Fr>.allocate(capacity: max(1, count))
        base.initialize(repeating: .zero, count: count)
        self.count = count
    }

    deinit { base.deallocate() }

    package var buffer: UnsafeMutableBufferPointer<Fr> { UnsafeMutableBufferPointer(start: base, count: count) }

    /// Elements `range` as a buffer (no copy).
    package func slice(_ range: Range<Int>) -> UnsafeMutableBufferPointer<Fr> {
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        return UnsafeMutableBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    package subscript(i: Int) -> Fr {
        get { base[i] }
        set { base[i] = newValue }
    }
}
