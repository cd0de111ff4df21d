/*
 * Test fixture plugins, compiled by the tests with `cc -shared -fPIC -D...` (one .so per
 * variant). The default build is a well-formed plugin; each macro breaks one thing:
 *
 *   FIXTURE_WRONG_MAJOR     descriptor says ABI major 2
 *   FIXTURE_V2_ONLY         exports only prover_plugin_entry_v2
 *   FIXTURE_NO_ENTRY        exports no entry symbol
 *   FIXTURE_REFUSE          the entry returns NULL
 *   FIXTURE_BAD_MODULUS     build magic with another field modulus
 *   FIXTURE_BAD_TAG         build magic with another tag
 *   FIXTURE_BAD_AIR         build magic with AIR encoding version 2
 *   FIXTURE_SHORT_STRUCT    struct_size smaller than ABI 1.0's descriptor
 *   FIXTURE_NULL_FUNCTION   build_statement is NULL
 *   FIXTURE_NEWER_MINOR     ABI 1.99 with a larger descriptor (fields appended): must load
 *   FIXTURE_BAD_DESCRIBE    describe() returns invalid JSON
 *   FIXTURE_AIR_MISMATCH    build_air returns another AIR than build_statement uses
 *   FIXTURE_MIN_STRUCT      struct_size covers only the required fields (an ABI 1.0 plugin built
 *                           before build_air existed) while a mismatching build_air sits past it:
 *                           the host must not read it
 *   FIXTURE_TYPE="name"     the first proof type's name (default "fixture-ok")
 *
 * Proof types (statements are a Fibonacci AIR of 8 rows, see the example plugin):
 *   FIXTURE_TYPE      honest
 *   fixture-trace-size   declares 8 rows, sends 7
 *   fixture-violation    one trace cell is wrong
 *   fixture-bad-air      AIR bytes with a bad magic
 *   fixture-inputs       two public inputs instead of three
 *   fixture-transient    fails with PROVER_TRANSIENT
 *   fixture-permanent    fails with PROVER_PERMANENT
 */
#include <stdlib.h>
#include <string.h>

#include "prover_plugin.h"

#ifndef FIXTURE_TYPE
#define FIXTURE_TYPE "fixture-ok"
#endif

static const prover_host_api_v1 *host;

static prover_bytes dup_bytes(const void *data, size_t size) {
    prover_bytes out = {malloc(size ? size : 1), size};
    memcpy(out.data, data, size);
    return out;
}

static prover_status describe(prover_call *call, prover_bytes *out, char *message, size_t capacity) {
    (void)call, (void)message, (void)capacity;
#ifdef FIXTURE_BAD_DESCRIBE
    static const char text[] = "{\"proof_types\": [";
#else
    static const char text[] =
        "{\"name\":\"fixture\",\"version\":\"0.0.1\",\"proof_types\":["
        "{\"name\":\"" FIXTURE_TYPE "\"},{\"name\":\"fixture-trace-size\"},{\"name\":\"fixture-violation\"},"
        "{\"name\":\"fixture-bad-air\"},{\"name\":\"fixture-inputs\"},{\"name\":\"fixture-transient\"},"
        "{\"name\":\"fixture-permanent\"}]}";
#endif
    *out = dup_bytes(text, strlen(text));
    return PROVER_OK;
}

static prover_status canonicalize(prover_call *call, const char *type, const uint8_t *context, size_t size,
                                  prover_bytes *out, char *message, size_t capacity) {
    (void)call, (void)type, (void)message, (void)capacity;
    *out = dup_bytes(context, size);
    return PROVER_OK;
}

static prover_status dependencies(prover_call *call, const char *type, const uint8_t *context, size_t size,
                                  prover_bytes *out, char *message, size_t capacity) {
    (void)call, (void)type, (void)context, (void)size, (void)message, (void)capacity;
    *out = dup_bytes("[]", 2);
    return PROVER_OK;
}

static void put_u32(uint8_t **p, uint32_t v) {
    for (int i = 0; i < 4; i++) *(*p)++ = (uint8_t)(v >> (8 * i));
}

/* Writes the Fibonacci AIR of n rows (magic "AIR1", or "AIR2" if bad) and returns its size. */
static size_t write_air(uint8_t *air, uint32_t n, int bad) {
    uint8_t *p = air;
    memcpy(p, bad ? "AIR2" : "AIR1", 4), p += 4;
    put_u32(&p, 1), put_u32(&p, 2), put_u32(&p, n), put_u32(&p, 0); /* version, width, length (u64) */
    put_u32(&p, 3), put_u32(&p, 0), put_u32(&p, 0);                  /* public inputs, constants, periodic */
    static const uint32_t nodes[7][3] = {{2, 0, 0}, {2, 1, 0}, {3, 0, 0}, {3, 1, 0}, {7, 2, 1}, {6, 0, 1}, {7, 3, 5}};
    put_u32(&p, 7);
    for (int i = 0; i < 7; i++) put_u32(&p, nodes[i][0]), put_u32(&p, nodes[i][1]), put_u32(&p, nodes[i][2]);
    put_u32(&p, 2), put_u32(&p, 4), put_u32(&p, 1), put_u32(&p, 6), put_u32(&p, 1);
    put_u32(&p, 3);
    put_u32(&p, 0), put_u32(&p, 0), put_u32(&p, 1), put_u32(&p, 0);
    put_u32(&p, 1), put_u32(&p, 0), put_u32(&p, 1), put_u32(&p, 1);
    put_u32(&p, 1), put_u32(&p, n - 1), put_u32(&p, 1), put_u32(&p, 2);
    return (size_t)(p - air);
}

#if defined(FIXTURE_AIR_MISMATCH) || defined(FIXTURE_MIN_STRUCT)
static prover_status build_air(prover_call *call, const char *type, const uint8_t *context, size_t size,
                               prover_bytes *out, char *message, size_t capacity) {
    (void)call, (void)type, (void)context, (void)size, (void)message, (void)capacity;
    uint8_t air[400];
    *out = dup_bytes(air, write_air(air, 16, 0));
    return PROVER_OK;
}
#endif

__attribute__((unused)) static prover_status build_statement(prover_call *call, const char *type, const uint8_t *context, size_t size,
                                     const prover_dependency_v1 *deps, size_t dep_count, prover_statement_v1 *out,
                                     char *message, size_t capacity) {
    (void)call, (void)context, (void)size, (void)deps, (void)dep_count;
    if (strcmp(type, "fixture-transient") == 0) {
        prover_write_message(message, capacity, "the chain source is resting");
        return PROVER_TRANSIENT;
    }
    if (strcmp(type, "fixture-permanent") == 0) {
        prover_write_message(message, capacity, "this will never work");
        return PROVER_PERMANENT;
    }
    const uint32_t n = 8;
    uint8_t air[400];
    size_t air_size = write_air(air, n, strcmp(type, "fixture-bad-air") == 0);

    uint8_t trace[2 * 8 * 32] = {0}, *a = trace, *b = trace + 32 * n;
    a[0] = b[0] = 1;
    for (uint32_t i = 1; i < n; i++) {
        memcpy(a + 32 * i, b + 32 * (i - 1), 32);
        host->fr_add(a + 32 * (i - 1), b + 32 * (i - 1), b + 32 * i);
    }
    if (strcmp(type, "fixture-violation") == 0) a[32 * 4] ^= 1;
    uint8_t inputs[3 * 32] = {0};
    inputs[0] = inputs[32] = 1;
    memcpy(inputs + 64, b + 32 * (n - 1), 32);

    out->air = dup_bytes(air, air_size);
    out->trace_width = 2;
    out->trace_length = n;
    out->trace = dup_bytes(trace, strcmp(type, "fixture-trace-size") == 0 ? sizeof trace - 64 : sizeof trace);
    out->public_input_count = strcmp(type, "fixture-inputs") == 0 ? 2 : 3;
    out->public_inputs = dup_bytes(inputs, 32 * out->public_input_count);
    return PROVER_OK;
}

static void free_buffer(void *data) { free(data); }

typedef struct {
    prover_plugin_v1 v1;
    void *added_in_a_later_minor[4];
} descriptor_v1_99;

static descriptor_v1_99 descriptor = {
    .v1 =
        {
#ifdef FIXTURE_WRONG_MAJOR
            .abi_major = 2,
#else
            .abi_major = PROVER_ABI_MAJOR,
#endif
#ifdef FIXTURE_NEWER_MINOR
            .abi_minor = 99,
            .struct_size = sizeof(descriptor_v1_99),
#elif defined(FIXTURE_MIN_STRUCT)
            .abi_minor = PROVER_ABI_MINOR,
            .struct_size = PROVER_PLUGIN_V1_MIN_SIZE,
#elif defined(FIXTURE_SHORT_STRUCT)
            .abi_minor = PROVER_ABI_MINOR,
            .struct_size = offsetof(prover_plugin_v1, free_buffer),
#else
            .abi_minor = PROVER_ABI_MINOR,
            .struct_size = sizeof(prover_plugin_v1),
#endif
            .magic = PROVER_BUILD_MAGIC_V1_INIT,
            .name = "fixture",
            .version = "0.0.1",
            .describe = describe,
            .canonicalize = canonicalize,
            .dependencies = dependencies,
#ifndef FIXTURE_NULL_FUNCTION
            .build_statement = build_statement,
#endif
            .free_buffer = free_buffer,
#if defined(FIXTURE_AIR_MISMATCH) || defined(FIXTURE_MIN_STRUCT)
            .build_air = build_air,
#endif
        },
};

#ifdef FIXTURE_V2_ONLY
#define ENTRY prover_plugin_entry_v2
#elif defined(FIXTURE_NO_ENTRY)
#define ENTRY something_else_entirely
#else
#define ENTRY prover_plugin_entry_v1
#endif

PROVER_PLUGIN_EXPORT const prover_plugin_v1 *ENTRY(uint32_t major, uint32_t minor, const prover_host_api_v1 *api) {
    (void)major, (void)minor;
#ifdef FIXTURE_REFUSE
    return NULL;
#endif
    host = api;
#ifdef FIXTURE_BAD_MODULUS
    descriptor.v1.magic.field_modulus[0] ^= 2;
#endif
#ifdef FIXTURE_BAD_TAG
    descriptor.v1.magic.tag[0] = 'X';
#endif
#ifdef FIXTURE_BAD_AIR
    descriptor.v1.magic.air_version = 2;
#endif
    return &descriptor.v1;
}
