// Checks the AVX-512 BLAKE3 kernel on a CPU without AVX-512: scripts/test-avx512-emulated
// builds Sources/CBlake3 with SIMDe's AVX-512 intrinsics (implemented with AVX2) and runs
// this against the portable kernel, which the Swift tests check on the official vectors.
//   blake3_avx512_emulated HASH16384   (the official hash of the 16,384-byte test input)
#include "blake3_internal.h"
#include <stdio.h>
#include <stdlib.h>

static int passed = 0, failed = 0;

static void check(int ok, const char *what, size_t detail) {
    if (ok) {
        passed++;
    } else {
        failed++;
        if (failed <= 10) fprintf(stderr, "FAIL %s (%zu)\n", what, detail);
    }
}

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next_random(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

// The kernel itself: 16 lanes against the portable code, over block counts, strides,
// counters that cross 2^32 between lanes, counter increment on and off, and every flag mix.
static void kernel_agrees_with_portable(void) {
    enum { MAX_STRIDE = 1024 + 64, MAX_BLOCKS = 16 };
    static uint8_t input[16 * MAX_STRIDE];
    const size_t strides[] = {64, 1024, MAX_STRIDE};
    const uint64_t counters[] = {0, 5, 0xFFFFFFF8u, (1ull << 40) + 3};
    const uint8_t flag_sets[][3] = {
        {0, CB3_CHUNK_START, CB3_CHUNK_END},
        {CB3_KEYED_HASH, CB3_CHUNK_START, CB3_CHUNK_END},
        {CB3_PARENT, 0, 0},
        {CB3_DERIVE_KEY_MATERIAL, CB3_CHUNK_START, CB3_CHUNK_END | CB3_ROOT},
    };
    for (size_t round = 0; round < 4; round++) {
        for (size_t i = 0; i < sizeof input; i++) input[i] = (uint8_t)next_random();
        uint32_t key[8];
        for (int w = 0; w < 8; w++) key[w] = round == 0 ? cb3_iv[w] : (uint32_t)next_random();
        for (size_t s = 0; s < 3; s++)
            for (size_t blocks = 1; blocks <= strides[s] / 64 && blocks <= MAX_BLOCKS; blocks++)
                for (size_t c = 0; c < 4; c++)
                    for (int inc = 0; inc < 2; inc++)
                        for (size_t f = 0; f < 4; f++) {
                            uint8_t ours[16 * 32], want[16 * 32];
                            cb3_hash16_avx512(input, strides[s], blocks, key, counters[c], inc, flag_sets[f][0],
                                              flag_sets[f][1], flag_sets[f][2], ours);
                            cb3_hash_many_portable(input, strides[s], 16, blocks, key, counters[c], inc,
                                                   flag_sets[f][0], flag_sets[f][1], flag_sets[f][2], want);
                            check(memcmp(ours, want, sizeof ours) == 0, "cb3_hash16_avx512 vs portable", blocks);
                        }
    }
}

// The dispatch: batches of every size from 0 to 40 with the AVX-512 backend (16 lanes, then
// the AVX2, SSE4.1 and portable remainders), and whole subtrees of up to 1,100 chunks.
static void dispatch_agrees_with_portable(void) {
    enum { MAX_CHUNKS = 1100 };
    uint8_t *input = malloc((size_t)MAX_CHUNKS * CB3_CHUNK_LEN);
    for (size_t i = 0; i < (size_t)MAX_CHUNKS * CB3_CHUNK_LEN; i++) input[i] = (uint8_t)next_random();
    for (size_t n = 0; n <= 40; n++) {
        uint8_t ours[40 * 32], want[40 * 32];
        cb3_hash_many_backend(CB3_BACKEND_AVX512, input, CB3_CHUNK_LEN, n, 16, cb3_iv, 7, true, 0,
                              CB3_CHUNK_START, CB3_CHUNK_END, ours);
        cb3_hash_many_backend(CB3_BACKEND_PORTABLE, input, CB3_CHUNK_LEN, n, 16, cb3_iv, 7, true, 0,
                              CB3_CHUNK_START, CB3_CHUNK_END, want);
        check(memcmp(ours, want, 32 * n) == 0, "hash_many with the AVX-512 backend", n);
    }
    // Counter 3 keeps the generic path; aligned counters (including one whose low word is
    // about to carry into the high word) take the word-major subtree pass from 32 chunks up.
    const size_t chunk_counts[] = {1, 2, 16, 32, 64, 512, 1024};
    const uint64_t counters[] = {3, 0, 2048, ((uint64_t)1 << 32) - 512};
    for (size_t c = 0; c < sizeof counters / sizeof counters[0]; c++) {
        for (size_t k = 0; k < sizeof chunk_counts / sizeof chunk_counts[0]; k++) {
            uint8_t ours[64], want[64];
            cb3_subtree_cv(CB3_BACKEND_AVX512, input, chunk_counts[k], cb3_iv, counters[c], 0, ours);
            cb3_subtree_cv(CB3_BACKEND_PORTABLE, input, chunk_counts[k], cb3_iv, counters[c], 0, want);
            check(memcmp(ours, want, 32) == 0, "subtree with the AVX-512 backend", chunk_counts[k]);
            if (chunk_counts[k] < 2) continue;
            cb3_subtree_children(CB3_BACKEND_AVX512, input, chunk_counts[k], cb3_iv, counters[c], CB3_KEYED_HASH, ours);
            cb3_subtree_children(CB3_BACKEND_PORTABLE, input, chunk_counts[k], cb3_iv, counters[c], CB3_KEYED_HASH, want);
            check(memcmp(ours, want, 64) == 0, "subtree children with the AVX-512 backend", chunk_counts[k]);
        }
    }
    free(input);
}

// One official answer end to end: the 16,384-byte input (byte i = i mod 251) is 16 chunks, one
// AVX-512 batch; its parents are hashed level by level and the root compression gives the hash.
static void official_vector_16384(const char *expected_hex) {
    static uint8_t input[16 * CB3_CHUNK_LEN];
    for (size_t i = 0; i < sizeof input; i++) input[i] = (uint8_t)(i % 251);
    uint8_t level[16 * 32], next[8 * 32];
    cb3_hash_many_backend(CB3_BACKEND_AVX512, input, CB3_CHUNK_LEN, 16, CB3_CHUNK_LEN / CB3_BLOCK_LEN, cb3_iv,
                          0, true, 0, CB3_CHUNK_START, CB3_CHUNK_END, level);
    for (size_t n = 16; n > 2; n /= 2) {
        cb3_hash_many_backend(CB3_BACKEND_AVX512, level, 64, n / 2, 1, cb3_iv, 0, false, CB3_PARENT, 0, 0, next);
        memcpy(level, next, 32 * (n / 2));
    }
    uint8_t root[64];
    cb3_compress_xof(cb3_iv, level, CB3_BLOCK_LEN, 0, CB3_PARENT | CB3_ROOT, root);
    char hex[65];
    for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", root[i]);
    check(strcmp(hex, expected_hex) == 0, "official hash of the 16,384-byte input", 16384);
}

int main(int argc, char **argv) {
    if (argc != 2 || strlen(argv[1]) != 64) {
        fprintf(stderr, "usage: %s HASH16384\n", argv[0]);
        return 2;
    }
    kernel_agrees_with_portable();
    dispatch_agrees_with_portable();
    official_vector_16384(argv[1]);
    printf("AVX-512 BLAKE3 kernel (emulated): %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
