// Internal constants and helpers shared by the kernels.
// Source of the constants: BLAKE3 specification, §2.2 (IV) and §2.2 (message
// permutation); SCHED[r] is the permutation applied r times.
#ifndef CBLAKE3_INTERNAL_H
#define CBLAKE3_INTERNAL_H

#include "cblake3.h"
#include <string.h>

#define CB3_IV0 0x6A09E667u
#define CB3_IV1 0xBB67AE85u
#define CB3_IV2 0x3C6EF372u
#define CB3_IV3 0xA54FF53Au
#define CB3_IV4 0x510E527Fu
#define CB3_IV5 0x9B05688Cu
#define CB3_IV6 0x1F83D9ABu
#define CB3_IV7 0x5BE0CD19u

static const uint8_t CB3_SCHED[7][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8},
    {3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1},
    {10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6},
    {12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4},
    {9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7},
    {11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13},
};

static inline uint32_t cb3_load32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline void cb3_store32(uint8_t *p, uint32_t w) {
    p[0] = (uint8_t)w;
    p[1] = (uint8_t)(w >> 8);
    p[2] = (uint8_t)(w >> 16);
    p[3] = (uint8_t)(w >> 24);
}

void cb3_hash_many_portable(const uint8_t *input, size_t stride, size_t num_inputs, size_t blocks,
                            const uint32_t key[8], uint64_t counter, bool increment_counter,
                            uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out);

#if defined(__x86_64__)
// Each processes exactly LANES inputs (4, 8, 16).
void cb3_hash4_sse41(const uint8_t *input, size_t stride, size_t blocks, const uint32_t key[8],
                     uint64_t counter, bool increment_counter, uint8_t flags,
                     uint8_t flags_start, uint8_t flags_end, uint8_t *out);
void cb3_hash8_avx2(const uint8_t *input, size_t stride, size_t blocks, const uint32_t key[8],
                    uint64_t counter, bool increment_counter, uint8_t flags,
                    uint8_t flags_start, uint8_t flags_end, uint8_t *out);
void cb3_hash16_avx512(const uint8_t *input, size_t stride, size_t blocks, const uint32_t key[8],
                       uint64_t counter, bool increment_counter, uint8_t flags,
                       uint8_t flags_start, uint8_t flags_end, uint8_t *out);

// Levels of pending groups in cb3_subtree16_avx512, and the largest subtree it takes.
#define CB3_SUBTREE16_LEVELS 17
#define CB3_SUBTREE16_MAX_CHUNKS ((size_t)16 << (CB3_SUBTREE16_LEVELS - 1))
// The chaining values of the sixteen equal parts of a complete subtree of `num_chunks`
// chunks (a power of two from 32 to CB3_SUBTREE16_MAX_CHUNKS; `chunk_counter` a multiple of
// 16), row-major into `out`.
void cb3_subtree16_avx512(const uint8_t *input, size_t num_chunks, const uint32_t key[8],
                          uint64_t chunk_counter, uint8_t flags, uint8_t out[16 * 32]);
#endif

#endif
