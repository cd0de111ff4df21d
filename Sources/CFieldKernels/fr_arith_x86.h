// The additive half of the butterflies in x86-64 assembly: one add/adc or sub/sbb chain per
// operation and cmov for the conditional subtraction. Clang lowers the portable u128 versions
// in fr_arith.h to setb/movzx/sar sequences about three times as long; in an NTT butterfly
// those extra ALU operations compete with mulx for the multiplier's port (measured: 96 cycles
// per butterfly against 67 for the bare Montgomery product, docs/performance.md).
// Same contracts as the portable functions they stand in for. Plain x86-64: no ADX needed.
#ifndef PROVER_FR_ARITH_X86_H
#define PROVER_FR_ARITH_X86_H
#if defined(__x86_64__)

#include "fr_arith.h"

static const uint64_t fr_x86_modulus[4] = {FR_P0, FR_P1, FR_P2, FR_P3};
static const uint64_t fr_x86_twice_modulus[4] = {FR_2P0, FR_2P1, FR_2P2, FR_2P3};

// x − m if x >= m, else x; m is r or 2r and x < 2m.
FR_INLINE void fr_x86_subtract_if_above(uint64_t x[4], const uint64_t m[4]) {
    uint64_t x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
    uint64_t s0 = x0, s1 = x1, s2 = x2, s3 = x3;
    __asm__("subq %[m0], %[s0]\n\t"
            "sbbq %[m1], %[s1]\n\t"
            "sbbq %[m2], %[s2]\n\t"
            "sbbq %[m3], %[s3]\n\t"
            "cmovcq %[x0], %[s0]\n\t"
            "cmovcq %[x1], %[s1]\n\t"
            "cmovcq %[x2], %[s2]\n\t"
            "cmovcq %[x3], %[s3]"
            : [s0] "+&r"(s0), [s1] "+&r"(s1), [s2] "+&r"(s2), [s3] "+&r"(s3)
            : [x0] "r"(x0), [x1] "r"(x1), [x2] "r"(x2), [x3] "r"(x3),
              [m0] "m"(m[0]), [m1] "m"(m[1]), [m2] "m"(m[2]), [m3] "m"(m[3])
            : "cc");
    x[0] = s0; x[1] = s1; x[2] = s2; x[3] = s3;
}

// x − 2r if x >= 2r, else x (x < 4r).
FR_INLINE void fr_x86_reduce_2r(uint64_t x[4]) { fr_x86_subtract_if_above(x, fr_x86_twice_modulus); }

// out = a + b without reduction (a + b < 2^256 is the caller's promise).
FR_INLINE void fr_x86_add_lazy(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t t0 = a[0], t1 = a[1], t2 = a[2], t3 = a[3];
    __asm__("addq %[b0], %[t0]\n\t"
            "adcq %[b1], %[t1]\n\t"
            "adcq %[b2], %[t2]\n\t"
            "adcq %[b3], %[t3]"
            : [t0] "+&r"(t0), [t1] "+&r"(t1), [t2] "+&r"(t2), [t3] "+&r"(t3)
            : [b0] "rm"(b[0]), [b1] "rm"(b[1]), [b2] "rm"(b[2]), [b3] "rm"(b[3])
            : "cc");
    out[0] = t0; out[1] = t1; out[2] = t2; out[3] = t3;
}

// out = a − b + 2r (a, b < 2r, so the result is in (0, 4r)).
FR_INLINE void fr_x86_sub_lazy(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t t0 = a[0], t1 = a[1], t2 = a[2], t3 = a[3];
    __asm__("addq %[m0], %[t0]\n\t"
            "adcq %[m1], %[t1]\n\t"
            "adcq %[m2], %[t2]\n\t"
            "adcq %[m3], %[t3]\n\t"
            "subq %[b0], %[t0]\n\t"
            "sbbq %[b1], %[t1]\n\t"
            "sbbq %[b2], %[t2]\n\t"
            "sbbq %[b3], %[t3]"
            : [t0] "+&r"(t0), [t1] "+&r"(t1), [t2] "+&r"(t2), [t3] "+&r"(t3)
            : [b0] "rm"(b[0]), [b1] "rm"(b[1]), [b2] "rm"(b[2]), [b3] "rm"(b[3]),
              [m0] "m"(fr_x86_twice_modulus[0]), [m1] "m"(fr_x86_twice_modulus[1]),
              [m2] "m"(fr_x86_twice_modulus[2]), [m3] "m"(fr_x86_twice_modulus[3])
            : "cc");
    out[0] = t0; out[1] = t1; out[2] = t2; out[3] = t3;
}

// x in [0, 4r) → the canonical x mod r.
FR_INLINE void fr_x86_normalize_4r(uint64_t x[4]) {
    fr_x86_subtract_if_above(x, fr_x86_twice_modulus);
    fr_x86_subtract_if_above(x, fr_x86_modulus);
}

#endif
#endif
