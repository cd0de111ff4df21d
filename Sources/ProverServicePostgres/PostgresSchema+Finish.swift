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
}
