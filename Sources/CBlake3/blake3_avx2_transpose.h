// 8x8 transpose of 32-bit words in eight 256-bit registers (unpack 32 ->
// unpack 64 -> swap 128-bit halves). Shared by the AVX2 and AVX-512 kernels.
#ifndef CBLAKE3_AVX2_TRANSPOSE_H
#define CBLAKE3_AVX2_TRANSPOSE_H
#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2"), always_inline)) static inline void cb3_transpose8x8(__m256i r[8]) {
    __m256i t0 = _mm256_unpacklo_epi32(r[0], r[1]);
    __m256i t1 = _mm256_unpackhi_epi32(r[0], r[1]);
    __m256i t2 = _mm256_unpacklo_epi32(r[2], r[3]);
    __m256i t3 = _mm256_unpackhi_epi32(r[2], r[3]);
    __m256i t4 = _mm256_unpacklo_epi32(r[4], r[5]);
    __m256i t5 = _mm256_unpackhi_epi32(r[4], r[5]);
    __m256i t6 = _mm256_unpacklo_epi32(r[6], r[7]);
    __m256i t7 = _mm256_unpackhi_epi32(r[6], r[7]);
    __m256i u0 = _mm256_unpacklo_epi64(t0, t2);
    __m256i u1 = _mm256_unpackhi_epi64(t0, t2);
    __m256i u2 = _mm256_unpacklo_epi64(t1, t3);
    __m256i u3 = _mm256_unpackhi_epi64(t1, t3);
    __m256i u4 = _mm256_unpacklo_epi64(t4, t6);
    __m256i u5 = _mm256_unpackhi_epi64(t4, t6);
    __m256i u6 = _mm256_unpacklo_epi64(t5, t7);
    __m256i u7 = _mm256_unpackhi_epi64(t5, t7);
    r[0] = _mm256_permute2x128_si256(u0, u4, 0x20);
    r[4] = _mm256_permute2x128_si256(u0, u4, 0x31);
    r[1] = _mm256_permute2x128_si256(u1, u5, 0x20);
    r[5] = _mm256_permute2x128_si256(u1, u5, 0x31);
    r[2] = _mm256_permute2x128_si256(u2, u6, 0x20);
    r[6] = _mm256_permute2x128_si256(u2, u6, 0x31);
    r[3] = _mm256_permute2x128_si256(u3, u7, 0x20);
    r[7] = _mm256_permute2x128_si256(u3, u7, 0x31);
}

// Message words of eight 64-byte blocks (lane j at block0 + j*stride):
// m[w] holds word w of every lane.
__attribute__((target("avx2"), always_inline)) static inline void
cb3_load_msg8(const uint8_t *block0, size_t stride, __m256i m[16]) {
    for (size_t j = 0; j < 8; j++) {
        m[j] = _mm256_loadu_si256((const __m256i *)(block0 + j * stride));
        m[8 + j] = _mm256_loadu_si256((const __m256i *)(block0 + j * stride + 32));
    }
    cb3_transpose8x8(m);
    cb3_transpose8x8(m + 8);
}

// Inverse: h[w] holds word w of every lane; lane j's 32 bytes go to out + 32j.
__attribute__((target("avx2"), always_inline)) static inline void
cb3_store_cvs8(__m256i h[8], uint8_t *out) {
    cb3_transpose8x8(h);
    for (int j = 0; j < 8; j++) _mm256_storeu_si256((__m256i *)(out + 32 * j), h[j]);
}

#endif
#endif
