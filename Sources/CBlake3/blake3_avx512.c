// AVX-512 kernel: 16 independent inputs in 16 lanes of 512-bit registers.
// Message loads and output stores transpose in 512-bit registers; the rounds
// are generated asm with the native vprord.
#include "blake3_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>

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
#if defined(__clang__) && !defined(CB3_AVX512_EMULATED)
// The rounds are generated assembly with all 16 rows in registers (blake3_avx512_rounds.h).
// GCC (asm operand limit) and the SIMDe build take the template's rounds.
#include "blake3_avx512_rounds.h"
#define COMPRESS_ROUNDS(v, m) cb3_avx512_rounds((v), (m))
#else
#define V_ROTR16(x) _mm512_ror_epi32((x), 16)
#define V_ROTR12(x) _mm512_ror_epi32((x), 12)
#define V_ROTR8(x) _mm512_ror_epi32((x), 8)
#define V_ROTR7(x) _mm512_ror_epi32((x), 7)
#endif

// Each register pairs lane j (low 256 bits) with lane j + 8 (high 256 bits); an 8x8
// transpose inside each 256-bit half (unpacks within 128-bit blocks, then one two-source
// 64-bit permute) turns eight such registers into eight message words of all 16 lanes.
static const int64_t cb3_blocks_even[8] __attribute__((aligned(64))) = {0, 1, 8, 9, 4, 5, 12, 13};
static const int64_t cb3_blocks_odd[8] __attribute__((aligned(64))) = {2, 3, 10, 11, 6, 7, 14, 15};

// In each 128-bit block, the 4x4 transpose of 32-bit words: word k of r[i] becomes word i of r[k].
KATTR static inline void transpose4x4_blocks(__m512i r[4]) {
    __m512i t0 = _mm512_unpacklo_epi32(r[0], r[1]);
    __m512i t1 = _mm512_unpackhi_epi32(r[0], r[1]);
    __m512i t2 = _mm512_unpacklo_epi32(r[2], r[3]);
    __m512i t3 = _mm512_unpackhi_epi32(r[2], r[3]);
    r[0] = _mm512_unpacklo_epi64(t0, t2);
    r[1] = _mm512_unpackhi_epi64(t0, t2);
    r[2] = _mm512_unpacklo_epi64(t1, t3);
    r[3] = _mm512_unpackhi_epi64(t1, t3);
}

// Message words of sixteen 64-byte blocks (lane j at block0 + j*stride): m[w] holds word w
// of every lane.
KATTR static inline void load_msg(const uint8_t *block0, size_t stride, __m512i m[16]) {
    // Sixteen input streams are more than the hardware prefetcher follows well: ask for each
    // lane's block three ahead (a prefetch past the input's end does not fault).
    for (size_t j = 0; j < 16; j++) _mm_prefetch((const char *)(block0 + j * stride + 192), _MM_HINT_T0);
    const __m512i even = _mm512_load_si512(cb3_blocks_even), odd = _mm512_load_si512(cb3_blocks_odd);
    for (size_t half = 0; half < 2; half++) {
        __m512i r[8];
        for (size_t j = 0; j < 8; j++) {
            const uint8_t *p = block0 + 32 * half + j * stride;
            r[j] = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)p)),
                                      _mm256_loadu_si256((const __m256i *)(p + 8 * stride)), 1);
        }
        // r[0..3] now hold words 4k..4k+3 of lanes 0-3 and 8-11 in block k; r[4..7] the same
        // for lanes 4-7 and 12-15.
        transpose4x4_blocks(r);
        transpose4x4_blocks(r + 4);
        for (size_t k = 0; k < 4; k++) {
            m[8 * half + k] = _mm512_permutex2var_epi64(r[k], even, r[k + 4]);
            m[8 * half + k + 4] = _mm512_permutex2var_epi64(r[k], odd, r[k + 4]);
        }
    }
}

// Inverse: h[w] holds word w of every lane; lane j's 32 bytes go to out + 32j.
KATTR static inline void store_cvs(__m512i h[8], uint8_t *out) {
    const __m512i even = _mm512_load_si512(cb3_blocks_even), odd = _mm512_load_si512(cb3_blocks_odd);
    __m512i r[8];
    for (size_t k = 0; k < 4; k++) {
        r[k] = _mm512_permutex2var_epi64(h[k], even, h[k + 4]);
        r[k + 4] = _mm512_permutex2var_epi64(h[k], odd, h[k + 4]);
    }
    transpose4x4_blocks(r);
    transpose4x4_blocks(r + 4);
    for (size_t j = 0; j < 8; j++) {
        _mm256_storeu_si256((__m256i *)(out + 32 * j), _mm512_castsi512_si256(r[j]));
        _mm256_storeu_si256((__m256i *)(out + 32 * (j + 8)), _mm512_extracti64x4_epi64(r[j], 1));
    }
}

#include "blake3_simd_template.h"

#endif
