/// The binary encoding of an AIR program (docs/air.md, "Binary encoding"): the bytes a plugin
/// hands across the C ABI and the prover binds into its transcript.
extension AirProgram {
    /// The magic bytes `AIR1`.
    public static let magic: [UInt8] = Array("AIR1".utf8)
    /// The encoding version this build writes and reads.
    public static let encodingVersion: UInt32 = 1

    /// The canonical encoding: equal programs have equal bytes, and decoding returns an equal
    /// program.
    public func encode() -> [UInt8] {
        var w = ByteWriter()
        w.bytes.append(contentsOf: Self.magic)
        w.u32(Self.encodingVersion)
        w.u32(traceWidth)
        w.u64(UInt64(traceLength))
        w.u32(publicInputCount)
        w.u32(constants.count)
        for c in constants { w.fr(c) }
        w.u32(periodicColumns.count)
        for cycle in periodicColumns {
            w.u32(cycle.count)
            for v in cycle { w.fr(v) }
        }
        w.u32(nodes.count)
        for node in nodes {
            let (a, b) = node.operands
            w.u32(node.opCode)
            w.u32(a)
            w.u32(b)
        }
        w.u32(constraints.count)
        for c in constraints {
            w.u32(c.root)
            w.u32(c.degree)
        }
        w.u32(boundaries.count)
        for b in boundaries {
            w.u32(b.column)
            w.u32(b.row)
            switch b.value {
            case .constant(let i): w.u32(0); w.u32(i)
            case .publicInput(let i): w.u32(1); w.u32(i)
            }
        }
        return w.bytes
    }

    /// Decodes and validates an encoding. Every count is checked against `AirLimits` and
    /// against the bytes that remain before anything is allocated; malformed or inconsistent
    /// input throws, it never traps.
    public init(decoding encoded: some Collection<UInt8>) throws(AirError) {
        let size = encoded.count
        guard size <= AirLimits.maxEncodedBytes else {
            throw AirError.sizeLimit("encoding of \(size) bytes exceeds \(AirLimits.maxEncodedBytes)")
        }
        var r = ByteReader.air(Array(encoded))
        guard r.bytes.count >= 4 else { throw AirError.truncated("\(r.bytes.count) bytes, the magic alone needs 4") }
        guard Array(r.bytes[0..<4]) == Self.magic else { throw AirError.badMagic("first bytes \(Array(r.bytes[0..<4]))") }
        r.offset = 4
        let version = try r.u32("version")
        guard version == Self.encodingVersion else {
            throw AirError.unsupportedVersion("version \(version), this build reads \(Self.encodingVersion)")
        }
        let width = Int(try r.u32("trace width"))
        try Self.checkCount(width, AirLimits.maxTraceWidth, "trace width")
        let length64 = try r.u64("trace length")
        guard length64 >= 2, length64 <= UInt64(AirLimits.maxTraceLength), length64 & (length64 - 1) == 0 else {
            throw AirError.invalidTraceLength("trace length \(length64) is not a power of two in 2...\(AirLimits.maxTraceLength)")
        }
        let publicInputCount = Int(try r.u32("public input count"))
        try Self.checkCount(publicInputCount, AirLimits.maxPublicInputs, "public input count")

        let constantCount = try r.count("constant count", limit: AirLimits.maxConstants, recordBytes: Fr.byteCount)
        var constants: [Fr] = []
        constants.reserveCapacity(constantCount)
        for i in 0..<constantCount { constants.append(try r.fr("constant \(i)")) }

        let periodicCount = try r.count("periodic column count", limit: AirLimits.maxPeriodicColumns, recordBytes: 4)
        var periodic: [[Fr]] = []
        periodic.reserveCapacity(periodicCount)
        var periodicTotal = 0
        for p in 0..<periodicCount {
            let n = try r.count("periodic column \(p) cycle length", limit: AirLimits.maxPeriodicValues - periodicTotal, recordBytes: Fr.byteCount)
            periodicTotal += n
            var cycle: [Fr] = []
            cycle.reserveCapacity(n)
            for j in 0..<n { cycle.append(try r.fr("periodic column \(p) value \(j)")) }
            periodic.append(cycle)
        }

        let nodeCount = try r.count("node count", limit: AirLimits.maxNodes, recordBytes: 12)
        var nodes: [AirNode] = []
        nodes.reserveCapacity(nodeCount)
        for i in 0..<nodeCount {
            let op = try r.u32("node \(i) op")
            let a = try r.u32("node \(i) operand a")
            let b = try r.u32("node \(i) operand b")
            nodes.append(try AirNode(opCode: op, a, b, at: i))
        }

        let constraintCount = try r.count("constraint count", limit: AirLimits.maxConstraints, recordBytes: 8)
        var constraints: [AirConstraint] = []
        constraints.reserveCapacity(constraintCount)
        for k in 0..<constraintCount {
            let root = Int(try r.u32("constraint \(k) root"))
            let degree = Int(try r.u32("constraint \(k) degree"))
            constraints.append(AirConstraint(root: root, degree: degree))
        }

        let boundaryCount = try r.count("boundary count", limit: AirLimits.maxBoundaries, recordBytes: 16)
        var boundaries: [AirBoundary] = []
        boundaries.reserveCapacity(boundaryCount)
        for k in 0..<boundaryCount {
            let column = Int(try r.u32("boundary \(k) column"))
            let row = Int(try r.u32("boundary \(k) row"))
            let kind = try r.u32("boundary \(k) kind")
            let index = Int(try r.u32("boundary \(k) index"))
            let value: AirBoundaryValue
            switch kind {
            case 0: value = .constant(index)
            case 1: value = .publicInput(index)
            default: throw AirError.unknownOp("boundary \(k): value kind \(kind)")
            }
            boundaries.append(AirBoundary(column: column, row: row, value: value))
        }
        guard r.offset == r.bytes.count else {
            throw AirError.trailingBytes("\(r.bytes.count - r.offset) bytes after offset \(r.offset)")
        }
        try self.init(
            traceWidth: width, traceLength: Int(length64), publicInputCount: publicInputCount, constants: constants,
            periodicColumns: periodic, nodes: nodes, constraints: constraints, boundaries: boundaries)
    }
}

extension ByteReader where Failure == AirError {
    /// A reader whose failures are `truncated` and `invalid_field_element`.
    static func air(_ bytes: [UInt8]) -> ByteReader<AirError> {
        ByteReader(bytes, shortfall: { AirError.truncated($0) }, badElement: { AirError.invalidFieldElement($0) })
    }

    /// Reads a u32 count, checks it against `limit` and against the bytes left (each record
    /// needs at least `recordBytes`), so a caller may reserve that many elements.
    mutating func count(_ what: String, limit: Int, recordBytes: Int) throws(AirError) -> Int {
        let n = Int(try u32(what))
        guard n <= limit else { throw AirError.sizeLimit("\(what) \(n) exceeds \(limit)") }
        guard n * recordBytes <= remaining else {
            throw AirError.truncated("\(what) \(n) needs \(n * recordBytes) bytes, \(remaining) left")
        }
        return n
    }
}
