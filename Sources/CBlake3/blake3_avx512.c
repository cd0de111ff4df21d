// AVX-512 kernel: 16 independent inputs in 16 lanes of 512-bit registers.
// Message loads and output stores reuse the AVX2 transposes on each half of
// the lanes; rotations use the native vprord.
#include "blake3_internal.h"
#if defined(__x86_64__)
#include "blake3_avx2_transpose.h"

#if defined(CB3_AVX512_EMULATED)
// scripts/test-avx512-emulated: SIMDe supplies the AVX-512 intrinsics, built from AVX2.
#define KATTR __attribute__((target("avx2")))
#else
#define KATTR __attribute__((target("avx512f,avx512vl,avx2")))
#endif
#define VEC __m512i
#define LANES 16
#define KERNEL_NAME cb3_hash16_avx512
#define V_ADD(a, b) _mm512_add_epi32((a), (b))
#define V_XOR(a, b) _mm512_xor_si512((a), (b))
#define V_SET1(x) _mm512_set1_epi32((int)(x))
#define V_LOADU(p) _mm512_loadu_si512((const void *)(p))
#define V_ROTR16(x) _mm512_ror_epi32((x), 16)
#define V_ROTR12(x) _mm512_ror_epi32((x), 12)
#define V_ROTR8(x) _mm512_ror_epi32((x), 8)
#define V_ROTR7(x) _mm512_ror_epi32((x), 7)

KATTR static inline void load_msg(const uint8_t *block0, size_t stride, __m512i m[16]) {
    __m256i a[16], b[16];
    cb3_load_msg8(block0, stride, a);
    cb3_load_msg8(block0 + 8 * stride, stride, b);
    for (int w = 0; w < 16; w++) m[w] = _mm512_inserti64x4(_mm512_castsi256_si512(a[w]), b[w], 1);
}

KATTR static inline void store_cvs(__m512i h[8], uint8_t *out) {
    __m256i a[8], b[8];
    for (int w = 0; w < 8; w++) {
        a[w] = _mm512_castsi512_si256(h[w]);
        b[w] = _mm512_extracti64x4_epi64(h[w], 1);
    }
    cb3_store_cvs8(a, out);
    cb3_store_cvs8(b, out + 8 * 32);
}

#include "blake3_simd_template.h"

#endif
