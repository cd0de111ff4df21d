// Branch-free 4-limb Montgomery arithmetic modulo the BN254 scalar field r.
// Included by fr_kernels.c, which compiles every function here once per backend: the
// functions are always_inline, so each inlined copy takes the target features of its caller.
#ifndef PROVER_FR_ARITH_H
#define PROVER_FR_ARITH_H

#include <stdint.h>

typedef unsigned __int128 u128;

#define FR_INLINE static inline __attribute__((always_inline))

// r = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001 (DESIGN.md §3).
#define FR_P0 0x43e1f593f0000001ULL
#define FR_P1 0x2833e84879b97091ULL
#define FR_P2 0xb85045b68181585dULL
#define FR_P3 0x30644e72e131a029ULL
// -r^-1 mod 2^64.
#define FR_NINV 0xc2e1f593efffffffULL

// out = t - r if t >= r, else t. t < 2r, and 2r < 2^256, so no fifth limb is needed.
FR_INLINE void fr_reduce_once(uint64_t out[4], uint64_t t0, uint64_t t1, uint64_t t2, uint64_t t3) {
    u128 d;
    uint64_t borrow;
    d = (u128)t0 - FR_P0;                    uint64_t s0 = (uint64_t)d; borrow = (uint64_t)(d >> 64) & 1;
    d = (u128)t1 - FR_P1 - borrow;           uint64_t s1 = (uint64_t)d; borrow = (uint64_t)(d >> 64) & 1;
    d = (u128)t2 - FR_P2 - borrow;           uint64_t s2 = (uint64_t)d; borrow = (uint64_t)(d >> 64) & 1;
    d = (u128)t3 - FR_P3 - borrow;           uint64_t s3 = (uint64_t)d; borrow = (uint64_t)(d >> 64) & 1;
    // borrow == 1 means t < r: keep t.
    uint64_t keep = 0 - borrow;
    out[0] = (t0 & keep) | (s0 & ~keep);
    out[1] = (t1 & keep) | (s1 & ~keep);
    out[2] = (t2 & keep) | (s2 & ~keep);
    out[3] = (t3 & keep) | (s3 & ~keep);
}

// Montgomery product a·b·2^-256 mod r by CIOS. Because r's top limb is below 2^62, the running
// sum never needs a fifth word (the "no-carry" variant), saving one carry chain per round.
// The lazy form skips the final subtraction: for a < 4r and b < r (or a < 4r, a·b < 4r·r) the
// result is below 2r, and every intermediate stays below 5r < 2^256.
FR_INLINE void fr_mul_lazy_inline(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) {
    const uint64_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
#define FR_ROUND(bi)                                                                   \
    do {                                                                               \
        u128 p = (u128)a0 * (bi) + t0;                                                 \
        uint64_t c = (uint64_t)(p >> 64);                                              \
        uint64_t lo = (uint64_t)p;                                                     \
        uint64_t m = lo * FR_NINV;                                                     \
        u128 q = (u128)m * FR_P0 + lo;                                                 \
        uint64_t c2 = (uint64_t)(q >> 64);                                             \
        p = (u128)a1 * (bi) + t1 + c;  c = (uint64_t)(p >> 64);                        \
        q = (u128)m * FR_P1 + (uint64_t)p + c2; c2 = (uint64_t)(q >> 64); t0 = (uint64_t)q; \
        p = (u128)a2 * (bi) + t2 + c;  c = (uint64_t)(p >> 64);                        \
        q = (u128)m * FR_P2 + (uint64_t)p + c2; c2 = (uint64_t)(q >> 64); t1 = (uint64_t)q; \
        p = (u128)a3 * (bi) + t3 + c;  c = (uint64_t)(p >> 64);                        \
        q = (u128)m * FR_P3 + (uint64_t)p + c2; c2 = (uint64_t)(q >> 64); t2 = (uint64_t)q; \
        t3 = c + c2;                                                                   \
    } while (0)
    FR_ROUND(b[0]);
    FR_ROUND(b[1]);
    FR_ROUND(b[2]);
    FR_ROUND(b[3]);
#undef FR_ROUND
    out[0] = t0; out[1] = t1; out[2] = t2; out[3] = t3;
}

FR_INLINE void fr_mul_inline(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t t[4];
    fr_mul_lazy_inline(t, a, b);
    fr_reduce_once(out, t[0], t[1], t[2], t[3]);
}

// 2r, the bound lazily reduced values are kept below (or 4r, between NTT layers).
#define FR_2P0 0x87c3eb27e0000002ULL
#define FR_2P1 0x5067d090f372e122ULL
#define FR_2P2 0x70a08b6d0302b0baULL
#define FR_2P3 0x60c89ce5c2634053ULL

// x − 2r if x >= 2r, else x (x < 4r), in place.
FR_INLINE void fr_reduce_2r(uint64_t x[4]) {
    u128 d;
    uint64_t borrow;
    d = (u128)x[0] - FR_2P0;              uint64_t s0 = (uint64_t)d; borrow = (uint64_t)(d >> 64) & 1;
    d = (u128)x[1] - FR_2P1 - borrow;     uint64_t s1 = (uint64_t)d; borrow = (uint64_t)(d >> 64) & 1;
    d = (u128)x[2] - FR_2P2 - borrow;     uint64_t s2 = (uint64_t)d; borrow = (uint64_t)(d >> 64) & 1;
    d = (u128)x[3] - FR_2P3 - borrow;     uint64_t s3 = (uint64_t)d; borrow = (uint64_t)(d >> 64) & 1;
    uint64_t keep = 0 - borrow;
    x[0] = (x[0] & keep) | (s0 & ~keep);
    x[1] = (x[1] & keep) | (s1 & ~keep);
    x[2] = (x[2] & keep) | (s2 & ~keep);
    x[3] = (x[3] & keep) | (s3 & ~keep);
}

// out = a + b without reduction (a + b < 2^256 is the caller's promise).
FR_INLINE void fr_add_lazy(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) {
    u128 s;
    s = (u128)a[0] + b[0];                          out[0] = (uint64_t)s;
    s = (u128)a[1] + b[1] + (uint64_t)(s >> 64);    out[1] = (uint64_t)s;
    s = (u128)a[2] + b[2] + (uint64_t)(s >> 64);    out[2] = (uint64_t)s;
    s = (u128)a[3] + b[3] + (uint64_t)(s >> 64);    out[3] = (uint64_t)s;
}

// out = a − b + 2r (a, b < 2r, so the result is in (0, 4r)).
FR_INLINE void fr_sub_lazy(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) {
    u128 s;
    s = (u128)a[0] + FR_2P0;                        uint64_t t0 = (uint64_t)s;
    s = (u128)a[1] + FR_2P1 + (uint64_t)(s >> 64);  uint64_t t1 = (uint64_t)s;
    s = (u128)a[2] + FR_2P2 + (uint64_t)(s >> 64);  uint64_t t2 = (uint64_t)s;
    s = (u128)a[3] + FR_2P3 + (uint64_t)(s >> 64);  uint64_t t3 = (uint64_t)s;
    u128 d;
    uint64_t borrow;
    d = (u128)t0 - b[0];              out[0] = (uint64_t)d; borrow = (uint64_t)(d >> 64) & 1;
    d = (u128)t1 - b[1] - borrow;     out[1] = (uint64_t)d; borrow = (uint64_t)(d >> 64) & 1;
    d = (u128)t2 - b[2] - borrow;     out[2] = (uint64_t)d; borrow = (uint64_t)(d >> 64) & 1;
    d = (u128)t3 - b[3] - borrow;     out[3] = (uint64_t)d;
}

// x in [0, 4r) → the canonical x mod r.
FR_INLINE void fr_normalize_4r(uint64_t x[4]) {
    fr_reduce_2r(x);
    fr_reduce_once(x, x[0], x[1], x[2], x[3]);
}

FR_INLINE void fr_add_inline(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) {
    // a, b < r < 2^254: the sum fits in 256 bits.
    u128 s;
    s = (u128)a[0] + b[0];                              uint64_t t0 = (uint64_t)s;
    s = (u128)a[1] + b[1] + (uint64_t)(s >> 64);        uint64_t t1 = (uint64_t)s;
    s = (u128)a[2] + b[2] + (uint64_t)(s >> 64);        uint64_t t2 = (uint64_t)s;
    s = (u128)a[3] + b[3] + (uint64_t)(s >> 64);        uint64_t t3 = (uint64_t)s;
    fr_reduce_once(out, t0, t1, t2, t3);
}

FR_INLINE void fr_sub_inline(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) {
    u128 d;
    uint64_t borrow;
    d = (u128)a[0] - b[0];            uint64_t t0 = (uint64_t)d; borrow = (uint64_t)(d >> 64) & 1;
    d = (u128)a[1] - b[1] - borrow;   uint64_t t1 = (uint64_t)d; borrow = (uint64_t)(d >> 64) & 1;
    d = (u128)a[2] - b[2] - borrow;   uint64_t t2 = (uint64_t)d; borrow = (uint64_t)(d >> 64) & 1;
    d = (u128)a[3] - b[3] - borrow;   uint64_t t3 = (uint64_t)d; borrow = (uint64_t)(d >> 64) & 1;
    // On borrow add r back (mask is all ones or zero).
    uint64_t mask = 0 - borrow;
    u128 s;
    s = (u128)t0 + (FR_P0 & mask);                               out[0] = (uint64_t)s;
    s = (u128)t1 + (FR_P1 & mask) + (uint64_t)(s >> 64);         out[1] = (uint64_t)s;
    s = (u128)t2 + (FR_P2 & mask) + (uint64_t)(s >> 64);         out[2] = (uint64_t)s;
    s = (u128)t3 + (FR_P3 & mask) + (uint64_t)(s >> 64);         out[3] = (uint64_t)s;
}

FR_INLINE int fr_is_zero_inline(const uint64_t a[4]) {
    return (a[0] | a[1] | a[2] | a[3]) == 0;
}

#endif
