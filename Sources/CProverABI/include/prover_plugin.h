/*
 * prover_plugin.h — the C ABI between the prover host and proof-type plugins.
 *
 * One header, shared by the host and every plugin (Swift through PluginKit, or plain C).
 * Conventions borrowed from PostgreSQL (PG_MODULE_MAGIC: a build magic the host compares),
 * SQLite extensions (the host hands the plugin a function table; tables only grow at the end)
 * and GStreamer/OBS (a versioned descriptor that starts with its own size).
 *
 * ---------------------------------------------------------------------------------------------
 * LIFECYCLE
 *
 *   1. The host dlopen()s the shared library with RTLD_NOW | RTLD_LOCAL and never dlclose()s it
 *      (a library that contains Swift code cannot be unloaded safely).
 *   2. It looks up the entry symbol of its ABI major version, PROVER_PLUGIN_ENTRY_V1
 *      ("prover_plugin_entry_v1"), and calls it once with its own ABI version and host table.
 *      The plugin keeps the host pointer (it lives for the whole process) and returns a pointer
 *      to its descriptor (static storage, never freed), or NULL to refuse to load (for example
 *      because it needs a newer host minor version). A plugin may log why it refused.
 *   3. The host checks the descriptor: abi_major == PROVER_ABI_MAJOR, struct_size at least
 *      PROVER_PLUGIN_V1_MIN_SIZE, the build magic field by field (tag, field modulus, AIR and
 *      proof encodings), and every required function pointer. Any mismatch refuses the plugin
 *      with a message naming the file and both sides' versions.
 *   4. It calls describe() once and registers every proof type it lists. Two plugins that
 *      claim the same proof type are refused.
 *   5. Per task it calls canonicalize(), dependencies() and build_statement().
 *
 * ---------------------------------------------------------------------------------------------
 * VERSIONING POLICY (also in docs/plugin-abi.md)
 *
 *   A MINOR version may only:
 *     - append fields at the END of prover_plugin_v1, prover_host_api_v1 or prover_statement_v1;
 *     - add optional function pointers (at the end) that may be NULL;
 *     - add new JSON members to describe() output, chain methods to fetch(), proof types;
 *     - document behaviour that was unspecified.
 *   A minor may NOT add status codes or log levels (callers switch on them).
 *   Every reader checks struct_size before touching a field added after version 1.0, so:
 *     - a new host loads an old plugin (fields past the plugin's struct_size are treated as absent),
 *     - an old host loads a new plugin (it never reads past the fields it knows).
 *   A MAJOR version is needed to remove, reorder, retype or change the meaning of any field,
 *   function signature, status code, ownership or threading rule, or the AIR / proof encodings
 *   in the build magic. A new major exports a new entry symbol (prover_plugin_entry_v2), so a
 *   library may export several majors at once and each host picks the one it speaks.
 *
 * ---------------------------------------------------------------------------------------------
 * OWNERSHIP
 *
 *   Whoever allocates frees.
 *     - Buffers a plugin returns through prover_bytes out-parameters are allocated by the plugin
 *       and released by the host with the plugin's free_buffer(). This includes every buffer of
 *       a prover_statement_v1.
 *     - Buffers the host returns (fetch results) are released by the plugin with the host's
 *       free_buffer().
 *     - Inputs passed to a call (contexts, dependency outputs, strings) are owned by the caller
 *       and valid only for the duration of the call: copy what you keep.
 *     - Message buffers (char *message, size_t message_capacity) belong to the caller; the callee
 *       writes at most message_capacity bytes including a terminating NUL. On PROVER_OK the
 *       message is ignored.
 *     - The descriptor, its strings, and the host table are static: valid until process exit.
 *
 * THREADING
 *
 *   All calls are synchronous. The host may call any plugin function from several threads at
 *   once (one task per worker thread), so plugin functions must be reentrant: keep per-call
 *   state on the stack or in allocations owned by the call. The entry function is called once,
 *   before any other function, from one thread. Host functions are thread-safe and may be called
 *   from any thread that is inside a call the host made (pass the call's prover_call handle).
 *   Plugins must not call back into the host after the call that handed them the handle returns.
 *   Long-running work should poll host->is_cancelled(call) and return PROVER_TRANSIENT (or
 *   PROVER_PERMANENT if the plugin prefers) when it is set; the host discards the result.
 *
 * DATA FORMATS
 *
 *   - Field elements: the BN254 scalar field r (PROVER_FIELD_MODULUS_LE below), as 32-byte
 *     canonical little-endian values (< r). Hosts reject non-canonical values.
 *   - Contexts: UTF-8 JSON objects. canonicalize() returns the canonical bytes (the task identity
 *     hashes them, so equal contexts must give equal bytes: sorted keys, no whitespace).
 *   - dependencies(): a UTF-8 JSON array [{"proof_type": "...", "context": {...}}, ...], in the
 *     order build_statement() receives their outputs.
 *   - AIR: the "AIR1" binary encoding, version 1 (docs/air.md).
 *   - Trace: column-major, trace_width columns of trace_length elements, 32 bytes each.
 *   - Public inputs: public_input_count elements of 32 bytes. A proof's "public outputs", which
 *     its dependents receive, are exactly its public inputs in this form.
 *   - describe(): a UTF-8 JSON object (see prover_plugin_v1.describe).
 *   - fetch(): a method name and UTF-8 JSON params; the result is UTF-8 JSON (docs/plugin-abi.md
 *     lists the chain methods: chain_getInfo, chain_getExecBlock, chain_getL2Block,
 *     chain_getCheckpoint). Field values in chain JSON are "0x" + 64 hex digits, big-endian.
 */
#ifndef PROVER_PLUGIN_H
#define PROVER_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version of this header. */
#define PROVER_ABI_MAJOR 1u
#define PROVER_ABI_MINOR 0u

/* The entry symbol of ABI major 1. */
#define PROVER_PLUGIN_ENTRY_V1 "prover_plugin_entry_v1"

/* AIR encoding and proof encoding this header describes. */
#define PROVER_AIR_MAGIC "AIR1"
#define PROVER_AIR_VERSION 1u
#define PROVER_PROOF_MAGIC "STK1"
#define PROVER_PROOF_VERSION 1u

/* The tag at the start of every build magic. */
#define PROVER_MAGIC_TAG "PRVPLUG"

/* Size of a field element in bytes. */
#define PROVER_FIELD_BYTES 32u

/* The BN254 scalar field modulus r, 32 bytes little-endian:
 * 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001 */
#define PROVER_FIELD_MODULUS_LE                                                              \
    {0x01, 0x00, 0x00, 0xf0, 0x93, 0xf5, 0xe1, 0x43, 0x91, 0x70, 0xb9, 0x79, 0x48, 0xe8, 0x33, \
     0x28, 0x5d, 0x58, 0x81, 0x81, 0xb6, 0x45, 0x50, 0xb8, 0x29, 0xa0, 0x31, 0xe1, 0x72, 0x4e, \
     0x64, 0x30}

/* ----------------------------------------------------------------------------------------- */
/* Status codes. Every call returns one. Never extended in a minor version.                   */

typedef int32_t prover_status;
enum {
    /* Success; out-parameters are set. */
    PROVER_OK = 0,
    /* The input (context, dependency outputs, fetched data request) is invalid: the same input
     * will always fail. The host reports it to the submitter and never retries. */
    PROVER_INVALID_INPUT = 1,
    /* A failure that may go away if the call is repeated later (chain source unreachable,
     * resource exhausted, cancelled). The host retries with backoff. */
    PROVER_TRANSIENT = 2,
    /* A failure that will happen again (the chain contradicts a dependency's outputs, an
     * internal invariant broke). The task fails for good. */
    PROVER_PERMANENT = 3,
};

/* Log levels for host->log. */
enum {
    PROVER_LOG_DEBUG = 0,
    PROVER_LOG_INFO = 1,
    PROVER_LOG_WARNING = 2,
    PROVER_LOG_ERROR = 3,
};

/* A byte buffer. Who frees it is stated where it is returned (see OWNERSHIP). */
typedef struct prover_bytes {
    uint8_t *data;
    size_t size;
} prover_bytes;

/* An opaque per-call handle the host passes to every plugin function; the plugin passes it
 * back to the host functions (log, fetch, is_cancelled) so the host knows which task asks. */
typedef struct prover_call prover_call;

/* ----------------------------------------------------------------------------------------- */
/* Build magic: what a plugin was compiled against. Compared field by field by the host.     */

typedef struct prover_build_magic_v1 {
    char tag[8];                    /* PROVER_MAGIC_TAG, NUL-terminated */
    uint32_t abi_major;             /* PROVER_ABI_MAJOR */
    uint32_t abi_minor;             /* PROVER_ABI_MINOR */
    uint8_t field_modulus[32];      /* PROVER_FIELD_MODULUS_LE */
    char air_magic[4];              /* "AIR1" (not NUL-terminated) */
    uint32_t air_version;           /* PROVER_AIR_VERSION */
    char proof_magic[4];            /* "STK1" (not NUL-terminated) */
    uint32_t proof_version;         /* PROVER_PROOF_VERSION */
} prover_build_magic_v1;

/* The build magic of this header, for static initializers in C plugins:
 *   static const prover_plugin_v1 descriptor = { ..., .magic = PROVER_BUILD_MAGIC_V1_INIT, ... }; */
#define PROVER_BUILD_MAGIC_V1_INIT                                                            \
    {PROVER_MAGIC_TAG, PROVER_ABI_MAJOR, PROVER_ABI_MINOR, PROVER_FIELD_MODULUS_LE,           \
     {'A', 'I', 'R', '1'}, PROVER_AIR_VERSION, {'S', 'T', 'K', '1'}, PROVER_PROOF_VERSION}

/* The same value from a function (for languages that cannot use the macro, e.g. Swift). */
static inline prover_build_magic_v1 prover_build_magic_v1_current(void) {
    prover_build_magic_v1 magic = PROVER_BUILD_MAGIC_V1_INIT;
    return magic;
}

/* ----------------------------------------------------------------------------------------- */
/* Host table: what the host offers to plugins. Static; valid until process exit.             */

typedef struct prover_host_api_v1 {
    /* sizeof(prover_host_api_v1) as the host was compiled. A plugin compiled against a newer
     * minor must check it before reading a field added later. */
    uint32_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;
    uint32_t reserved; /* zero */

    /* Writes a NUL-terminated UTF-8 message to the host's log, tagged with the plugin and task. */
    void (*log)(prover_call *call, int32_t level, const char *message);

    /* Asks the chain source. method: NUL-terminated name; params: UTF-8 JSON (may be empty for
     * "{}"). On PROVER_OK *out holds UTF-8 JSON allocated by the host: release it with
     * host->free_buffer. Not found (a block past the chain head) is PROVER_INVALID_INPUT; an
     * unreachable source is PROVER_TRANSIENT. */
    prover_status (*fetch)(prover_call *call, const char *method, const uint8_t *params, size_t params_size,
                           prover_bytes *out, char *message, size_t message_capacity);

    /* Releases a buffer the host returned (fetch). NULL is ignored. */
    void (*free_buffer)(void *data);

    /* Nonzero when the task this call works for was cancelled or timed out. Cheap; poll it. */
    int32_t (*is_cancelled)(prover_call *call);

    /* Field arithmetic on 32-byte canonical little-endian elements. out may alias an input.
     * Return PROVER_INVALID_INPUT if an input is not canonical (>= r), or for inverse(0). */
    prover_status (*fr_add)(const uint8_t a[32], const uint8_t b[32], uint8_t out[32]);
    prover_status (*fr_sub)(const uint8_t a[32], const uint8_t b[32], uint8_t out[32]);
    prover_status (*fr_mul)(const uint8_t a[32], const uint8_t b[32], uint8_t out[32]);
    prover_status (*fr_inverse)(const uint8_t a[32], uint8_t out[32]);

    /* circomlib Poseidon over BN254: hash of count (1...16) elements (count * 32 bytes), written to
     * out. Matches circomlib's poseidon(inputs) (state [0, inputs...], first element out). */
    prover_status (*poseidon_hash)(const uint8_t *inputs, size_t count, uint8_t out[32]);

    /* The Poseidon permutation of width t (2...17) with every intermediate state, for trace
     * generation: state_in is t elements; states_out receives (rounds + 1) * t elements, state k
     * being the state after k rounds (state 0 = state_in), rounds = 8 + partial_rounds(t). */
    prover_status (*poseidon_permute_trace)(uint32_t width, const uint8_t *state_in, uint8_t *states_out,
                                            size_t states_out_size);

    /* circomlib's Poseidon parameters for width t (2...17), for building AIRs: *partial_rounds
     * (full rounds are always 8), *round_constants ((8 + partial) * t elements, t per round) and
     * *mds (t * t elements, row-major), as pointers into static host storage (never freed). */
    prover_status (*poseidon_parameters)(uint32_t width, uint32_t *partial_rounds, const uint8_t **round_constants,
                                         const uint8_t **mds);
} prover_host_api_v1;

/* ----------------------------------------------------------------------------------------- */
/* Statements and dependency outputs.                                                          */

/* What build_statement() returns: an AIR, a trace that satisfies it, and the public inputs.
 * The host zero-fills it and sets struct_size before the call; the plugin fills the rest.
 * Every buffer is allocated by the plugin and released by the host with plugin->free_buffer,
 * also when the call fails (the plugin may leave any of them NULL). */
typedef struct prover_statement_v1 {
    uint32_t struct_size;      /* set by the host: sizeof(prover_statement_v1) as it knows it */
    uint32_t reserved;         /* zero */
    prover_bytes air;          /* AIR1 encoding */
    uint64_t trace_width;      /* columns; must equal the AIR's trace width */
    uint64_t trace_length;     /* rows; must equal the AIR's trace length */
    prover_bytes trace;        /* trace_width * trace_length * 32 bytes, column-major */
    uint64_t public_input_count;
    prover_bytes public_inputs; /* public_input_count * 32 bytes */
} prover_statement_v1;

/* The outputs of one dependency, in the order dependencies() listed them. */
typedef struct prover_dependency_v1 {
    const char *proof_type;       /* NUL-terminated */
    const uint8_t *context;       /* canonical context bytes */
    size_t context_size;
    const uint8_t *public_outputs; /* public_output_count * 32 bytes: the dependency's public inputs */
    size_t public_output_count;
} prover_dependency_v1;

/* ----------------------------------------------------------------------------------------- */
/* The plugin descriptor.                                                                      */

typedef struct prover_plugin_v1 {
    /* Header: fixed for every minor of major 1. */
    uint32_t abi_major;             /* PROVER_ABI_MAJOR the plugin was built with */
    uint32_t abi_minor;             /* PROVER_ABI_MINOR the plugin was built with */
    uint32_t struct_size;           /* sizeof(prover_plugin_v1) as the plugin was compiled */
    uint32_t reserved;              /* zero */
    prover_build_magic_v1 magic;    /* PROVER_BUILD_MAGIC_V1_INIT */

    /* A short name for messages (e.g. "evm-ee"), NUL-terminated, static. Required. */
    const char *name;
    /* The plugin's own version (e.g. "1.0.0"), NUL-terminated, static. Required. */
    const char *version;

    /* REQUIRED. Describes the plugin as UTF-8 JSON:
     *   {"name": "...", "version": "...", "description": "...",
     *    "proof_types": [{"name": "evm-ee-stf", "description": "...",
     *                     "context_schema": {JSON Schema}, "public_inputs": ["name", ...]}]}
     * *out is allocated by the plugin (free with free_buffer). */
    prover_status (*describe)(prover_call *call, prover_bytes *out, char *message, size_t message_capacity);

    /* REQUIRED. Validates a context for proof_type and returns its canonical bytes in *out.
     * Malformed or unsupported contexts: PROVER_INVALID_INPUT with a message. */
    prover_status (*canonicalize)(prover_call *call, const char *proof_type, const uint8_t *context,
                                  size_t context_size, prover_bytes *out, char *message, size_t message_capacity);

    /* REQUIRED. The proofs a (canonical) context depends on, as a JSON array in *out
     * ("[]" for none). May fetch from the chain (e.g. a checkpoint's L2 range). */
    prover_status (*dependencies)(prover_call *call, const char *proof_type, const uint8_t *context,
                                  size_t context_size, prover_bytes *out, char *message, size_t message_capacity);

    /* REQUIRED. Builds the statement for a (canonical) context, given the public outputs of its
     * dependencies (in the order dependencies() listed them) and data fetched through the host.
     * A dependency's outputs that contradict the chain: PROVER_PERMANENT with a message. */
    prover_status (*build_statement)(prover_call *call, const char *proof_type, const uint8_t *context,
                                     size_t context_size, const prover_dependency_v1 *dependencies,
                                     size_t dependency_count, prover_statement_v1 *out, char *message,
                                     size_t message_capacity);

    /* REQUIRED. Releases a buffer the plugin returned. NULL is ignored. */
    void (*free_buffer)(void *data);

    /* ---- Optional fields: the host reads each only if struct_size covers it and it is not NULL. */

    /* OPTIONAL. The AIR (AIR1 encoding) of a canonical context alone, without a trace or any
     * fetched data: the definition a verifier checks a proof of (proof_type, context) against.
     * The AIR may depend on the context, never on the witness; its boundary assertions refer to
     * public inputs by index. When present, the host requires build_statement's AIR to be
     * byte-identical to it (a permanent failure otherwise), and verifies dependency proofs
     * against it. *out is allocated by the plugin (free with free_buffer). */
    prover_status (*build_air)(prover_call *call, const char *proof_type, const uint8_t *context, size_t context_size,
                               prover_bytes *out, char *message, size_t message_capacity);

    /* Fields added in later minor versions go here; read them only if struct_size covers them. */
} prover_plugin_v1;

/* The smallest struct_size a v1.0 host accepts: the descriptor up to free_buffer (the required
 * fields). Optional fields after it are read only when struct_size covers them. */
#define PROVER_PLUGIN_V1_MIN_SIZE (offsetof(prover_plugin_v1, free_buffer) + sizeof(void (*)(void *)))

/* The entry point every plugin of ABI major 1 exports. Called once. Return NULL to refuse. */
typedef const prover_plugin_v1 *(*prover_plugin_entry_v1_fn)(uint32_t host_abi_major, uint32_t host_abi_minor,
                                                             const prover_host_api_v1 *host);

#if defined(__GNUC__) || defined(__clang__)
#define PROVER_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define PROVER_PLUGIN_EXPORT
#endif

/* Declare it in C plugins as:
 *   PROVER_PLUGIN_EXPORT const prover_plugin_v1 *prover_plugin_entry_v1(uint32_t, uint32_t,
 *                                                                      const prover_host_api_v1 *); */

/* Writes a NUL-terminated message into a caller's buffer, truncating (a helper for C plugins). */
static inline void prover_write_message(char *message, size_t capacity, const char *text) {
    if (message == NULL || capacity == 0) return;
    size_t i = 0;
    if (text != NULL)
        for (; i + 1 < capacity && text[i] != '\0'; i++) message[i] = text[i];
    message[i] = '\0';
}

#ifdef __cplusplus
}
#endif

#endif /* PROVER_PLUGIN_H */
