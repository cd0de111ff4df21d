// Our C kernels (Sources/CBlake3) and the official BLAKE3 C implementation (BLAKE3-team/BLAKE3,
// c/, with its assembly) linked into one process and timed alternately on every repetition, so
// that clock and load drift hit both alike. Separate processes (scripts/peers/blake3-c's main
// figures) cannot resolve differences of 1-2 %; this harness can. Prints JSON lines:
//   blake3.1MiB            one 1 MiB input: cb3_subtree_children + root vs blake3_hasher_update
//   blake3.kernel_1024     1,024 whole chunks through the 16-lane kernels (hash_many)
//   blake3.hash_many_64B   4,096 independent 64-byte messages
// each with both medians and min, and the ratio official time / our time (> 1: ours faster).
// Built by scripts/peers/blake3-c against the upstream sources; nothing of it is installed.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "blake3.h"
#include "blake3_impl.h"
#include "peer_timing.h"
#include "cblake3.h"

enum { MIB = 1 << 20, REPS = 201, ROUNDS = 5, COUNT = 4096 };

typedef void (*body_fn)(void *context);

// Runs `ours` and `official` alternately REPS times (after one warm-up each), ROUNDS times,
// and prints the median over rounds of each round's medians and mins.
static void compare_bodies(const char *name, double bytes, body_fn ours, body_fn official, void *context) {
    double ratio_median[ROUNDS], ratio_min[ROUNDS], ours_median[ROUNDS], official_median[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
        double a[REPS], b[REPS];
        for (int r = -1; r < REPS; r++) {
            double t = now_ns();
            official(context);
            double u = now_ns();
            ours(context);
            double v = now_ns();
            if (r >= 0) {
                a[r] = u - t;
                b[r] = v - u;
            }
        }
        qsort(a, REPS, sizeof(double), compare);
        qsort(b, REPS, sizeof(double), compare);
        ratio_median[round] = a[REPS / 2] / b[REPS / 2];
        ratio_min[round] = a[0] / b[0];
        ours_median[round] = b[REPS / 2];
        official_median[round] = a[REPS / 2];
    }
    qsort(ratio_median, ROUNDS, sizeof(double), compare);
    qsort(ratio_min, ROUNDS, sizeof(double), compare);
    qsort(ours_median, ROUNDS, sizeof(double), compare);
    qsort(official_median, ROUNDS, sizeof(double), compare);
    printf("{\"suite\":\"peer-interleaved\",\"case\":\"%s\",\"ours_ns\":%.1f,\"official_ns\":%.1f,"
           "\"ours_MiB_per_s\":%.1f,\"official_MiB_per_s\":%.1f,"
           "\"official_over_ours_median\":%.4f,\"official_over_ours_min\":%.4f}\n",
           name, ours_median[ROUNDS / 2], official_median[ROUNDS / 2],
           bytes / ours_median[ROUNDS / 2] * 1e9 / MIB, bytes / official_median[ROUNDS / 2] * 1e9 / MIB,
           ratio_median[ROUNDS / 2], ratio_min[ROUNDS / 2]);
}

struct context {
    const uint8_t *data;              // 1 MiB
    const uint8_t *inputs[1024];      // chunk pointers into data
    uint8_t ours_out[1024 * 32], official_out[1024 * 32];
    uint8_t *messages;                // COUNT * 64 bytes
    const uint8_t *message_inputs[COUNT];
    uint8_t *ours_digests, *official_digests;
};

static void ours_mib(void *p) {
    struct context *c = p;
    uint8_t children[64], root[64];
    cb3_subtree_children(cb3_active_backend(), c->data, 1024, cb3_iv, 0, 0, children);
    cb3_compress_xof(cb3_iv, children, CB3_BLOCK_LEN, 0, CB3_PARENT | CB3_ROOT, root);
    memcpy(c->ours_out, root, 32);
}

static void official_mib(void *p) {
    struct context *c = p;
    blake3_hasher h;
    blake3_hasher_init(&h);
    blake3_hasher_update(&h, c->data, MIB);
    blake3_hasher_finalize(&h, c->official_out, 32);
}

static void ours_kernel(void *p) {
    struct context *c = p;
    cb3_hash_many(c->data, CB3_CHUNK_LEN, 1024, CB3_CHUNK_LEN / CB3_BLOCK_LEN, cb3_iv, 0, true, 0,
                  CB3_CHUNK_START, CB3_CHUNK_END, c->ours_out);
}

static void official_kernel(void *p) {
    struct context *c = p;
    blake3_hash_many(c->inputs, 1024, CB3_CHUNK_LEN / CB3_BLOCK_LEN, IV, 0, true, 0, CHUNK_START, CHUNK_END,
                     c->official_out);
}

static void ours_many(void *p) {
    struct context *c = p;
    cb3_hash_many(c->messages, 64, COUNT, 1, cb3_iv, 0, false, 0, CB3_CHUNK_START,
                  CB3_CHUNK_END | CB3_ROOT, c->ours_digests);
}

static void official_many(void *p) {
    struct context *c = p;
    blake3_hash_many(c->message_inputs, COUNT, 1, IV, 0, false, 0, CHUNK_START, CHUNK_END | ROOT,
                     c->official_digests);
}

static int agree(const char *what, const uint8_t *a, const uint8_t *b, size_t n) {
    if (memcmp(a, b, n) == 0) return 1;
    fprintf(stderr, "%s: ours and the official implementation disagree\n", what);
    return 0;
}

int main(void) {
    static struct context c;
    uint8_t *data = malloc(MIB);
    for (size_t i = 0; i < MIB; i++) data[i] = (uint8_t)(i * 31 + 7);
    c.data = data;
    for (size_t i = 0; i < 1024; i++) c.inputs[i] = data + CB3_CHUNK_LEN * i;
    c.messages = malloc(64 * COUNT);
    c.ours_digests = malloc(32 * COUNT);
    c.official_digests = malloc(32 * COUNT);
    for (size_t i = 0; i < 64 * COUNT; i++) c.messages[i] = (uint8_t)(i * 31);
    for (size_t i = 0; i < COUNT; i++) c.message_inputs[i] = c.messages + 64 * i;

    compare_bodies("blake3.1MiB", MIB, ours_mib, official_mib, &c);
    if (!agree("1 MiB", c.ours_out, c.official_out, 32)) return 1;
    compare_bodies("blake3.kernel_1024", MIB, ours_kernel, official_kernel, &c);
    if (!agree("1,024 chunks", c.ours_out, c.official_out, sizeof c.ours_out)) return 1;
    compare_bodies("blake3.hash_many_64B", 64.0 * COUNT, ours_many, official_many, &c);
    if (!agree("hash_many 64 B", c.ours_digests, c.official_digests, 32 * COUNT)) return 1;
    return 0;
}
