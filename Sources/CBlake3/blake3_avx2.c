// AVX2 kernel: 8 independent inputs in 8 lanes of 256-bit registers.
#include "blake3_internal.h"
#if defined(__x86_64__)
#include "blake3_avx2_transpose.h"

#define KATTR __attribute__((target("avx2")))
#define VEC __m256i
#define LANES 8
#define KERNEL_NAME cb3_hash8_avx2
#define V_ADD(a, b) _mm256_add_epi32((a), (b))
#define V_XOR(a, b) _mm256_xor_si256((a), (b))
#define V_SET1(x) _mm256_set1_epi32((int)(x))
#define V_LOADU(p) _mm256_loadu_si256((const __m256i *)(p))
// Rotations by 16 and 8 are byte shuffles; 12 and 7 are shift pairs.
// The shuffle masks are made opaque to the optimizer (KERNEL_PROLOGUE), so
// each rotation stays a single vpshufb instead of being rewritten as a
// vpshuflw+vpshufhw pair.
#define KERNEL_PROLOGUE                                                                                     \
    __m256i rot16_mask = _mm256_set_epi8(13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2,                \
                                         13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2);               \
    __m256i rot8_mask = _mm256_set_epi8(12, 15, 14, 13, 8, 11, 10, 9, 4, 7, 6, 5, 0, 3, 2, 1,                 \
                                        12, 15, 14, 13, 8, 11, 10, 9, 4, 7, 6, 5, 0, 3, 2, 1);                \
    __asm__("" : "+x"(rot16_mask), "+x"(rot8_mask));
#define V_ROTR16(x) _mm256_shuffle_epi8((x), rot16_mask)
#define V_ROTR8(x) _mm256_shuffle_epi8((x), rot8_mask)
#define V_ROTR12(x) _mm256_or_si256(_mm256_srli_epi32((x), 12), _mm256_slli_epi32((x), 20))
#define V_ROTR7(x) _mm256_or_si256(_mm256_srli_epi32((x), 7), _mm256_slli_epi32((x), 25))
#define load_msg cb3_load_msg8
#define store_cvs cb3_store_cvs8

#include "blake3_simd_template.h"

#endif
