#ifndef PROVER_FIELD_KERNELS_H
#define PROVER_FIELD_KERNELS_H

// Hot kernels for the BN254 scalar field r (see DESIGN.md §3).
//
// Elements are four little-endian 64-bit limbs in Montgomery form (x·2^256 mod r), fully
// reduced to [0, r). Every kernel exists twice: a portable build and one compiled for
// BMI2+ADX (mulx); the exported functions pick one at run time from cpuid, so one binary runs on
// any x86-64 CPU. Pointers may alias exactly (out == a) but must not partially overlap.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Which implementation the exported kernels use.
typedef enum {
    PROVER_FR_BACKEND_PORTABLE = 0,
    PROVER_FR_BACKEND_BMI2_ADX = 1,
} prover_fr_backend;

/// The backend in use (chosen from cpuid at load time).
prover_fr_backend prover_fr_backend_current(void);
/// Whether this CPU can run `backend`.
int prover_fr_backend_supported(prover_fr_backend backend);
/// Forces a backend (for tests and benchmarks). Returns 0 if the CPU cannot run it.
int prover_fr_backend_set(prover_fr_backend backend);

void prover_fr_mul(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]);
void prover_fr_sqr(uint64_t out[4], const uint64_t a[4]);
void prover_fr_add(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]);
void prover_fr_sub(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]);

/// out[i] = a[i] * b[i] for i < n (each element is 4 limbs).
void prover_fr_vec_mul(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n);
/// out[i] = a[i] * b[i] for inputs below 2r, left in [0, 2r) (between lazy transforms).
void prover_fr_vec_mul_lazy(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n);
/// out[i] = a[i] + b[i].
void prover_fr_vec_add(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n);
/// out[i] = a[i] - b[i].
void prover_fr_vec_sub(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n);
/// out[i] = a[i] * s.
void prover_fr_vec_scale(uint64_t *out, const uint64_t *a, const uint64_t s[4], size_t n);
/// out[i] = a[i] * s^i · c (powers applied in place; used for coset shifts).
void prover_fr_vec_mul_powers(uint64_t *out, const uint64_t *a, const uint64_t s[4],
                              const uint64_t c[4], size_t n);
/// Prefix products for Montgomery's batch inversion: prefix[i] = prod_{k<=i, a[k]!=0} a[k].
/// Returns the total product (written to `total`).
void prover_fr_prefix_products(uint64_t *prefix, const uint64_t *a, size_t n, uint64_t total[4]);
/// Second pass of batch inversion: given inv = (product of all nonzero a)^-1 and the prefix
/// products, writes out[i] = a[i]^-1 (zeros stay zero). `out` may equal `a`.
void prover_fr_batch_inverse_finish(uint64_t *out, const uint64_t *a, const uint64_t *prefix,
                                    const uint64_t inv[4], size_t n);

/// In-place radix-2 decimation-in-time NTT of `m` elements that are already in bit-reversed
/// order. Inputs below 4r; outputs are left in [0, 4r) (lazy reduction): call
/// prover_fr_normalize after the last layer. Twiddle k of this transform is `twiddles[k * stride]` for k < m/2, where `twiddles`
/// holds powers of a primitive root of order m * stride.
void prover_fr_ntt_dit(uint64_t *a, size_t m, const uint64_t *twiddles, size_t stride);
/// One DIT layer over `a` (length n) whose butterflies span `half` elements, restricted to
/// butterfly offsets j in [j_begin, j_end) of every block (for splitting the last layers
/// across threads). Twiddle j is `twiddles[j * stride]`.
void prover_fr_ntt_dit_layer(uint64_t *a, size_t n, size_t half, const uint64_t *twiddles,
                             size_t stride, size_t j_begin, size_t j_end);
/// In-place radix-2 decimation-in-frequency NTT of `m` elements in natural order; the output
/// is in bit-reversed order. Twiddles as for prover_fr_ntt_dit. Inputs below 2r; outputs in
/// [0, 2r): call prover_fr_normalize after the last layer.
void prover_fr_ntt_dif(uint64_t *a, size_t m, const uint64_t *twiddles, size_t stride);
/// One DIF layer, restricted to butterfly offsets j in [j_begin, j_end) of every block.
void prover_fr_ntt_dif_layer(uint64_t *a, size_t n, size_t half, const uint64_t *twiddles,
                             size_t stride, size_t j_begin, size_t j_end);
/// The first DIF layer of a block of 2·half elements whose upper half is zero: for j in
/// [j_begin, j_end), a[half + j] = a[j] · twiddles[j * stride] and a[j] stays. Inputs below 2r;
/// outputs in [0, 2r), ready for the DIF layers that follow.
void prover_fr_ntt_dif_layer_upper_zero(uint64_t *a, size_t half, const uint64_t *twiddles,
                                        size_t stride, size_t j_begin, size_t j_end);
/// Reduces n elements in [0, 4r) to canonical form, in place.
void prover_fr_normalize(uint64_t *a, size_t n);
/// Bit-reversal permutation of n = 2^log_n elements in place.
void prover_fr_bit_reverse(uint64_t *a, size_t n, unsigned log_n);

#ifdef __cplusplus
}
#endif

#endif
