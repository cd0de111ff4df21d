/// A univariate polynomial over `Fr`, coefficients lowest degree first.
public struct Polynomial: Sendable, Equatable {
    /// Coefficients, lowest degree first (trailing zeros allowed).
    public var coefficients: [Fr]

    public init(coefficients: [Fr]) {
        self.coefficients = coefficients
    }

    /// The degree, or nil for the zero polynomial.
    public var degree: Int? {
        coefficients.lastIndex { !$0.isZero }
    }

    /// p(x) by Horner's rule.
    public func evaluate(at x: Fr) -> Fr {
        var acc = Fr.zero
        for c in coefficients.reversed() { acc = acc * x + c }
        return acc
    }

    /// The product by NTT: O(n log n), on `threads` threads for large sizes.
    public func multiplied(by other: Polynomial, threads: Int? = nil) throws(FieldError) -> Polynomial {
        guard !coefficients.isEmpty, !other.coefficients.isEmpty else { return Polynomial(coefficients: []) }
        let resultCount = coefficients.count + other.coefficients.count - 1
        var size = 1
        while size < resultCount { size <<= 1 }
        _ = try NTT.logSize(size)
        // One buffer for the operand that is overwritten, the result's array for the other;
        // size >= resultCount, so the cyclic product is the whole product.
        let scratch = UnsafeMutableBufferPointer<Fr>.allocate(capacity: size)
        defer { scratch.deallocate() }
        Self.copyZeroPadded(other.coefficients, into: scratch)
        var product = [Fr](unsafeUninitializedCapacity: size) { buffer, initialized in
            Self.copyZeroPadded(coefficients, into: buffer)
            initialized = size
        }
        try product.withUnsafeMutableBufferPointer { (pa: inout UnsafeMutableBufferPointer<Fr>) throws(FieldError) in
            try NTT.cyclicProduct(pa, scratch, aCount: coefficients.count, bCount: other.coefficients.count, threads: threads)
        }
        product.removeLast(size - resultCount)
        return Polynomial(coefficients: product)
    }

    /// Initializes `buffer` with `values` followed by zeros.
    private static func copyZeroPadded(_ values: [Fr], into buffer: UnsafeMutableBufferPointer<Fr>) {
        let (_, end) = buffer.initialize(from: values)
        buffer[end...].initialize(repeating: .zero)
    }

    /// The product by the schoolbook method, O(n·m): the reference for tests.
    public func multipliedSchoolbook(by other: Polynomial) -> Polynomial {
        guard !coefficients.isEmpty, !other.coefficients.isEmpty else { return Polynomial(coefficients: []) }
        var out = [Fr](repeating: .zero, count: coefficients.count + other.coefficients.count - 1)
        for (i, x) in coefficients.enumerated() {
            for (j, y) in other.coefficients.enumerated() { out[i + j] += x * y }
        }
        return Polynomial(coefficients: out)
    }

    /// The polynomial of degree < n through the values at ω⁰…ω^(n−1) (n a power of two).
    public static func interpolate(subgroupEvaluations values: [Fr], threads: Int? = nil) throws(FieldError) -> Polynomial {
        var coefficients = values
        try NTT.inverse(&coefficients, threads: threads)
        return Polynomial(coefficients: coefficients)
    }

    /// The values at shift·ω^i for i < size (size a power of two >= the coefficient count).
    public func evaluations(domainSize size: Int, shift: Fr = .one, threads: Int? = nil) throws(FieldError) -> [Fr] {
        _ = try NTT.logSize(size)
        guard coefficients.count <= size else {
            throw FieldError.sizeMismatch("\(coefficients.count) coefficients do not fit a domain of \(size)")
        }
        var values = coefficients + [Fr](repeating: .zero, count: size - coefficients.count)
        if shift == .one {
            try NTT.forward(&values, threads: threads)
        } else {
            try NTT.cosetForward(&values, shift: shift, threads: threads)
        }
        return values
    }
}

/// Low-degree extension: from evaluations on the subgroup of order n to evaluations on the
/// coset shift·⟨ω_{n·blowup}⟩ of the polynomial of degree < n through them.
public enum LowDegreeExtension {
    /// Extends `evaluations` (n a power of two) by `blowup` (a power of two >= 1). The default
    /// shift is the multiplicative generator, so the coset misses the trace domain.
    public static func extend(_ evaluations: [Fr], blowup: Int, shift: Fr = Fr.multiplicativeGenerator, threads: Int? = nil) throws(FieldError) -> [Fr] {
        guard blowup >= 1, blowup & (blowup - 1) == 0 else {
            throw FieldError.unsupportedSize("blowup \(blowup) is not a power of two")
        }
        let (product, overflow) = evaluations.count.multipliedReportingOverflow(by: blowup)
        guard !overflow else { throw FieldError.unsupportedSize("extended size overflows") }
        _ = try NTT.logSize(product)
        let polynomial = try Polynomial.interpolate(subgroupEvaluations: evaluations, threads: threads)
        return try polynomial.evaluations(domainSize: product, shift: shift, threads: threads)
    }
}
