// The kernel bodies, compiled once per backend by fr_kernels.c.
// Before including: KNAME(x) names a kernel for this backend, KATTR is its target attribute,
// FR_MUL(out, a, b) its Montgomery multiplication and FR_MUL_LAZY the same without the final
// subtraction (result below 2r); FR_ADD_LAZY, FR_SUB_LAZY, FR_REDUCE_2R and FR_NORMALIZE_4R
// its versions of fr_add_lazy, fr_sub_lazy, fr_reduce_2r and fr_normalize_4r. FR_DIT_RUN and
// FR_DIF_RUN, if defined, are whole butterfly loops (see dit_run and dif_run).

#define FR_EL(p, i) ((p) + 4 * (i))

KATTR static void KNAME(mul)(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) {
    FR_MUL(out, a, b);
}

KATTR static void KNAME(sqr)(uint64_t out[4], const uint64_t a[4]) {
    FR_MUL(out, a, a);
}

KATTR static void KNAME(vec_mul)(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n) {
    for (size_t i = 0; i < n; i++) FR_MUL(FR_EL(out, i), FR_EL(a, i), FR_EL(b, i));
}

// Inputs below 2r (a·b < 4r·r); outputs in [0, 2r).
KATTR static void KNAME(vec_mul_lazy)(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t n) {
    for (size_t i = 0; i < n; i++) FR_MUL_LAZY(FR_EL(out, i), FR_EL(a, i), FR_EL(b, i));
}

KATTR static void KNAME(vec_scale)(uint64_t *out, const uint64_t *a, const uint64_t s[4], size_t n) {
    const uint64_t sc[4] = {s[0], s[1], s[2], s[3]};
    for (size_t i = 0; i < n; i++) FR_MUL(FR_EL(out, i), FR_EL(a, i), sc);
}

KATTR static void KNAME(vec_mul_powers)(uint64_t *out, const uint64_t *a, const uint64_t s[4],
                                        const uint64_t c[4], size_t n) {
    const uint64_t sc[4] = {s[0], s[1], s[2], s[3]};
    uint64_t p[4] = {c[0], c[1], c[2], c[3]};
    for (size_t i = 0; i < n; i++) {
        FR_MUL(FR_EL(out, i), FR_EL(a, i), p);
        FR_MUL(p, p, sc);
    }
}

KATTR static void KNAME(prefix_products)(uint64_t *prefix, const uint64_t *a, size_t n, uint64_t total[4]) {
    // Starts from Montgomery one (2^256 mod r).
    uint64_t acc[4] = {0xac96341c4ffffffbULL, 0x36fc76959f60cd29ULL, 0x666ea36f7879462eULL, 0x0e0a77c19a07df2fULL};
    for (size_t i = 0; i < n; i++) {
        if (!fr_is_zero_inline(FR_EL(a, i))) FR_MUL(acc, acc, FR_EL(a, i));
        uint64_t *p = FR_EL(prefix, i);
        p[0] = acc[0]; p[1] = acc[1]; p[2] = acc[2]; p[3] = acc[3];
    }
    total[0] = acc[0]; total[1] = acc[1]; total[2] = acc[2]; total[3] = acc[3];
}

KATTR static void KNAME(batch_inverse_finish)(uint64_t *out, const uint64_t *a, const uint64_t *prefix,
                                              const uint64_t inv[4], size_t n) {
    uint64_t acc[4] = {inv[0], inv[1], inv[2], inv[3]};
    for (size_t i = n; i-- > 0;) {
        const uint64_t *ai = FR_EL(a, i);
        if (fr_is_zero_inline(ai)) continue;   // zeros stay zero (out[i] == a[i] == 0 or set below)
        uint64_t x[4] = {ai[0], ai[1], ai[2], ai[3]};
        uint64_t *o = FR_EL(out, i);
        if (i > 0) {
            FR_MUL(o, acc, FR_EL(prefix, i - 1));
        } else {
            o[0] = acc[0]; o[1] = acc[1]; o[2] = acc[2]; o[3] = acc[3];
        }
        FR_MUL(acc, acc, x);
    }
}

// NTT butterflies with lazy reduction (Harvey): between layers of the decimation-in-time
// transform values stay in [0, 4r), and each butterfly does one conditional subtraction
// instead of three (4r < 2^256 and 4r·r < r·2^256 keep every step exact); the
// decimation-in-frequency transform keeps values in [0, 2r). Callers normalize at the end.

// DIT: (x, y) <- (x + w·y, x − w·y) with x, y in [0, 4r), w < r; results in [0, 4r).
#define FR_BUTTERFLY(x, y, w)                 \
    do {                                      \
        uint64_t t_[4];                       \
        FR_REDUCE_2R((x));                    \
        FR_MUL_LAZY(t_, (y), (w));            \
        FR_SUB_LAZY((y), (x), t_);            \
        FR_ADD_LAZY((x), (x), t_);            \
    } while (0)

// DIT with w = 1.
#define FR_BUTTERFLY1(x, y)                   \
    do {                                      \
        FR_REDUCE_2R((x));                    \
        FR_REDUCE_2R((y));                    \
        uint64_t t_[4] = {(y)[0], (y)[1], (y)[2], (y)[3]}; \
        FR_SUB_LAZY((y), (x), t_);            \
        FR_ADD_LAZY((x), (x), t_);            \
    } while (0)

// `count` DIT butterflies on x + j, y + j with twiddle tw + j·stride (elements); FR_DIT_RUN, when
// the backend has one, does the same in one asm loop.
KATTR static void KNAME(dit_run)(uint64_t *x, uint64_t *y, const uint64_t *tw, size_t stride, size_t count) {
#ifdef FR_DIT_RUN
    FR_DIT_RUN(x, y, tw, stride, count);
#else
    for (size_t j = 0; j < count; j++) FR_BUTTERFLY(FR_EL(x, j), FR_EL(y, j), FR_EL(tw, j * stride));
#endif
}

KATTR static void KNAME(ntt_dit_layer)(uint64_t *a, size_t n, size_t half, const uint64_t *tw,
                                       size_t stride, size_t j_begin, size_t j_end) {
    if (j_end <= j_begin) return;
    for (size_t k = 0; k < n; k += 2 * half) {
        KNAME(dit_run)(FR_EL(a, k + j_begin), FR_EL(a, k + j_begin + half), FR_EL(tw, j_begin * stride), stride,
                       j_end - j_begin);
    }
}

// Blocks at most this many elements (128 KiB) run layer by layer; larger ones recurse so
// that most layers work on data that stays in cache.
#define FR_NTT_LEAF 4096

KATTR static void KNAME(ntt_dit)(uint64_t *a, size_t m, const uint64_t *tw, size_t stride) {
    if (m < 2) return;
    if (m > FR_NTT_LEAF) {
        size_t h = m / 2;
        KNAME(ntt_dit)(a, h, tw, stride * 2);
        KNAME(ntt_dit)(FR_EL(a, h), h, tw, stride * 2);
        KNAME(dit_run)(a, FR_EL(a, h), tw, stride, h);
        return;
    }
    for (size_t k = 0; k < m; k += 2) FR_BUTTERFLY1(FR_EL(a, k), FR_EL(a, k + 1));
    for (size_t half = 2; half < m; half <<= 1) {
        size_t ts = stride * (m / (2 * half));
        for (size_t k = 0; k < m; k += 2 * half) {
            FR_BUTTERFLY1(FR_EL(a, k), FR_EL(a, k + half));
            KNAME(dit_run)(FR_EL(a, k + 1), FR_EL(a, k + 1 + half), FR_EL(tw, ts), ts, half - 1);
        }
    }
}

// DIF (Gentleman–Sande): (x, y) <- (x + y, (x − y)·w) with x, y in [0, 2r); results in [0, 2r).
#define FR_BUTTERFLY_GS(x, y, w)              \
    do {                                      \
        uint64_t d_[4];                       \
        FR_SUB_LAZY(d_, (x), (y));            \
        FR_ADD_LAZY((x), (x), (y));           \
        FR_REDUCE_2R((x));                    \
        FR_MUL_LAZY((y), d_, (w));            \
    } while (0)

// DIF with w = 1.
#define FR_BUTTERFLY1_GS(x, y)                \
    do {                                      \
        uint64_t d_[4];                       \
        FR_SUB_LAZY(d_, (x), (y));            \
        FR_ADD_LAZY((x), (x), (y));           \
        FR_REDUCE_2R((x));                    \
        FR_REDUCE_2R(d_);                     \
        (y)[0] = d_[0]; (y)[1] = d_[1]; (y)[2] = d_[2]; (y)[3] = d_[3]; \
    } while (0)

// `count` DIF butterflies, laid out as for dit_run; FR_DIF_RUN is the backend's asm loop.
KATTR static void KNAME(dif_run)(uint64_t *x, uint64_t *y, const uint64_t *tw, size_t stride, size_t count) {
#ifdef FR_DIF_RUN
    FR_DIF_RUN(x, y, tw, stride, count);
#else
    for (size_t j = 0; j < count; j++) FR_BUTTERFLY_GS(FR_EL(x, j), FR_EL(y, j), FR_EL(tw, j * stride));
#endif
}

KATTR static void KNAME(ntt_dif_layer)(uint64_t *a, size_t n, size_t half, const uint64_t *tw,
                                       size_t stride, size_t j_begin, size_t j_end) {
    if (j_end <= j_begin) return;
    for (size_t k = 0; k < n; k += 2 * half) {
        KNAME(dif_run)(FR_EL(a, k + j_begin), FR_EL(a, k + j_begin + half), FR_EL(tw, j_begin * stride), stride,
                       j_end - j_begin);
    }
}

// The first DIF layer of a block whose upper half is zero: (x, 0) <- (x, x·w), x below 2r.
KATTR static void KNAME(ntt_dif_layer_upper_zero)(uint64_t *a, size_t half, const uint64_t *tw,
                                                  size_t stride, size_t j_begin, size_t j_end) {
    for (size_t j = j_begin; j < j_end; j++) FR_MUL_LAZY(FR_EL(a, j + half), FR_EL(a, j), FR_EL(tw, j * stride));
}

// Decimation in frequency: natural-order input, bit-reversed output. Mirrors ntt_dit: large
// blocks do their first layer and recurse into halves; small blocks go layer by layer.
KATTR static void KNAME(ntt_dif)(uint64_t *a, size_t m, const uint64_t *tw, size_t stride) {
    if (m < 2) return;
    if (m > FR_NTT_LEAF) {
        size_t h = m / 2;
        KNAME(dif_run)(a, FR_EL(a, h), tw, stride, h);
        KNAME(ntt_dif)(a, h, tw, stride * 2);
        KNAME(ntt_dif)(FR_EL(a, h), h, tw, stride * 2);
        return;
    }
    for (size_t half = m / 2; half >= 2; half >>= 1) {
        size_t ts = stride * (m / (2 * half));
        for (size_t k = 0; k < m; k += 2 * half) {
            FR_BUTTERFLY1_GS(FR_EL(a, k), FR_EL(a, k + half));
            KNAME(dif_run)(FR_EL(a, k + 1), FR_EL(a, k + 1 + half), FR_EL(tw, ts), ts, half - 1);
        }
    }
    for (size_t k = 0; k < m; k += 2) FR_BUTTERFLY1_GS(FR_EL(a, k), FR_EL(a, k + 1));
}

// Values in [0, 4r) → canonical.
KATTR static void KNAME(normalize)(uint64_t *a, size_t n) {
    for (size_t i = 0; i < n; i++) FR_NORMALIZE_4R(FR_EL(a, i));
}

#undef FR_EL
// The parameters end with this backend's instantiation.
#undef KNAME
#undef KATTR
#undef FR_MUL
#undef FR_MUL_LAZY
#undef FR_ADD_LAZY
#undef FR_SUB_LAZY
#undef FR_REDUCE_2R
#undef FR_NORMALIZE_4R
#undef FR_DIT_RUN
#undef FR_DIF_RUN
