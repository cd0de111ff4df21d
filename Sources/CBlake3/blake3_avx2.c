// AVX2 kernel: 8 independent inputs in 8 lanes of 256-bit registers.
#include "blake3_internal.h"
#if defined(__x86_64__)
#include "blake3_avx2_transpose.h"

#define KATTR __attribute__((target("avx2")))
#define VEC __m256i
#define LANES 8
#define KERNEL_NAME cb3_hash8_avx2
#define COMPRESS_LANES cb3_compress_lanes_avx2
#define V_ADD(a, b) _mm256_add_epi32((a), (b))
#define V_XOR(a, b) _mm256_xor_si256((a), (b))
#define V_SET1(x) _mm256_set1_epi32((int)(x))
#define V_LOADU(p) _mm256_loadu_si256((const __m256i *)(p))
#if defined(__clang__)
// The rounds are generated assembly with a fixed register plan (blake3_avx2_rounds.h). Its
// asm statement has 37 operands; GCC allows 30, so a GCC build takes the template's rounds.
#include "blake3_avx2_rounds.h"
#define COMPRESS_ROUNDS(v, m) cb3_avx2_rounds((v), (m))
#else
#define V_ROTR(x, n) _mm256_or_si256(_mm256_srli_epi32((x), (n)), _mm256_slli_epi32((x), 32 - (n)))
#define V_ROTR16(x) V_ROTR((x), 16)
#define V_ROTR12(x) V_ROTR((x), 12)
#define V_ROTR8(x) V_ROTR((x), 8)
#define V_ROTR7(x) V_ROTR((x), 7)
#endif
#define load_msg cb3_load_msg8
#define PREFETCH_BLOCKS 2  // the block after next, as measured on Zen 1
#define store_cvs cb3_store_cvs8

#include "blake3_simd_template.h"

#endif
