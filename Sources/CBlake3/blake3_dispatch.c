// Runtime CPU dispatch, batching across kernel widths, and complete-subtree
// hashing (spec §2.5: parent nodes over pairs of chaining values).
#include "blake3_internal.h"
#include <stdlib.h>
#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

int cb3_online_cpus(void) {
#if defined(_SC_NPROCESSORS_ONLN)
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
#else
    return 1;
#endif
}

#define CB3_UNSET (-2)

static int g_forced = CB3_UNSET;   // CB3_UNSET: not read yet; -1: automatic
static int g_detected = CB3_UNSET;

cb3_backend cb3_detected_backend(void) {
    int d = __atomic_load_n(&g_detected, __ATOMIC_RELAXED);
    if (d != CB3_UNSET) return (cb3_backend)d;
    d = CB3_BACKEND_PORTABLE;
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse4.1")) d = CB3_BACKEND_SSE41;
    if (__builtin_cpu_supports("avx2")) d = CB3_BACKEND_AVX2;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) d = CB3_BACKEND_AVX512;
#endif
    __atomic_store_n(&g_detected, d, __ATOMIC_RELAXED);
    return (cb3_backend)d;
}

bool cb3_backend_supported(cb3_backend backend) {
    return (int)backend >= 0 && (int)backend <= (int)cb3_detected_backend();
}

static int backend_from_env(void) {
    const char *s = getenv("PROVER_BLAKE3_BACKEND");
    if (s == NULL) return -1;
    int b = -1;
    if (strcmp(s, "portable") == 0) b = CB3_BACKEND_PORTABLE;
    else if (strcmp(s, "sse41") == 0) b = CB3_BACKEND_SSE41;
    else if (strcmp(s, "avx2") == 0) b = CB3_BACKEND_AVX2;
    else if (strcmp(s, "avx512") == 0) b = CB3_BACKEND_AVX512;
    if (b >= 0 && !cb3_backend_supported((cb3_backend)b)) b = -1;
    return b;
}

cb3_backend cb3_active_backend(void) {
    int f = __atomic_load_n(&g_forced, __ATOMIC_RELAXED);
    if (f == CB3_UNSET) {
        f = backend_from_env();
        int expected = CB3_UNSET;
        if (!__atomic_compare_exchange_n(&g_forced, &expected, f, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
            f = expected;
        }
    }
    return f >= 0 ? (cb3_backend)f : cb3_detected_backend();
}

bool cb3_force_backend(int backend) {
    if (backend < 0) {
        __atomic_store_n(&g_forced, -1, __ATOMIC_RELAXED);
        return true;
    }
    if (backend > CB3_BACKEND_AVX512 || !cb3_backend_supported((cb3_backend)backend)) return false;
    __atomic_store_n(&g_forced, backend, __ATOMIC_RELAXED);
    return true;
}

void cb3_hash_many_backend(cb3_backend backend, const uint8_t *input, size_t stride,
                           size_t num_inputs, size_t blocks, const uint32_t key[8],
                           uint64_t counter, bool increment_counter, uint8_t flags,
                           uint8_t flags_start, uint8_t flags_end, uint8_t *out) {
    if (blocks == 0) return;
    size_t i = 0;
#define CB3_ARGS(n_done)                                                                         \
    input + (n_done) * stride, stride, blocks, key, counter + (increment_counter ? (n_done) : 0), \
        increment_counter, flags, flags_start, flags_end, out + 32 * (n_done)
#if defined(__x86_64__)
    if (backend >= CB3_BACKEND_AVX512) {
        for (; num_inputs - i >= 16; i += 16) cb3_hash16_avx512(CB3_ARGS(i));
    }
    if (backend >= CB3_BACKEND_AVX2) {
        for (; num_inputs - i >= 8; i += 8) cb3_hash8_avx2(CB3_ARGS(i));
    }
    if (backend >= CB3_BACKEND_SSE41) {
        for (; num_inputs - i >= 4; i += 4) cb3_hash4_sse41(CB3_ARGS(i));
    }
#else
    (void)backend;
#endif
    if (i < num_inputs) {
        cb3_hash_many_portable(input + i * stride, stride, num_inputs - i, blocks, key,
                               counter + (increment_counter ? i : 0), increment_counter, flags,
                               flags_start, flags_end, out + 32 * i);
    }
#undef CB3_ARGS
}

void cb3_hash_many(const uint8_t *input, size_t stride, size_t num_inputs, size_t blocks,
                   const uint32_t key[8], uint64_t counter, bool increment_counter,
                   uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out) {
    cb3_hash_many_backend(cb3_active_backend(), input, stride, num_inputs, blocks, key, counter,
                          increment_counter, flags, flags_start, flags_end, out);
}

// Largest batch of chunks hashed in one go by the generic path: their CVs live on the stack.
#define CB3_MAX_SUBTREE_CHUNKS 512

// Merges `n` row-major chaining values (n a power of two) level by level down to `want`
// (1 or 2), into `out`.
static void reduce_cvs(cb3_backend backend, const uint8_t *cvs, size_t n, size_t want, const uint32_t key[8],
                       uint8_t flags, uint8_t *out) {
    uint8_t a[CB3_MAX_SUBTREE_CHUNKS / 2 * 32], b[CB3_MAX_SUBTREE_CHUNKS / 4 * 32];
    const uint8_t *cur = cvs;
    for (int step = 0; n > want; step++, n /= 2) {
        uint8_t *next = step % 2 == 0 ? a : b;
        cb3_hash_many_backend(backend, cur, CB3_BLOCK_LEN, n / 2, 1, key, 0, false, flags | CB3_PARENT, 0, 0, next);
        cur = next;
    }
    memcpy(out, cur, 32 * want);
}

// The subtree reduced to `want` chaining values: its own (1) or its two halves' (2).
static void subtree_reduce(cb3_backend backend, const uint8_t *input, size_t num_chunks, const uint32_t key[8],
                           uint64_t chunk_counter, uint8_t flags, size_t want, uint8_t *out) {
#if defined(__x86_64__)
    if (backend >= CB3_BACKEND_AVX512 && num_chunks >= 32 && num_chunks <= CB3_SUBTREE16_MAX_CHUNKS &&
        chunk_counter % 16 == 0) {
        uint8_t parts[16 * 32];
        cb3_subtree16_avx512(input, num_chunks, key, chunk_counter, flags, parts);
        reduce_cvs(backend, parts, 16, want, key, flags, out);
        return;
    }
#endif
    if (num_chunks > CB3_MAX_SUBTREE_CHUNKS) {
        size_t half = num_chunks / 2;
        uint8_t pair[64];
        subtree_reduce(backend, input, half, key, chunk_counter, flags, 1, pair);
        subtree_reduce(backend, input + half * CB3_CHUNK_LEN, half, key, chunk_counter + half, flags, 1, pair + 32);
        reduce_cvs(backend, pair, 2, want, key, flags, out);
        return;
    }
    uint8_t cvs[CB3_MAX_SUBTREE_CHUNKS * 32];
    cb3_hash_many_backend(backend, input, CB3_CHUNK_LEN, num_chunks, CB3_CHUNK_LEN / CB3_BLOCK_LEN, key,
                          chunk_counter, true, flags, CB3_CHUNK_START, CB3_CHUNK_END, cvs);
    reduce_cvs(backend, cvs, num_chunks, want, key, flags, out);
}

void cb3_subtree_cv(cb3_backend backend, const uint8_t *input, size_t num_chunks, const uint32_t key[8],
                    uint64_t chunk_counter, uint8_t flags, uint8_t out[32]) {
    subtree_reduce(backend, input, num_chunks, key, chunk_counter, flags, 1, out);
}

void cb3_subtree_children(cb3_backend backend, const uint8_t *input, size_t num_chunks, const uint32_t key[8],
                          uint64_t chunk_counter, uint8_t flags, uint8_t out[64]) {
    subtree_reduce(backend, input, num_chunks, key, chunk_counter, flags, 2, out);
}
