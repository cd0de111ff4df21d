#include "field_kernels.h"

#include <stdlib.h>
#include <string.h>
#include "fr_arith.h"
#include "fr_arith_adx.h"

typedef struct {
    void (*mul)(uint64_t *, const uint64_t *, const uint64_t *);
    void (*sqr)(uint64_t *, const uint64_t *);
    void (*vec_mul)(uint64_t *, const uint64_t *, const uint64_t *, size_t);
    void (*vec_mul_lazy)(uint64_t *, const uint64_t *, const uint64_t *, size_t);
    void (*vec_scale)(uint64_t *, const uint64_t *, const uint64_t *, size_t);
    void (*vec_mul_powers)(uint64_t *, const uint64_t *, const uint64_t *, const uint64_t *, size_t);
    void (*prefix_products)(uint64_t *, const uint64_t *, size_t, uint64_t *);
    void (*batch_inverse_finish)(uint64_t *, const uint64_t *, const uint64_t *, const uint64_t *, size_t);
    void (*ntt_dit)(uint64_t *, size_t, const uint64_t *, size_t);
    void (*ntt_dit_layer)(uint64_t *, size_t, size_t, const uint64_t *, size_t, size_t, size_t);
    void (*ntt_dif)(uint64_t *, size_t, const uint64_t *, size_t);
    void (*ntt_dif_layer)(uint64_t *, size_t, size_t, const uint64_t *, size_t, size_t, size_t);
    void (*ntt_dif_layer_upper_zero)(uint64_t *, size_t, const uint64_t *, size_t, size_t, size_t);
    void (*normalize)(uint64_t *, size_t);
} fr_kernel_table;

#define KNAME(x) fr_portable_##x
#define KATTR
#define FR_MUL fr_mul_inline
#define FR_MUL_LAZY fr_mul_lazy_inline
#define FR_ADD_LAZY fr_add_lazy
#define FR_SUB_LAZY fr_sub_lazy
#define FR_REDUCE_2R fr_reduce_2r
#define FR_NORMALIZE_4R fr_normalize_4r
#include "fr_kernels_body.h"

static const fr_kernel_table portable_table = {
    fr_portable_mul, fr_portable_sqr, fr_portable_vec_mul, fr_portable_vec_mul_lazy, fr_portable_vec_scale,
    fr_portable_vec_mul_powers, fr_portable_prefix_products, fr_portable_batch_inverse_finish,
    fr_portable_ntt_dit, fr_portable_ntt_dit_layer, fr_portable_ntt_dif, fr_portable_ntt_dif_layer,
    fr_portable_ntt_dif_layer_upper_zero, fr_portable_normalize,
};

#if defined(__x86_64__)
#define KNAME(x) fr_adx_##x
#define KATTR __attribute__((target("bmi2,adx")))
#define FR_MUL fr_mul_adx_inline
#define FR_MUL_LAZY fr_mul_adx_lazy_inline
#define FR_ADD_LAZY fr_x86_add_lazy
#define FR_SUB_LAZY fr_x86_sub_lazy
#define FR_REDUCE_2R fr_x86_reduce_2r
#define FR_NORMALIZE_4R fr_x86_normalize_4r
// The butterfly loops need 13 registers; unoptimized builds address memory operands through
// extra ones and cannot allocate them, so they keep the C loops.
#if defined(__OPTIMIZE__)
#define FR_DIT_RUN fr_adx_dit_butterflies
#define FR_DIF_RUN fr_adx_dif_butterflies
#endif
#include "fr_kernels_body.h"

static const fr_kernel_table adx_table = {
    fr_adx_mul, fr_adx_sqr, fr_adx_vec_mul, fr_adx_vec_mul_lazy, fr_adx_vec_scale,
    fr_adx_vec_mul_powers, fr_adx_prefix_products, fr_adx_batch_inverse_finish,
    fr_adx_ntt_dit, fr_adx_ntt_dit_layer, fr_adx_ntt_dif, fr_adx_ntt_dif_layer,
    fr_adx_ntt_dif_layer_upper_zero, fr_adx_normalize,
};
#endif

static const fr_kernel_table *active = &portable_table;
static prover_fr_backend active_backend = PROVER_FR_BACKEND_PORTABLE;

int prover_fr_backend_supported(prover_fr_backend backend) {
    switch (backend) {
    case PROVER_FR_BACKEND_PORTABLE:
        return 1;
    case PROVER_FR_BACKEND_BMI2_ADX:
#if defined(__x86_64__)
        __builtin_cpu_init();
        return __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("adx");
#else
        return 0;
#endif
    }
    return 0;
}

int prover_fr_backend_set(prover_fr_backend backend) {
    if (!prover_fr_backend_supported(backend)) return 0;
    switch (backend) {
    case PROVER_FR_BACKEND_PORTABLE:
        active = &portable_table;
        break;
    case PROVER_FR_BACKEND_BMI2_ADX:
#if defined(__x86_64__)
        active = &adx_table;
#endif
        break;
    }
    active_backend = backend;
    return 1;
}

prover_fr_backend prover_fr_backend_current(void) { return active_backend; }

// The fastest supported backend, unless PROVER_FIELD_BACKEND=portable|bmi2_adx asks for another
// (an unknown or unsupported value is ignored).
__attribute__((constructor)) static void prover_fr_select_backend(void) {
    const char *forced = getenv("PROVER_FIELD_BACKEND");
    if (forced && strcmp(forced, "portable") == 0) {
        prover_fr_backend_set(PROVER_FR_BACKEND_PORTABLE);
        return;
    }
    if (!prover_fr_backend_set(PROVER_FR_BACKEND_BMI2_ADX)) prover_fr_backend_set(PROVER_FR_BACKEND_PORTABLE);
}

void prover_fr_mul(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) { active->mul(out, a, b); }
void prover_fr_sqr(uint64_t out[4], const uint64_t a[4]) { active->sqr(out, a); }
void prover_fr_add(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) { fr_add_inline(out, a, b); }
void prover_fr_sub(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) { fr_sub_inline(out, a, b); }

void prover_fr_vec_mul(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n) { active->vec_mul(out, a, b, n); }
void prover_fr_vec_scale(uint64_t *out, const uint64_t *a, const uint64_t s[4], size_t n) { active->vec_scale(out, a, s, n); }
void prover_fr_vec_mul_powers(uint64_t *out, const uint64_t *a, const uint64_t s[4], const uint64_t c[4], size_t n) {
    active->vec_mul_powers(out, a, s, c, n);
}
void prover_fr_vec_mul_lazy(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n) {
    active->vec_mul_lazy(out, a, b, n);
}
void prover_fr_vec_add(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n) {
    for (size_t i = 0; i < n; i++) fr_add_inline(out + 4 * i, a + 4 * i, b + 4 * i);
}
void prover_fr_vec_sub(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n) {
    for (size_t i = 0; i < n; i++) fr_sub_inline(out + 4 * i, a + 4 * i, b + 4 * i);
}
void prover_fr_prefix_products(uint64_t *prefix, const uint64_t *a, size_t n, uint64_t total[4]) {
    active->prefix_products(prefix, a, n, total);
}
void prover_fr_batch_inverse_finish(uint64_t *out, const uint64_t *a, const uint64_t *prefix,
                                    const uint64_t inv[4], size_t n) {
    active->batch_inverse_finish(out, a, prefix, inv, n);
}
void prover_fr_ntt_dit(uint64_t *a, size_t m, const uint64_t *twiddles, size_t stride) {
    active->ntt_dit(a, m, twiddles, stride);
}
void prover_fr_ntt_dit_layer(uint64_t *a, size_t n, size_t half, const uint64_t *twiddles, size_t stride,
                             size_t j_begin, size_t j_end) {
    active->ntt_dit_layer(a, n, half, twiddles, stride, j_begin, j_end);
}

void prover_fr_ntt_dif(uint64_t *a, size_t m, const uint64_t *twiddles, size_t stride) {
    active->ntt_dif(a, m, twiddles, stride);
}
void prover_fr_ntt_dif_layer(uint64_t *a, size_t n, size_t half, const uint64_t *twiddles, size_t stride,
                             size_t j_begin, size_t j_end) {
    active->ntt_dif_layer(a, n, half, twiddles, stride, j_begin, j_end);
}

void prover_fr_ntt_dif_layer_upper_zero(uint64_t *a, size_t half, const uint64_t *twiddles, size_t stride,
                                        size_t j_begin, size_t j_end) {
    active->ntt_dif_layer_upper_zero(a, half, twiddles, stride, j_begin, j_end);
}

void prover_fr_normalize(uint64_t *a, size_t n) { active->normalize(a, n); }

void prover_fr_bit_reverse(uint64_t *a, size_t n, unsigned log_n) {
    if (log_n == 0) return;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0, x = i;
        for (unsigned b = 0; b < log_n; b++) { j = (j << 1) | (x & 1); x >>= 1; }
        if (i < j) {
            for (int l = 0; l < 4; l++) {
                uint64_t t = a[4 * i + l]; a[4 * i + l] = a[4 * j + l]; a[4 * j + l] = t;
            }
        }
    }
}
