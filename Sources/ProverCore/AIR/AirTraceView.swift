/// A read-only view of a trace or LDE buffer: `rowCount` rows of `width` cells at
/// `base[row * rowStride + column * columnStride]`, so column-major and row-major buffers
/// are both read in place. The caller keeps the memory alive while the view is in use.
public struct AirTraceView: @unchecked Sendable {
    public let base: UnsafePointer<Fr>
    public let rowCount: Int
    public let width: Int
    public let rowStride: Int
    public let columnStride: Int

    public init(base: UnsafePointer<Fr>, rowCount: Int, width: Int, rowStride: Int, columnStride: Int) {
        self.base = base
        self.rowCount = rowCount
        self.width = width
        self.rowStride = rowStride
        self.columnStride = columnStride
    }

    /// Columns stored one after another, each `rowCount` long.
    public static func columnMajor(_ base: UnsafePointer<Fr>, rowCount: Int, width: Int) -> AirTraceView {
        AirTraceView(base: base, rowCount: rowCount, width: width, rowStride: 1, columnStride: rowCount)
    }

    /// Rows stored one after another, each `width` long.
    public static func rowMajor(_ base: UnsafePointer<Fr>, rowCount: Int, width: Int) -> AirTraceView {
        AirTraceView(base: base, rowCount: rowCount, width: width, rowStride: width, columnStride: 1)
    }

    @inlinable @inline(__always)
    public subscript(row: Int, column: Int) -> Fr { base[row &* rowStride &+ column &* columnStride] }
}

/// An execution trace in column-major order: `columns[c][row]`.
public struct AirTrace: Hashable, Sendable {
    public var columns: [[Fr]]

    public init(columns: [[Fr]]) { self.columns = columns }

    /// A zero trace of the given shape.
    public init(width: Int, length: Int) {
        columns = [[Fr]](repeating: [Fr](repeating: .zero, count: length), count: width)
    }

    public var width: Int { columns.count }
    public var length: Int { columns.first?.count ?? 0 }

    public subscript(row: Int, column: Int) -> Fr {
        get { columns[column][row] }
        set { columns[column][row] = newValue }
    }

    /// The cells of one row.
    public func row(_ i: Int) -> [Fr] { columns.map { $0[i] } }

    /// Calls `body` with a column-major view over a contiguous copy of the trace.
    public func withView<R>(_ body: (AirTraceView) throws -> R) rethrows -> R {
        let flat = columns.flatMap { $0 }
        return try flat.withUnsafeBufferPointer { p in
            try body(AirTraceView.columnMajor(p.baseAddress!, rowCount: length, width: width))
        }
    }
}
