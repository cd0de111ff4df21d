/*
 * An example proof-type plugin in plain C: no Swift, only prover_plugin.h.
 *
 * Proof type "example-fibonacci": context {"length": N} with N a power of two in 4...65536.
 * The statement: a two-column Fibonacci trace (a, b) -> (b, a + b) of N rows starting at (1, 1);
 * public inputs [1, 1, b at the last row]. Field additions go through the host table, and the
 * AIR1 bytes are written by hand (docs/air.md, "Binary encoding").
 *
 * Build it without SwiftPM:
 *   cc -shared -fPIC -O2 -I Sources/CProverABI/include Plugins/ExampleC/example_c_plugin.c \
 *      -o libExampleC.so
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prover_plugin.h"

static const prover_host_api_v1 *host;

/* ---- a growable byte buffer ---------------------------------------------------------------- */

typedef struct {
    uint8_t *data;
    size_t size, capacity;
    int failed;
} buffer;

static void put(buffer *b, const void *bytes, size_t n) {
    if (b->failed) return;
    if (b->size + n > b->capacity) {
        size_t cap = b->capacity ? b->capacity * 2 : 256;
        while (cap < b->size + n) cap *= 2;
        uint8_t *p = realloc(b->data, cap);
        if (!p) { b->failed = 1; return; }
        b->data = p;
        b->capacity = cap;
    }
    memcpy(b->data + b->size, bytes, n);
    b->size += n;
}

static void put_u32(buffer *b, uint32_t v) {
    uint8_t le[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24};
    put(b, le, 4);
}

static void put_u64(buffer *b, uint64_t v) {
    put_u32(b, (uint32_t)v);
    put_u32(b, (uint32_t)(v >> 32));
}

static prover_bytes give(buffer *b) {
    prover_bytes out = {b->data, b->size};
    return out;
}

/* ---- the context: {"length": N} ----------------------------------------------------------- */

static const char *skip_space(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

/* Parses exactly one object with one member "length": a power of two in 4...65536. */
static int parse_context(const uint8_t *context, size_t size, uint64_t *length, char *message, size_t capacity) {
    const char *p = (const char *)context, *end = p + size;
    static const char key[] = "\"length\"";
    p = skip_space(p, end);
    if (p == end || *p++ != '{') goto bad;
    p = skip_space(p, end);
    if ((size_t)(end - p) < sizeof key - 1 || memcmp(p, key, sizeof key - 1) != 0) goto bad;
    p = skip_space(p + sizeof key - 1, end);
    if (p == end || *p++ != ':') goto bad;
    p = skip_space(p, end);
    uint64_t n = 0;
    int digits = 0;
    while (p < end && *p >= '0' && *p <= '9' && digits < 7) n = n * 10 + (uint64_t)(*p++ - '0'), digits++;
    if (digits == 0 || (p < end && *p >= '0' && *p <= '9')) goto bad;
    p = skip_space(p, end);
    if (p == end || *p++ != '}') goto bad;
    if (skip_space(p, end) != end) goto bad;
    if (n < 4 || n > 65536 || (n & (n - 1)) != 0) {
        prover_write_message(message, capacity, "\"length\" must be a power of two in 4...65536");
        return 0;
    }
    *length = n;
    return 1;
bad:
    prover_write_message(message, capacity, "context must be {\"length\": N}");
    return 0;
}

/* ---- plugin functions --------------------------------------------------------------------- */

static const char description[] =
    "{\"name\":\"example-c\",\"version\":\"1.0.0\","
    "\"description\":\"An example plugin in plain C: the Fibonacci sequence over the BN254 scalar field.\","
    "\"proof_types\":[{\"name\":\"example-fibonacci\","
    "\"description\":\"b at the last row of a Fibonacci trace of the given length starting at (1, 1)\","
    "\"context_schema\":{\"type\":\"object\",\"required\":[\"length\"],\"additionalProperties\":false,"
    "\"properties\":{\"length\":{\"type\":\"integer\",\"description\":\"rows, a power of two in 4...65536\"}}},"
    "\"public_inputs\":[\"a0\",\"b0\",\"b_last\"]}]}";

static prover_status copy_out(const char *text, prover_bytes *out, char *message, size_t capacity) {
    buffer b = {0};
    put(&b, text, strlen(text));
    if (b.failed) {
        free(b.data);
        prover_write_message(message, capacity, "out of memory");
        return PROVER_TRANSIENT;
    }
    *out = give(&b);
    return PROVER_OK;
}

static int known_type(const char *proof_type, char *message, size_t capacity) {
    if (proof_type && strcmp(proof_type, "example-fibonacci") == 0) return 1;
    prover_write_message(message, capacity, "unknown proof type");
    return 0;
}

static prover_status describe(prover_call *call, prover_bytes *out, char *message, size_t capacity) {
    (void)call;
    return copy_out(description, out, message, capacity);
}

static prover_status canonicalize(prover_call *call, const char *proof_type, const uint8_t *context, size_t size,
                                  prover_bytes *out, char *message, size_t capacity) {
    (void)call;
    uint64_t n;
    if (!known_type(proof_type, message, capacity) || !parse_context(context, size, &n, message, capacity))
        return PROVER_INVALID_INPUT;
    char text[64];
    snprintf(text, sizeof text, "{\"length\":%llu}", (unsigned long long)n);
    return copy_out(text, out, message, capacity);
}

static prover_status dependencies(prover_call *call, const char *proof_type, const uint8_t *context, size_t size,
                                  prover_bytes *out, char *message, size_t capacity) {
    (void)call, (void)context, (void)size;
    if (!known_type(proof_type, message, capacity)) return PROVER_INVALID_INPUT;
    return copy_out("[]", out, message, capacity);
}

/* AIR1: columns (a, b); a' = b, b' = a + b; a[0] = pub 0, b[0] = pub 1, b[n-1] = pub 2. */
static void write_air(buffer *b, uint64_t n) {
    put(b, "AIR1", 4);
    put_u32(b, 1);     /* version */
    put_u32(b, 2);     /* trace width */
    put_u64(b, n);     /* trace length */
    put_u32(b, 3);     /* public inputs */
    put_u32(b, 0);     /* constants */
    put_u32(b, 0);     /* periodic columns */
    static const uint32_t nodes[][3] = {
        {2, 0, 0}, /* 0: current a */
        {2, 1, 0}, /* 1: current b */
        {3, 0, 0}, /* 2: next a */
        {3, 1, 0}, /* 3: next b */
        {7, 2, 1}, /* 4: next a - b */
        {6, 0, 1}, /* 5: a + b */
        {7, 3, 5}, /* 6: next b - (a + b) */
    };
    put_u32(b, 7);
    for (int i = 0; i < 7; i++) put_u32(b, nodes[i][0]), put_u32(b, nodes[i][1]), put_u32(b, nodes[i][2]);
    put_u32(b, 2); /* constraints: root, degree */
    put_u32(b, 4), put_u32(b, 1);
    put_u32(b, 6), put_u32(b, 1);
    put_u32(b, 3); /* boundaries: column, row, kind (1 = public input), index */
    put_u32(b, 0), put_u32(b, 0), put_u32(b, 1), put_u32(b, 0);
    put_u32(b, 1), put_u32(b, 0), put_u32(b, 1), put_u32(b, 1);
    put_u32(b, 1), put_u32(b, (uint32_t)(n - 1)), put_u32(b, 1), put_u32(b, 2);
}

static prover_status build_statement(prover_call *call, const char *proof_type, const uint8_t *context, size_t size,
                                     const prover_dependency_v1 *deps, size_t dep_count, prover_statement_v1 *out,
                                     char *message, size_t capacity) {
    (void)deps;
    uint64_t n;
    if (!known_type(proof_type, message, capacity) || !parse_context(context, size, &n, message, capacity))
        return PROVER_INVALID_INPUT;
    if (dep_count != 0) {
        prover_write_message(message, capacity, "example-fibonacci has no dependencies");
        return PROVER_INVALID_INPUT;
    }
    buffer air = {0};
    write_air(&air, n);
    uint8_t *trace = calloc(2 * n, 32), *inputs = calloc(3, 32);
    if (air.failed || !trace || !inputs) {
        free(air.data), free(trace), free(inputs);
        prover_write_message(message, capacity, "out of memory");
        return PROVER_TRANSIENT;
    }
    uint8_t *a = trace, *b = trace + 32 * n; /* column-major */
    a[0] = 1;
    b[0] = 1;
    for (uint64_t i = 1; i < n; i++) {
        memcpy(a + 32 * i, b + 32 * (i - 1), 32);
        if (host->fr_add(a + 32 * (i - 1), b + 32 * (i - 1), b + 32 * i) != PROVER_OK) {
            free(air.data), free(trace), free(inputs);
            prover_write_message(message, capacity, "field addition failed");
            return PROVER_PERMANENT;
        }
        if ((i & 1023) == 0 && host->is_cancelled(call)) {
            free(air.data), free(trace), free(inputs);
            prover_write_message(message, capacity, "cancelled");
            return PROVER_TRANSIENT;
        }
    }
    inputs[0] = 1;
    inputs[32] = 1;
    memcpy(inputs + 64, b + 32 * (n - 1), 32);
    out->air = give(&air);
    out->trace_width = 2;
    out->trace_length = n;
    out->trace.data = trace;
    out->trace.size = 2 * n * 32;
    out->public_input_count = 3;
    out->public_inputs.data = inputs;
    out->public_inputs.size = 3 * 32;
    return PROVER_OK;
}

/* The AIR of a context alone: what a proof of it is verified against. */
static prover_status build_air(prover_call *call, const char *proof_type, const uint8_t *context, size_t size,
                               prover_bytes *out, char *message, size_t capacity) {
    (void)call;
    uint64_t n;
    if (!known_type(proof_type, message, capacity) || !parse_context(context, size, &n, message, capacity))
        return PROVER_INVALID_INPUT;
    buffer air = {0};
    write_air(&air, n);
    if (air.failed) {
        free(air.data);
        prover_write_message(message, capacity, "out of memory");
        return PROVER_TRANSIENT;
    }
    *out = give(&air);
    return PROVER_OK;
}

static void free_buffer(void *data) { free(data); }

static const prover_plugin_v1 descriptor = {
    .abi_major = PROVER_ABI_MAJOR,
    .abi_minor = PROVER_ABI_MINOR,
    .struct_size = sizeof(prover_plugin_v1),
    .magic = PROVER_BUILD_MAGIC_V1_INIT,
    .name = "example-c",
    .version = "1.0.0",
    .describe = describe,
    .canonicalize = canonicalize,
    .dependencies = dependencies,
    .build_statement = build_statement,
    .free_buffer = free_buffer,
    .build_air = build_air,
};

PROVER_PLUGIN_EXPORT const prover_plugin_v1 *prover_plugin_entry_v1(uint32_t host_abi_major, uint32_t host_abi_minor,
                                                                    const prover_host_api_v1 *host_api) {
    (void)host_abi_minor;
    /* This plugin uses only ABI 1.0 host functions: any 1.x host will do. */
    if (host_abi_major != PROVER_ABI_MAJOR || host_api == NULL ||
        host_api->struct_size < offsetof(prover_host_api_v1, poseidon_parameters) + sizeof(void *))
        return NULL;
    host = host_api;
    return &descriptor;
}
