// AVX2 kernel: 8 independent inputs in 8 lanes of 256-bit registers.
#include "blake3_internal.h"
#if defined(__x86_64__)
#include "blake3_avx2_transpose.h"
#include "blake3_avx2_rounds.h"

#define KATTR __attribute__((target("avx2")))
#define VEC __m256i
#define LANES 8
#define KERNEL_NAME cb3_hash8_avx2
#define V_ADD(a, b) _mm256_add_epi32((a), (b))
#define V_XOR(a, b) _mm256_xor_si256((a), (b))
#define V_SET1(x) _mm256_set1_epi32((int)(x))
#define V_LOADU(p) _mm256_loadu_si256((const __m256i *)(p))
// The rounds are generated assembly with a fixed register plan (blake3_avx2_rounds.h).
#define COMPRESS_ROUNDS(v, m) cb3_avx2_rounds((v), (m))
#define load_msg cb3_load_msg8
#define store_cvs cb3_store_cvs8

#include "blake3_simd_template.h"

#endif
