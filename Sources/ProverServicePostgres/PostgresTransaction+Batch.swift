import Foundation
import NIOCore
import PostgresNIO
import ProverService

/// Submissions in a few calls: the tasks of a plan and their dependencies are read and locked
/// with one statement (``prefetch(_:)``), and new tasks are inserted with multi-row statements
/// sent together with the next statement or the commit.
extension PostgresTransaction {
    /// Rows per `INSERT` (18 parameters each; PostgreSQL takes at most 65,535).
    static let insertChunk = 1000

    /// Locks the rows among `ids` that exist (in id order) and remembers which do not, so the
    /// ledger's reads of them need no further round trip.
    func prefetch(_ ids: Set<TaskID>) throws {
        guard locking else { return }
        let missing = ids.filter { known[$0] == nil }
        guard !missing.isEmpty else { return }
        var b = PostgresBindings()
        b.append(missing.map(\.hex).sorted())
        for id in missing { known[id] = .some(nil) }
        for row in try rows("SELECT \(Self.columns) FROM prover_tasks WHERE id = ANY($1) ORDER BY id FOR UPDATE", b) {
            let record = try Self.record(row)
            known[record.id] = .some(record)
        }
    }

    /// The statements that insert `records` and their dependency edges.
    func insertStatements(_ records: [TaskRecord]) -> [(String, PostgresBindings)] {
        guard !records.isEmpty else { return [] }
        var statements: [(String, PostgresBindings)] = []
        var start = 0
        while start < records.count {
            let chunk = records[start..<min(records.count, start + Self.insertChunk)]
            start += chunk.count
            var b = PostgresBindings()
            var values: [String] = []
            for r in chunk {
                let first = b.count + 1
                values.append("(" + (first..<first + 18).map { "$\($0)" }.joined(separator: ", ") + ")")
                b.append(r.id.hex)
                b.append(r.proofType)
                b.append(r.backend)
                b.append(ByteBuffer(bytes: r.context))
                b.appendScheduling(of: r)
                b.append(r.dependencies.map(\.hex).joined(separator: ","))
                b.append(r.queueSequence)
                b.append(r.owner)
                b.append(r.timeoutSeconds)
                b.append(r.createdAt.micros)
                b.append(r.updatedAt.micros)
                b.append(r.state == .proving ? r.updatedAt.addingTimeInterval(store.leaseSeconds).micros : nil)
            }
            statements.append((
                "INSERT INTO prover_tasks (\(Self.columns), lease_expires_us) VALUES \(values.joined(separator: ", "))", b))
        }
        let edges = records.flatMap { r in r.dependencies.map { ($0.hex, r.id.hex) } }
        if !edges.isEmpty {
            var d = PostgresBindings()
            d.append(edges.map(\.0))
            d.append(edges.map(\.1))
            statements.append((
                "INSERT INTO prover_task_deps (dep_id, task_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING", d))
        }
        return statements
    }
}
