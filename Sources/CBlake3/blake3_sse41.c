// SSE4.1 kernel: 4 independent inputs in 4 lanes of 128-bit registers.
#include "blake3_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

#define KATTR __attribute__((target("sse4.1")))
#define VEC __m128i
#define LANES 4
#define KERNEL_NAME cb3_hash4_sse41
#define COMPRESS_LANES cb3_compress_lanes_sse41
#define V_ADD(a, b) _mm_add_epi32((a), (b))
#define V_XOR(a, b) _mm_xor_si128((a), (b))
#define V_SET1(x) _mm_set1_epi32((int)(x))
#define V_LOADU(p) _mm_loadu_si128((const __m128i *)(p))
#define V_ROTR16(x) _mm_shuffle_epi8((x), _mm_set_epi8(13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2))
#define V_ROTR8(x) _mm_shuffle_epi8((x), _mm_set_epi8(12, 15, 14, 13, 8, 11, 10, 9, 4, 7, 6, 5, 0, 3, 2, 1))
#define V_ROTR12(x) _mm_or_si128(_mm_srli_epi32((x), 12), _mm_slli_epi32((x), 20))
#define V_ROTR7(x) _mm_or_si128(_mm_srli_epi32((x), 7), _mm_slli_epi32((x), 25))

// 4x4 transpose of 32-bit words.
KATTR static inline void transpose4x4(__m128i r[4]) {
    __m128i t0 = _mm_unpacklo_epi32(r[0], r[1]);
    __m128i t1 = _mm_unpackhi_epi32(r[0], r[1]);
    __m128i t2 = _mm_unpacklo_epi32(r[2], r[3]);
    __m128i t3 = _mm_unpackhi_epi32(r[2], r[3]);
    r[0] = _mm_unpacklo_epi64(t0, t2);
    r[1] = _mm_unpackhi_epi64(t0, t2);
    r[2] = _mm_unpacklo_epi64(t1, t3);
    r[3] = _mm_unpackhi_epi64(t1, t3);
}

KATTR static inline void load_msg(const uint8_t *block0, size_t stride, __m128i m[16], uintptr_t ahead) {
    (void)ahead;
    for (size_t q = 0; q < 4; q++) {
        for (size_t j = 0; j < 4; j++) m[4 * q + j] = _mm_loadu_si128((const __m128i *)(block0 + j * stride + 16 * q));
        transpose4x4(m + 4 * q);
    }
}

KATTR static inline void store_cvs(__m128i h[8], uint8_t *out) {
    transpose4x4(h);
    transpose4x4(h + 4);
    for (int j = 0; j < 4; j++) {
        _mm_storeu_si128((__m128i *)(out + 32 * j), h[j]);
        _mm_storeu_si128((__m128i *)(out + 32 * j + 16), h[4 + j]);
    }
}

#include "blake3_simd_template.h"

#endif
