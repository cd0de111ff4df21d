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
#define COMPRESS_LANES cb3_compress_lanes_avx512
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
// 64-bit unpacks, then `shufps` picking the even or odd words of two registers: on Zen 4 this
// measured faster than the 32-bit-then-64-bit unpack sequence (docs/hashing.md).
KATTR static inline void transpose4x4_blocks(__m512i r[4]) {
    __m512i t0 = _mm512_unpacklo_epi64(r[0], r[1]);
    __m512i t1 = _mm512_unpackhi_epi64(r[0], r[1]);
    __m512i t2 = _mm512_unpacklo_epi64(r[2], r[3]);
    __m512i t3 = _mm512_unpackhi_epi64(r[2], r[3]);
#define CB3_SHUFPS(a, b, imm) \
    _mm512_castps_si512(_mm512_shuffle_ps(_mm512_castsi512_ps(a), _mm512_castsi512_ps(b), (imm)))
    r[0] = CB3_SHUFPS(t0, t2, 0x88);  // words 0 and 2 of each source: word 0 of the four rows
    r[1] = CB3_SHUFPS(t0, t2, 0xDD);  // words 1 and 3: word 1
    r[2] = CB3_SHUFPS(t1, t3, 0x88);
    r[3] = CB3_SHUFPS(t1, t3, 0xDD);
#undef CB3_SHUFPS
}

// Message words of sixteen 64-byte blocks (lane j at block0 + j*stride): m[w] holds word w
// of every lane.
KATTR static inline void load_msg(const uint8_t *block0, size_t stride, __m512i m[16], uintptr_t ahead) {
    // Lanes 0-7 from one base and 8-15 from another, at offsets 0..7 strides. The empty asm
    // hides the bases' relation to the loop counter, so the compiler keeps two bases and a few
    // stride multiples in registers instead of sixteen lane pointers spilled to the stack.
    const uint8_t *base[2] = {block0, block0 + 8 * stride};
    uintptr_t prefetch[2] = {ahead, ahead + 8 * stride};
    __asm__("" : "+r"(base[0]), "+r"(base[1]), "+r"(prefetch[0]), "+r"(prefetch[1]));
    const size_t offset[8] = {0, stride, 2 * stride, 3 * stride, 4 * stride, 5 * stride, 6 * stride, 7 * stride};
    const __m512i even = _mm512_load_si512(cb3_blocks_even), odd = _mm512_load_si512(cb3_blocks_odd);
    for (size_t half = 0; half < 2; half++) {
        __m512i r[8];
        for (size_t j = 0; j < 8; j++) {
            const uint8_t *p = base[0] + 32 * half + offset[j], *q = base[1] + 32 * half + offset[j];
            r[j] = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)p)),
                                      _mm256_loadu_si256((const __m256i *)q), 1);
        }
        // Sixteen input streams are more than the hardware prefetcher follows well: ask for
        // each lane's block at `ahead` (a prefetch past the input's end does not fault).
        // Issued after the loads, eight per half, it measured better than all sixteen first.
        for (size_t j = 0; j < 8; j++) _mm_prefetch((const char *)(prefetch[half] + offset[j]), _MM_HINT_T0);
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

// Whole subtrees in one pass, with the chaining values kept word-major (the layout the
// rounds use) between compressions: a group of sixteen chunks stores its chaining values as
// eight vectors, and two such groups become sixteen parents by picking the even and the odd
// lanes (one two-source permute per message row), so neither the chunk outputs nor the
// parent inputs go through the 16x16 transposes. Pending groups wait on a stack of levels,
// one group per level at most, so the work goes depth first and stays in L1.

// The same kernel, leaving word w of the sixteen chaining values at out + 64w.
KATTR static inline void store_word_major(__m512i h[8], uint8_t *out) {
    for (int w = 0; w < 8; w++) _mm512_storeu_si512((void *)(out + 64 * w), h[w]);
}
#undef KERNEL_NAME
#define KERNEL_NAME cb3_hash16_avx512_word_major
#undef store_cvs
#define store_cvs store_word_major
#define CB3_TEMPLATE_KERNEL_ONLY
#include "blake3_simd_template.h"
#undef CB3_TEMPLATE_KERNEL_ONLY
#undef store_cvs

// Lane j of a word-major group holds chunk (or subtree) j of its sixteen.
static const int32_t cb3_even_lanes[16] __attribute__((aligned(64))) = {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30};
static const int32_t cb3_odd_lanes[16] __attribute__((aligned(64))) = {1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31};

// The sixteen parents of the word-major groups `left` (values 0-15) and `right` (16-31),
// word-major into `out` (which may be either input).
KATTR static void parents16(const uint8_t *left, const uint8_t *right, const uint32_t key[8], uint8_t flags,
                            uint8_t *out) {
    const __m512i even = _mm512_load_si512(cb3_even_lanes), odd = _mm512_load_si512(cb3_odd_lanes);
    __m512i m[16], h[8];
    for (int w = 0; w < 8; w++) {
        const __m512i l = _mm512_loadu_si512((const void *)(left + 64 * w));
        const __m512i r = _mm512_loadu_si512((const void *)(right + 64 * w));
        m[w] = _mm512_permutex2var_epi32(l, even, r);
        m[w + 8] = _mm512_permutex2var_epi32(l, odd, r);
        h[w] = _mm512_set1_epi32((int)key[w]);
    }
    const __m512i zero = _mm512_setzero_si512();
    COMPRESS_LANES(h, m, zero, zero, CB3_BLOCK_LEN, flags | CB3_PARENT);
    store_word_major(h, out);
}

KATTR void cb3_subtree16_avx512(const uint8_t *input, size_t num_chunks, const uint32_t key[8],
                                uint64_t chunk_counter, uint8_t flags, uint8_t out[16 * 32]) {
    // pending[l]: a word-major group of subtrees of 16 << l chunks waiting for its right sibling.
    uint8_t pending[CB3_SUBTREE16_LEVELS][16 * 32] __attribute__((aligned(64)));
    bool has_pending[CB3_SUBTREE16_LEVELS] = {false};
    uint8_t group[16 * 32] __attribute__((aligned(64)));
    size_t level = 0;
    for (size_t done = 0; done < num_chunks; done += 16) {
        cb3_hash16_avx512_word_major(input + done * CB3_CHUNK_LEN, CB3_CHUNK_LEN, CB3_CHUNK_LEN / CB3_BLOCK_LEN,
                                     key, chunk_counter + done, true, flags, CB3_CHUNK_START, CB3_CHUNK_END, group);
        for (level = 0; has_pending[level]; level++) {
            parents16(pending[level], group, key, flags, group);
            has_pending[level] = false;
        }
        memcpy(pending[level], group, sizeof group);
        has_pending[level] = true;
    }
    // num_chunks / 16 is a power of two, so the last group merged into the only one left.
    __m512i h[8];
    for (int w = 0; w < 8; w++) h[w] = _mm512_load_si512((const void *)(pending[level] + 64 * w));
    store_cvs(h, out);
}

#endif
