import Dispatch

/// A raw pointer handed to worker threads. The caller guarantees the threads touch disjoint
/// elements and that the memory outlives the parallel call.
package struct SendablePointer<Pointee>: @unchecked Sendable {
    package let pointer: UnsafeMutablePointer<Pointee>
    package init(_ pointer: UnsafeMutablePointer<Pointee>) { self.pointer = pointer }
    package init(_ pointer: UnsafePointer<Pointee>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }
}

/// Data-parallel loops for CPU-bound kernels. They run on Dispatch's worker threads (never on
/// Swift's cooperative pool) and return when every iteration has finished.
package enum Parallel {
    /// Calls `body(i)` for i in 0..<iterations, concurrently when iterations > 1.
    package static func forEach(_ iterations: Int, _ body: @Sendable (Int) -> Void) {
        if iterations <= 1 {
            if iterations == 1 { body(0) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: iterations, execute: body)
    }

    /// Splits 0..<count into at most `pieces` contiguous ranges of at least `grain` elements
    /// and calls `body(start, length)` for each.
    package static func ranges(_ count: Int, pieces: Int, grain: Int, _ body: @Sendable (Int, Int) -> Void) {
        let n = min(max(1, pieces), max(1, count / max(1, grain)))
        if n == 1 {
            body(0, count)
            return
        }
        let size = (count + n - 1) / n
        forEach(n) { i in
            let start = i * size
            if start < count { body(start, min(size, count - start)) }
        }
    }
}
