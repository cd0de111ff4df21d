import Hummingbird

/// The OpenAPI 3.1 description of the API, served at `GET /openapi.yaml` (and printed by
/// `prover serve --print-openapi`). Kept in code so the binary serves it without resources.
public enum OpenAPIDocument {
    public static let yaml = #"""
    openapi: 3.1.0
    info:
      title: prover
      version: "1"
      description: Prover-as-a-service API. Errors are {code, message, retryable, field?} with stable codes.
    servers:
      - url: http://127.0.0.1:4844
    security:
      - bearer: []
    components:
      securitySchemes:
        bearer: {type: http, scheme: bearer}
      schemas:
        Error:
          type: object
          required: [code, message, retryable]
          properties:
            code: {type: string, enum: [invalid_input, unauthorized, rate_limited, payload_too_large, queue_full, not_found, conflict, timeout, source_unavailable, internal]}
            message: {type: string}
            retryable: {type: boolean}
            field: {type: string}
        Task:
          type: object
          required: [id, type, backend, state, priority, attempt, dependencies, created_at, updated_at]
          properties:
            id: {type: string, pattern: "^[0-9a-f]{32}$"}
            type: {type: string}
            backend: {type: string}
            state: {type: string, enum: [pending, waiting, queued, proving, completed, retrying, failed, cancelled]}
            priority: {type: integer, minimum: -1000, maximum: 1000}
            attempt: {type: integer}
            dependencies: {type: array, items: {type: string}}
            context: {}
            created_at: {type: string, format: date-time}
            updated_at: {type: string, format: date-time}
            next_run_at: {type: string, format: date-time}
            error: {type: object, properties: {code: {type: string}, message: {type: string}, transient: {type: boolean}}}
            receipt: {$ref: "#/components/schemas/Receipt"}
        Receipt:
          type: object
          properties:
            id: {type: string}
            type: {type: string}
            verified: {type: boolean}
            public_outputs: {}
            proof_bytes: {type: integer}
            proof_blake3: {type: string}
            metadata: {type: object, additionalProperties: {type: string}}
      responses:
        Error:
          description: A structured error.
          content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
    paths:
      /v1/tasks:
        post:
          summary: Submit a proof request (idempotent; duplicates are answered from the store).
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [type, context]
                  additionalProperties: false
                  properties:
                    type: {type: string}
                    context: {}
                    backend: {type: string, default: cpu}
                    priority: {type: integer, default: 0}
                    retry: {type: boolean, default: false}
          responses:
            "200": {description: Already complete, with its receipt., content: {application/json: {schema: {$ref: "#/components/schemas/Task"}}}}
            "202": {description: Accepted., content: {application/json: {schema: {$ref: "#/components/schemas/Task"}}}}
            default: {$ref: "#/components/responses/Error"}
        get:
          summary: List tasks.
          parameters:
            - {name: state, in: query, schema: {type: string}, description: comma-separated states}
            - {name: type, in: query, schema: {type: string}}
            - {name: backend, in: query, schema: {type: string}}
            - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 1000}}
            - {name: cursor, in: query, schema: {type: string}}
          responses:
            "200": {description: A page., content: {application/json: {schema: {type: object, properties: {tasks: {type: array, items: {$ref: "#/components/schemas/Task"}}, next_cursor: {type: string}}}}}}
            default: {$ref: "#/components/responses/Error"}
      /v1/tasks/{id}:
        parameters: [{name: id, in: path, required: true, schema: {type: string}}]
        get:
          summary: Task status.
          responses:
            "200": {description: The task., content: {application/json: {schema: {$ref: "#/components/schemas/Task"}}}}
            default: {$ref: "#/components/responses/Error"}
      /v1/tasks/{id}/proof:
        parameters: [{name: id, in: path, required: true, schema: {type: string}}]
        get:
          summary: The proof bytes, verified before they are returned.
          responses:
            "200": {description: The proof., content: {application/octet-stream: {}}}
            default: {$ref: "#/components/responses/Error"}
      /v1/tasks/{id}/receipt:
        parameters: [{name: id, in: path, required: true, schema: {type: string}}]
        get:
          summary: Public outputs and the verified flag.
          responses:
            "200": {description: The receipt., content: {application/json: {schema: {$ref: "#/components/schemas/Receipt"}}}}
            default: {$ref: "#/components/responses/Error"}
      /v1/tasks/{id}/cancel:
        parameters: [{name: id, in: path, required: true, schema: {type: string}}]
        post:
          summary: Cancel a task.
          responses:
            "200": {description: The task., content: {application/json: {schema: {$ref: "#/components/schemas/Task"}}}}
            default: {$ref: "#/components/responses/Error"}
      /v1/tasks/{id}/retry:
        parameters: [{name: id, in: path, required: true, schema: {type: string}}]
        post:
          summary: Run a failed or cancelled task again.
          responses:
            "202": {description: The task., content: {application/json: {schema: {$ref: "#/components/schemas/Task"}}}}
            default: {$ref: "#/components/responses/Error"}
      /v1/verify:
        post:
          summary: Verify an uploaded proof.
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [type, context, proof]
                  properties: {type: {type: string}, context: {}, proof: {type: string, contentEncoding: base64}, public_outputs: {}}
          responses:
            "200": {description: "{valid, reason?}", content: {application/json: {schema: {type: object, properties: {valid: {type: boolean}, reason: {type: string}}}}}}
            default: {$ref: "#/components/responses/Error"}
      /v1/proof-types:
        get:
          summary: Loaded proof types.
          responses:
            "200": {description: The types., content: {application/json: {}}}
      /v1/events:
        get:
          summary: Task state changes as server-sent events.
          parameters: [{name: state, in: query, schema: {type: string}}]
          responses:
            "200": {description: An event stream., content: {text/event-stream: {}}}
      /rpc:
        post:
          summary: JSON-RPC 2.0 with the reference dev_strata_* methods.
          responses:
            "200": {description: JSON-RPC response(s).}
            "204": {description: Only notifications were sent.}
      /healthz:
        get:
          security: []
          summary: Liveness, queue depth and busy workers.
          responses: {"200": {description: OK.}}
      /readyz:
        get:
          security: []
          summary: Readiness.
          responses: {"200": {description: Ready.}, "503": {$ref: "#/components/responses/Error"}}
      /metrics:
        get:
          summary: Prometheus metrics.
          responses: {"200": {description: Text exposition format.}}
      /openapi.yaml:
        get:
          summary: This document.
          responses: {"200": {description: OpenAPI 3.1 YAML.}}
    """#

    static func add(to router: Router<DaemonRequestContext>) {
        router.get("openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: ResponseBody(byteBuffer: ByteBuffer(string: yaml)))
        }
    }
}
