// Moving eight lanes' words between row order (one lane's bytes) and column order (one word
// of every lane) for 256-bit registers. Shared by the AVX2 and AVX-512 kernels.
//
// Each register pairs lane j (low 128 bits) with lane j + 4 (high 128 bits), so every
// transpose stays inside 128-bit halves: 128-bit loads with vinserti128 from memory put the
// pairs together, and unpacks do the rest. A full 8x8 transpose needs vperm2i128 to cross the
// halves, which Zen 1 runs as 8 micro-ops with a throughput of one per 3 cycles; 16 of them
// per block cost about a tenth of the compression.
#ifndef CBLAKE3_AVX2_TRANSPOSE_H
#define CBLAKE3_AVX2_TRANSPOSE_H
#if defined(__x86_64__)
#include <immintrin.h>

// In each 128-bit half, the 4x4 transpose of 32-bit words: word k of r[i] becomes word i of r[k].
__attribute__((target("avx2"), always_inline)) static inline void cb3_transpose4x4_halves(__m256i r[4]) {
    __m256i t0 = _mm256_unpacklo_epi32(r[0], r[1]);
    __m256i t1 = _mm256_unpackhi_epi32(r[0], r[1]);
    __m256i t2 = _mm256_unpacklo_epi32(r[2], r[3]);
    __m256i t3 = _mm256_unpackhi_epi32(r[2], r[3]);
    r[0] = _mm256_unpacklo_epi64(t0, t2);
    r[1] = _mm256_unpackhi_epi64(t0, t2);
    r[2] = _mm256_unpacklo_epi64(t1, t3);
    r[3] = _mm256_unpackhi_epi64(t1, t3);
}

// Lane j's 16 bytes at p + j·stride in the low half, lane j + 4's in the high half.
__attribute__((target("avx2"), always_inline)) static inline __m256i
cb3_load_lane_pair(const uint8_t *p, size_t stride, size_t j) {
    __m256i low = _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(p + j * stride)));
    return _mm256_inserti128_si256(low, _mm_loadu_si128((const __m128i *)(p + (j + 4) * stride)), 1);
}

// Message words of eight 64-byte blocks (lane j at block0 + j*stride):
// m[w] holds word w of every lane.
__attribute__((target("avx2"), always_inline)) static inline void
cb3_load_msg8(const uint8_t *block0, size_t stride, __m256i m[16], uintptr_t ahead) {
    // Eight input streams are more than the hardware prefetcher follows well: ask for each
    // lane's block at `ahead` (a prefetch past the input's end does not fault).
    for (size_t j = 0; j < 8; j++) _mm_prefetch((const char *)(ahead + j * stride), _MM_HINT_T0);
    for (size_t g = 0; g < 4; g++) {
        __m256i *r = m + 4 * g;
        for (size_t j = 0; j < 4; j++) r[j] = cb3_load_lane_pair(block0 + 16 * g, stride, j);
        cb3_transpose4x4_halves(r);
    }
}

// Inverse: h[w] holds word w of every lane; lane j's 32 bytes go to out + 32j.
__attribute__((target("avx2"), always_inline)) static inline void
cb3_store_cvs8(__m256i h[8], uint8_t *out) {
    for (size_t g = 0; g < 2; g++) {
        __m256i *r = h + 4 * g;
        cb3_transpose4x4_halves(r);
        for (size_t j = 0; j < 4; j++) {
            _mm_storeu_si128((__m128i *)(out + 32 * j + 16 * g), _mm256_castsi256_si128(r[j]));
            _mm_storeu_si128((__m128i *)(out + 32 * (j + 4) + 16 * g), _mm256_extracti128_si256(r[j], 1));
        }
    }
}

#endif
#endif
