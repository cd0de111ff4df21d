// Portable (scalar) BLAKE3 compression, written from the specification §2.2.
#include "blake3_internal.h"

const uint32_t cb3_iv[8] = {CB3_IV0, CB3_IV1, CB3_IV2, CB3_IV3,
                            CB3_IV4, CB3_IV5, CB3_IV6, CB3_IV7};

static inline uint32_t rotr32(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

#define G(a, b, c, d, mx, my)            \
    do {                                 \
        v[a] = v[a] + v[b] + (mx);       \
        v[d] = rotr32(v[d] ^ v[a], 16);  \
        v[c] = v[c] + v[d];              \
        v[b] = rotr32(v[b] ^ v[c], 12);  \
        v[a] = v[a] + v[b] + (my);       \
        v[d] = rotr32(v[d] ^ v[a], 8);   \
        v[c] = v[c] + v[d];              \
        v[b] = rotr32(v[b] ^ v[c], 7);   \
    } while (0)

__attribute__((always_inline)) static inline void round_fn(uint32_t v[16], const uint32_t m[16], int r) {
    const uint8_t *s = CB3_SCHED[r];
    G(0, 4, 8, 12, m[s[0]], m[s[1]]);
    G(1, 5, 9, 13, m[s[2]], m[s[3]]);
    G(2, 6, 10, 14, m[s[4]], m[s[5]]);
    G(3, 7, 11, 15, m[s[6]], m[s[7]]);
    G(0, 5, 10, 15, m[s[8]], m[s[9]]);
    G(1, 6, 11, 12, m[s[10]], m[s[11]]);
    G(2, 7, 8, 13, m[s[12]], m[s[13]]);
    G(3, 4, 9, 14, m[s[14]], m[s[15]]);
}

__attribute__((always_inline)) static inline void compress_core(const uint32_t cv[8], const uint8_t block[64], uint8_t block_len,
                                 uint64_t counter, uint8_t flags, uint32_t v[16]) {
    uint32_t m[16];
    for (int i = 0; i < 16; i++) m[i] = cb3_load32(block + 4 * i);
    for (int i = 0; i < 8; i++) v[i] = cv[i];
    v[8] = CB3_IV0; v[9] = CB3_IV1; v[10] = CB3_IV2; v[11] = CB3_IV3;
    v[12] = (uint32_t)counter;
    v[13] = (uint32_t)(counter >> 32);
    v[14] = block_len;
    v[15] = flags;
    // Unrolled with literal round numbers so the schedule folds to constants.
    round_fn(v, m, 0);
    round_fn(v, m, 1);
    round_fn(v, m, 2);
    round_fn(v, m, 3);
    round_fn(v, m, 4);
    round_fn(v, m, 5);
    round_fn(v, m, 6);
}

void cb3_compress_in_place(uint32_t cv[8], const uint8_t block[64], uint8_t block_len,
                           uint64_t counter, uint8_t flags) {
    uint32_t v[16];
    compress_core(cv, block, block_len, counter, flags, v);
    for (int i = 0; i < 8; i++) cv[i] = v[i] ^ v[i + 8];
}

void cb3_compress_xof(const uint32_t cv[8], const uint8_t block[64], uint8_t block_len,
                      uint64_t counter, uint8_t flags, uint8_t out[64]) {
    uint32_t v[16];
    compress_core(cv, block, block_len, counter, flags, v);
    for (int i = 0; i < 8; i++) {
        cb3_store32(out + 4 * i, v[i] ^ v[i + 8]);
        cb3_store32(out + 32 + 4 * i, v[i + 8] ^ cv[i]);
    }
}

void cb3_xof_many(const uint32_t cv[8], const uint8_t block[64], uint8_t block_len,
                  uint64_t first_block, uint8_t flags, uint8_t *out, size_t num_blocks) {
    for (size_t i = 0; i < num_blocks; i++) {
        cb3_compress_xof(cv, block, block_len, first_block + i, flags | CB3_ROOT, out + 64 * i);
    }
}

void cb3_hash_many_portable(const uint8_t *input, size_t stride, size_t num_inputs, size_t blocks,
                            const uint32_t key[8], uint64_t counter, bool increment_counter,
                            uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out) {
    for (size_t i = 0; i < num_inputs; i++) {
        const uint8_t *in = input + i * stride;
        uint32_t cv[8];
        for (int w = 0; w < 8; w++) cv[w] = key[w];
        uint64_t ctr = counter + (increment_counter ? (uint64_t)i : 0);
        uint8_t bflags = flags | flags_start;
        for (size_t b = 0; b < blocks; b++) {
            if (b + 1 == blocks) bflags |= flags_end;
            cb3_compress_in_place(cv, in + 64 * b, CB3_BLOCK_LEN, ctr, bflags);
            bflags = flags;
        }
        for (int w = 0; w < 8; w++) cb3_store32(out + 32 * i + 4 * w, cv[w]);
    }
}

void cb3_hash_single_chunk(const uint8_t *input, size_t len, const uint32_t key[8], uint8_t flags,
                           uint8_t out[32]) {
    uint32_t cv[8];
    for (int w = 0; w < 8; w++) cv[w] = key[w];
    size_t nblocks = len == 0 ? 1 : (len + 63) / 64;
    for (size_t b = 0; b + 1 < nblocks; b++) {
        cb3_compress_in_place(cv, input + 64 * b, CB3_BLOCK_LEN, 0, flags | (b == 0 ? CB3_CHUNK_START : 0));
    }
    uint8_t last[64] = {0};
    size_t last_len = len - 64 * (nblocks - 1);
    if (last_len > 0) memcpy(last, input + 64 * (nblocks - 1), last_len);
    uint8_t last_flags = flags | CB3_CHUNK_END | CB3_ROOT | (nblocks == 1 ? CB3_CHUNK_START : 0);
    cb3_compress_in_place(cv, last, (uint8_t)last_len, 0, last_flags);
    for (int w = 0; w < 8; w++) cb3_store32(out + 4 * w, cv[w]);
}
