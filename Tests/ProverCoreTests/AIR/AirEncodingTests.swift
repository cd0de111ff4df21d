import ProverCore
import Testing

@Suite("Air encoding")
struct AirEncodingTests {
    @Test func rawLayoutDecodesAndReencodesIdentically() throws {
        let raw = RawAir().bytes
        let program = try AirProgram(decoding: raw)
        #expect(program.traceWidth == 2 && program.traceLength == 8 && program.nodes.count == 12)
        #expect(program.nodes[9] == .pow(0, 3))
        #expect(program.constraints == [AirConstraint(root: 7, degree: 2), AirConstraint(root: 11, degree: 3)])
        #expect(program.boundaries[0] == AirBoundary(column: 0, row: 0, value: .publicInput(0)))
        #expect(program.encode() == raw)
    }

    @Test func builderEncodeDecodeRoundTrip() throws {
        for program in [
            try FibonacciAir.program(length: 16), try PoseidonChainAir.program(messageCount: 3), try randomProgram(seed: 7),
        ] {
            let bytes = program.encode()
            let decoded = try AirProgram(decoding: bytes)
            #expect(decoded == program)
            #expect(decoded.encode() == bytes)
            // Decoding from a non-Array collection works too.
            #expect(try AirProgram(decoding: bytes[...]) == program)
        }
    }

    @Test func everyTruncationThrowsTruncated() throws {
        for bytes in [RawAir().bytes, try FibonacciAir.program(length: 8).encode()] {
            for n in 0..<bytes.count {
                let e = decodeError(Array(bytes[0..<n]))
                #expect(e == .truncated, "prefix of \(n) bytes: \(String(describing: e))")
            }
            #expect(decodeError(bytes) == nil)
            #expect(decodeError(bytes + [0]) == .trailingBytes)
        }
    }

    @Test func rejectsBadHeader() {
        var raw = RawAir()
        raw.magic = Array("AIR2".utf8)
        #expect(decodeError(raw.bytes) == .badMagic)
        raw = RawAir()
        raw.version = 2
        #expect(decodeError(raw.bytes) == .unsupportedVersion)
        for length: UInt64 in [0, 1, 12, 1 << 40, UInt64(AirLimits.maxTraceLength) << 1] {
            raw = RawAir()
            raw.length = length
            #expect(decodeError(raw.bytes) == .invalidTraceLength, "length \(length)")
        }
        raw = RawAir()
        raw.width = 0
        #expect(decodeError(raw.bytes) == .sizeLimit)
        raw.width = UInt32(AirLimits.maxTraceWidth + 1)
        #expect(decodeError(raw.bytes) == .sizeLimit)
    }

    @Test func rejectsAbsurdCountsBeforeAllocating() {
        // A count near 2^31 or 2^32 with a few bytes behind it: the decoder must refuse on the
        // count (limit) or on the bytes left, not try to reserve.
        let raw = RawAir().bytes
        let nodeCountOffset = 4 + 4 + 4 + 8 + 4 + (4 + 32) + (4 + 4 + 64)
        #expect(Array(raw[nodeCountOffset..<nodeCountOffset + 4]) == [12, 0, 0, 0])
        for count: UInt32 in [1 << 31, .max, UInt32(AirLimits.maxNodes + 1)] {
            var bytes = raw
            for i in 0..<4 { bytes[nodeCountOffset + i] = UInt8(truncatingIfNeeded: count >> (8 * UInt32(i))) }
            #expect(decodeError(bytes) == .sizeLimit, "node count \(count)")
        }
        // Within the limit but more nodes than bytes: truncated, still without allocating.
        var bytes = raw
        bytes[nodeCountOffset + 2] = 1  // 65548 nodes
        #expect(decodeError(bytes) == .truncated)
        // Constant count and periodic cycle length.
        bytes = raw
        for i in 0..<4 { bytes[24 + i] = 0xff }
        #expect(decodeError(bytes) == .sizeLimit)
        var r = RawAir()
        r.publicInputCount = .max
        #expect(decodeError(r.bytes) == .sizeLimit)
        // An oversized input is refused on its length, before it is copied (a repeated
        // collection knows its count without storage).
        #expect(throws: AirError.sizeLimit) { try AirProgram(decoding: repeatElement(UInt8(0x41), count: AirLimits.maxEncodedBytes + 1)) }
    }

    @Test func rejectsUnknownOpAndMalformedNodes() {
        var raw = RawAir()
        raw.nodes[6] = (11, 5, 2)
        #expect(decodeError(raw.bytes) == .unknownOp)
        raw.nodes[6] = (0, 5, 2)
        #expect(decodeError(raw.bytes) == .unknownOp)
        raw = RawAir()
        raw.nodes[0] = (2, 0, 1)  // current(0) with a stray second operand
        #expect(decodeError(raw.bytes) == .malformedNode)
        raw = RawAir()
        raw.boundaries[0] = (0, 0, 2, 0)
        #expect(decodeError(raw.bytes) == .unknownOp)
        raw = RawAir()
        raw.nodes[9] = (10, 0, 1)
        #expect(decodeError(raw.bytes) == .invalidExponent)
        raw.nodes[9] = (10, 0, UInt32(AirLimits.maxExponent + 1))
        #expect(decodeError(raw.bytes) == .invalidExponent)
    }

    @Test func rejectsOutOfRangeIndices() {
        var raw = RawAir()
        raw.nodes[0] = (2, 2, 0)
        #expect(decodeError(raw.bytes) == .columnOutOfRange)
        raw = RawAir()
        raw.nodes[1] = (3, .max, 0)
        #expect(decodeError(raw.bytes) == .columnOutOfRange)
        raw = RawAir()
        raw.nodes[2] = (4, 1, 0)
        #expect(decodeError(raw.bytes) == .periodicOutOfRange)
        raw = RawAir()
        raw.nodes[3] = (1, 1, 0)
        #expect(decodeError(raw.bytes) == .constantOutOfRange)
        raw = RawAir()
        raw.nodes[4] = (5, 1, 0)
        #expect(decodeError(raw.bytes) == .publicInputOutOfRange)
        raw = RawAir()
        raw.constraints[1] = (12, 1)
        #expect(decodeError(raw.bytes) == .nodeOutOfRange)
        raw = RawAir()
        raw.boundaries[1] = (2, 0, 0, 0)
        #expect(decodeError(raw.bytes) == .columnOutOfRange)
        raw = RawAir()
        raw.boundaries[1] = (1, 8, 0, 0)
        #expect(decodeError(raw.bytes) == .rowOutOfRange)
        raw = RawAir()
        raw.boundaries[0] = (0, 0, 1, 1)
        #expect(decodeError(raw.bytes) == .publicInputOutOfRange)
        raw = RawAir()
        raw.boundaries[1] = (1, 7, 0, 1)
        #expect(decodeError(raw.bytes) == .constantOutOfRange)
    }

    @Test func rejectsForwardReferencesAndCycles() {
        var raw = RawAir()
        raw.nodes[6] = (6, 5, 7)  // refers to a later node
        #expect(decodeError(raw.bytes) == .forwardReference)
        raw = RawAir()
        raw.nodes[8] = (9, 8, 0)  // refers to itself
        #expect(decodeError(raw.bytes) == .forwardReference)
        raw = RawAir()
        raw.nodes[5] = (8, 0, 11)  // a cycle 5 -> 11 -> 10 -> 9 ... through later nodes
        let e = decodeError(raw.bytes)
        #expect(e == .forwardReference)
        #expect(e?.detail.contains("node 5") == true)
    }

    @Test func rejectsDegreeMismatch() {
        var raw = RawAir()
        raw.constraints[0] = (7, 1)  // lower than the actual 2
        let e = decodeError(raw.bytes)
        #expect(e == .degreeMismatch)
        #expect(e?.detail.contains("constraint 0") == true)
        raw.constraints[0] = (7, 3)  // higher
        #expect(decodeError(raw.bytes) == .degreeMismatch)
        raw = RawAir()
        raw.constraints = []
        #expect(decodeError(raw.bytes) == .noConstraints)
    }

    @Test func rejectsBadPeriodicColumnsAndFieldElements() {
        var raw = RawAir()
        raw.periodic = [[Fr(1), Fr(2), Fr(3)]]
        #expect(decodeError(raw.bytes) == .invalidPeriodicColumn)
        raw.periodic = [[]]
        #expect(decodeError(raw.bytes) == .invalidPeriodicColumn)
        raw.periodic = [[Fr](repeating: .one, count: 16)]  // longer than the trace
        #expect(decodeError(raw.bytes) == .invalidPeriodicColumn)
        var bytes = RawAir().bytes
        for i in 0..<32 { bytes[24 + 4 + i] = 0xff }  // constant 0 = 2^256 - 1 >= r
        #expect(decodeError(bytes) == .invalidFieldElement)
    }

    @Test func builderReportsErrorsAtBuild() {
        let b = AirBuilder(traceWidth: 2, traceLength: 8)
        b.assertTransition(b.current(2) - b.next(0), degree: 1)
        #expect(throws: AirError.columnOutOfRange) { try b.build() }
        let c = AirBuilder(traceWidth: 2, traceLength: 1 << 40)
        c.assertTransition(c.current(0), degree: 1)
        #expect(throws: AirError.invalidTraceLength) { try c.build() }
        let d = AirBuilder(traceWidth: 1, traceLength: 8)
        d.assertTransition(d.current(0).power(3) * d.next(0), degree: 3)
        #expect(throws: AirError.degreeMismatch) { try d.build() }
    }

    @Test func builderHashConsesSharedSubexpressions() throws {
        let b = AirBuilder(traceWidth: 2, traceLength: 8)
        let x = b.current(0), y = b.next(1)
        let s1 = x * y + Fr(3)
        let s2 = y * x + Fr(3)  // commuted, same constant
        #expect(s1.node == s2.node)
        #expect(b.current(0).node == x.node)
        #expect((x - y).node != (y - x).node)
        let before = b.nodeCount
        b.assertTransition(s1 * s1 - (x * y + Fr(3)), degree: 4)
        #expect(b.nodeCount == before + 2)  // only the square and the difference are new
        let p1 = b.periodic([Fr(1), Fr(2)]), p2 = b.periodic([Fr(1), Fr(2)]), p3 = b.periodic([Fr(2), Fr(1)])
        #expect(p1.node == p2.node && p1.node != p3.node)
        b.assertTransition(p1 * x - p3 * y, degree: 1)
        let program = try b.build()
        #expect(program.periodicColumns == [[Fr(1), Fr(2)], [Fr(2), Fr(1)]])
        #expect(program.constants == [Fr(3)])
        #expect(Set(program.nodes).count == program.nodes.count)
    }
}
