extension PostgresSchema {
    /// Version 2: `prover_finish`, a busy worker's whole commit in one statement (one round
    /// trip, its own transaction): store the proof (write-once), complete the task (guarded by
    /// `proving` and the owner), queue the waiting dependents whose dependencies have all
    /// completed, claim the next task (`FOR UPDATE SKIP LOCKED`, priority then FIFO, the node's
    /// backend and proof types) and `NOTIFY` if it queued work. It returns the changed rows in
    /// the order of their transitions: the completed task, the queued dependents, the claimed
    /// task. Errors: `PV001` the task is not proving owned by the caller, `PV002` a different
    /// proof is already stored, `PV003` no such task. Each dependent's row is locked before its
    /// other dependencies are read (every statement of a function sees the latest commits), so of
    /// two dependencies completing at once the second sees the first and queues the dependent.
    static let finishFunction = """
        CREATE FUNCTION prover_finish(
            p_id TEXT, p_owner TEXT, p_now BIGINT,
            p_proof_type TEXT, p_proof BYTEA, p_outputs BYTEA, p_metadata TEXT, p_proof_created BIGINT,
            p_seq BIGINT, p_backend TEXT, p_types TEXT[], p_lease BIGINT, p_channel TEXT, p_instance TEXT)
        RETURNS SETOF prover_tasks LANGUAGE plpgsql AS $fn$
        DECLARE
            r prover_tasks;
            d prover_tasks;
            dependent TEXT;
            backends TEXT[] := '{}';
        BEGIN
            IF p_proof IS NOT NULL THEN
                INSERT INTO prover_proofs (task_id, proof_type, proof, public_outputs, metadata, created_us)
                VALUES (p_id, p_proof_type, p_proof, p_outputs, p_metadata, p_proof_created)
                ON CONFLICT (task_id) DO NOTHING;
                IF NOT FOUND AND NOT EXISTS (
                    SELECT 1 FROM prover_proofs
                    WHERE task_id = p_id AND proof = p_proof AND public_outputs = p_outputs AND metadata = p_metadata) THEN
                    RAISE EXCEPTION 'task % already has a different proof', p_id USING ERRCODE = 'PV002';
                END IF;
            END IF;
            UPDATE prover_tasks SET state = 'completed', owner = NULL, lease_expires_us = NULL, next_run_us = NULL, updated_us = p_now
            WHERE id = p_id AND state = 'proving' AND owner = p_owner
            RETURNING * INTO r;
            IF NOT FOUND THEN
                SELECT * INTO r FROM prover_tasks WHERE id = p_id;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'no task %', p_id USING ERRCODE = 'PV003';
                END IF;
                RAISE EXCEPTION 'task % is % owned by %, not proving owned by %', p_id, r.state, coalesce(r.owner, 'nobody'), p_owner
                    USING ERRCODE = 'PV001';
            END IF;
            RETURN NEXT r;
            FOR dependent IN SELECT task_id FROM prover_task_deps WHERE dep_id = p_id ORDER BY task_id LOOP
                SELECT * INTO d FROM prover_tasks WHERE id = dependent AND state = 'waiting' FOR UPDATE;
                CONTINUE WHEN NOT FOUND;
                CONTINUE WHEN EXISTS (
                    SELECT 1 FROM prover_tasks
                    WHERE id = ANY(string_to_array(d.deps, ',')) AND id <> p_id AND state <> 'completed');
                UPDATE prover_tasks SET state = 'queued', owner = NULL, lease_expires_us = NULL, next_run_us = NULL,
                    queue_seq = p_seq, updated_us = p_now
                WHERE id = d.id
                RETURNING * INTO r;
                p_seq := p_seq + 1;
                backends := backends || r.backend;
                RETURN NEXT r;
            END LOOP;
            IF p_backend IS NOT NULL THEN
                UPDATE prover_tasks SET state = 'proving', owner = p_owner, lease_expires_us = p_lease, updated_us = p_now, next_run_us = NULL
                WHERE id = (SELECT id FROM prover_tasks WHERE state = 'queued' AND backend = p_backend
                            AND (p_types IS NULL OR proof_type = ANY(p_types))
                            ORDER BY priority DESC, queue_seq LIMIT 1 FOR UPDATE SKIP LOCKED)
                AND state = 'queued'
                RETURNING * INTO r;
                IF FOUND THEN
                    RETURN NEXT r;
                END IF;
            END IF;
            IF cardinality(backends) > 0 THEN
                PERFORM pg_notify(p_channel, p_instance || '|' ||
                    (SELECT string_agg(DISTINCT b, ',' ORDER BY b) FROM unnest(backends) AS b));
            END IF;
        END
        $fn$
        """

    /// Version 3: `prover_finish_batch`, a worker's results for several tasks and its next
    /// claims in one statement, set-based (a loop over `prover_finish` cost 0.2 ms of server
    /// time per task): store the proofs (write-once), complete the tasks (each guarded by
    /// `proving` and the owner; if one is not, the whole batch fails with `prover_finish`'s
    /// codes), queue the waiting dependents whose dependencies have all completed (each locked,
    /// in id order, before its dependencies are read, as in `prover_finish`), claim up to
    /// `p_limit` tasks (`FOR UPDATE SKIP LOCKED` in a materialized CTE, picked once; priority then
    /// FIFO, the node's backend and proof types) and `NOTIFY` if it queued work. Rows: the
    /// completed tasks, the queued dependents, then the claims (in no particular order).
    static let finishBatchFunction = """
        CREATE FUNCTION prover_finish_batch(
            p_ids TEXT[], p_owner TEXT, p_now BIGINT,
            p_proof_types TEXT[], p_proofs BYTEA[], p_outputs BYTEA[], p_metadata TEXT[], p_proof_created BIGINT[],
            p_seq BIGINT, p_backend TEXT, p_types TEXT[], p_limit BIGINT, p_lease BIGINT, p_channel TEXT, p_instance TEXT)
        RETURNS SETOF prover_tasks LANGUAGE plpgsql AS $fn$
        DECLARE
            r prover_tasks;
            done BIGINT;
            conflict TEXT;
            backends TEXT[] := '{}';
        BEGIN
            INSERT INTO prover_proofs (task_id, proof_type, proof, public_outputs, metadata, created_us)
            SELECT * FROM unnest(p_ids, p_proof_types, p_proofs, p_outputs, p_metadata, p_proof_created)
            ON CONFLICT (task_id) DO NOTHING;
            SELECT b.id INTO conflict FROM unnest(p_ids, p_proofs, p_outputs, p_metadata) AS b(id, proof, outputs, metadata)
            JOIN prover_proofs p ON p.task_id = b.id
            WHERE p.proof <> b.proof OR p.public_outputs <> b.outputs OR p.metadata <> b.metadata
            LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'task % already has a different proof', conflict USING ERRCODE = 'PV002';
            END IF;
            RETURN QUERY
            UPDATE prover_tasks SET state = 'completed', owner = NULL, lease_expires_us = NULL, next_run_us = NULL, updated_us = p_now
            WHERE id = ANY(p_ids) AND state = 'proving' AND owner = p_owner
            RETURNING *;
            GET DIAGNOSTICS done = ROW_COUNT;
            IF done < coalesce(cardinality(p_ids), 0) THEN
                FOR i IN 1..cardinality(p_ids) LOOP
                    SELECT * INTO r FROM prover_tasks WHERE id = p_ids[i];
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'no task %', p_ids[i] USING ERRCODE = 'PV003';
                    END IF;
                    CONTINUE WHEN r.state = 'completed' AND r.updated_us = p_now;
                    RAISE EXCEPTION 'task % is % owned by %, not proving owned by %', r.id, r.state, coalesce(r.owner, 'nobody'), p_owner
                        USING ERRCODE = 'PV001';
                END LOOP;
                RAISE EXCEPTION 'a task of the batch is not proving owned by %', p_owner USING ERRCODE = 'PV001';
            END IF;
            FOR r IN
                SELECT * FROM prover_tasks
                WHERE id IN (SELECT task_id FROM prover_task_deps WHERE dep_id = ANY(p_ids)) AND state = 'waiting'
                ORDER BY id FOR UPDATE
            LOOP
                CONTINUE WHEN EXISTS (
                    SELECT 1 FROM prover_tasks WHERE id = ANY(string_to_array(r.deps, ',')) AND state <> 'completed');
                UPDATE prover_tasks SET state = 'queued', owner = NULL, lease_expires_us = NULL, next_run_us = NULL,
                    queue_seq = p_seq, updated_us = p_now
                WHERE id = r.id
                RETURNING * INTO r;
                p_seq := p_seq + 1;
                backends := backends || r.backend;
                RETURN NEXT r;
            END LOOP;
            IF p_backend IS NOT NULL AND p_limit > 0 THEN
                RETURN QUERY
                WITH picked AS MATERIALIZED (
                    SELECT id AS picked_id FROM prover_tasks WHERE state = 'queued' AND backend = p_backend
                    AND (p_types IS NULL OR proof_type = ANY(p_types))
                    ORDER BY priority DESC, queue_seq LIMIT p_limit FOR UPDATE SKIP LOCKED)
                UPDATE prover_tasks SET state = 'proving', owner = p_owner, lease_expires_us = p_lease, updated_us = p_now, next_run_us = NULL
                FROM picked WHERE id = picked_id AND state = 'queued'
                RETURNING prover_tasks.*;
            END IF;
            IF cardinality(backends) > 0 THEN
                PERFORM pg_notify(p_channel, p_instance || '|' ||
                    (SELECT string_agg(DISTINCT b, ',' ORDER BY b) FROM unnest(backends) AS b));
            END IF;
        END
        $fn$
        """
}
