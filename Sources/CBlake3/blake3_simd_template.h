// Width-generic BLAKE3 multi-lane kernel body, instantiated by the SSE4.1,
// AVX2 and AVX-512 files. Each lane holds one independent input; vector word
// `w` of the state holds word `w` of every lane's state (spec §2.2 compression,
// done LANES times in parallel).
//
// The including file defines: VEC, LANES, KATTR (target attribute), V_ADD,
// V_XOR, V_SET1, V_LOADU (from uint32_t*), KERNEL_NAME, COMPRESS_LANES (the name of the
// one-compression helper it defines), and
// the functions load_msg(const uint8_t *block0, size_t stride, VEC m[16], uintptr_t ahead)
// (`ahead`: lane 0's address to prefetch, lane j at ahead + j*stride; PREFETCH_BLOCKS, 3
// unless defined, says how far ahead) and
// store_cvs(VEC h[8], uint8_t *out); optionally COMPRESS_ROUNDS(v, m), the seven rounds in one
// piece (otherwise V_ROTR16/12/8/7 are needed too, and the rounds are built
// from them, V_ADD and V_XOR). Included again with CB3_TEMPLATE_KERNEL_ONLY defined, it
// adds one more kernel (another KERNEL_NAME and store_cvs) over the same COMPRESS_LANES.

#ifndef PREFETCH_BLOCKS
#define PREFETCH_BLOCKS 3
#endif

#ifndef CB3_TEMPLATE_KERNEL_ONLY
#ifndef COMPRESS_ROUNDS
#define TG(a, b, c, d, mx, my)                  \
    do {                                        \
        v[a] = V_ADD(V_ADD(v[a], v[b]), (mx));  \
        v[d] = V_ROTR16(V_XOR(v[d], v[a]));     \
        v[c] = V_ADD(v[c], v[d]);               \
        v[b] = V_ROTR12(V_XOR(v[b], v[c]));     \
        v[a] = V_ADD(V_ADD(v[a], v[b]), (my));  \
        v[d] = V_ROTR8(V_XOR(v[d], v[a]));      \
        v[c] = V_ADD(v[c], v[d]);               \
        v[b] = V_ROTR7(V_XOR(v[b], v[c]));      \
    } while (0)

#define TROUND(r)                                                        \
    do {                                                                 \
        TG(0, 4, 8, 12, m[CB3_SCHED[r][0]], m[CB3_SCHED[r][1]]);         \
        TG(1, 5, 9, 13, m[CB3_SCHED[r][2]], m[CB3_SCHED[r][3]]);         \
        TG(2, 6, 10, 14, m[CB3_SCHED[r][4]], m[CB3_SCHED[r][5]]);        \
        TG(3, 7, 11, 15, m[CB3_SCHED[r][6]], m[CB3_SCHED[r][7]]);        \
        TG(0, 5, 10, 15, m[CB3_SCHED[r][8]], m[CB3_SCHED[r][9]]);        \
        TG(1, 6, 11, 12, m[CB3_SCHED[r][10]], m[CB3_SCHED[r][11]]);      \
        TG(2, 7, 8, 13, m[CB3_SCHED[r][12]], m[CB3_SCHED[r][13]]);       \
        TG(3, 4, 9, 14, m[CB3_SCHED[r][14]], m[CB3_SCHED[r][15]]);       \
    } while (0)
#endif

// One compression in every lane: `h` (word w of every lane's chaining value in h[w]) is
// replaced by the chaining values after compressing the message rows `m`.
KATTR static inline __attribute__((always_inline)) void COMPRESS_LANES(VEC h[8], const VEC m[16], VEC ctr_lo,
                                                                      VEC ctr_hi, uint32_t block_len, uint8_t flags) {
    VEC v[16] = {
        h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7],
        V_SET1(CB3_IV0), V_SET1(CB3_IV1), V_SET1(CB3_IV2), V_SET1(CB3_IV3),
        ctr_lo, ctr_hi, V_SET1(block_len), V_SET1(flags),
    };
#ifdef COMPRESS_ROUNDS
    COMPRESS_ROUNDS(v, m);
#else
    TROUND(0); TROUND(1); TROUND(2); TROUND(3); TROUND(4); TROUND(5); TROUND(6);
#endif
    for (int i = 0; i < 8; i++) h[i] = V_XOR(v[i], v[i + 8]);
}
#endif

KATTR void KERNEL_NAME(const uint8_t *input, size_t stride, size_t blocks, const uint32_t key[8],
                       uint64_t counter, bool increment_counter, uint8_t flags,
                       uint8_t flags_start, uint8_t flags_end, uint8_t *out) {
    VEC h[8];
    for (int i = 0; i < 8; i++) h[i] = V_SET1(key[i]);
    uint32_t lo[LANES], hi[LANES];
    for (int j = 0; j < LANES; j++) {
        uint64_t c = counter + (increment_counter ? (uint64_t)j : 0);
        lo[j] = (uint32_t)c;
        hi[j] = (uint32_t)(c >> 32);
    }
    const VEC ctr_lo = V_LOADU(lo);
    const VEC ctr_hi = V_LOADU(hi);
    uint8_t bflags = flags | flags_start;
    for (size_t b = 0; b < blocks; b++) {
        if (b + 1 == blocks) bflags |= flags_end;
        VEC m[16];
        // Where to prefetch: PREFETCH_BLOCKS ahead in each lane, and for inputs longer than
        // that, past a lane's last block on in the lane LANES further (the next batch, when
        // the inputs are consecutive, as chunks are). The address may lie past the input, so
        // it is an integer: prefetches do not fault, but pointer arithmetic there is undefined.
        const size_t target = b + PREFETCH_BLOCKS;
        const uintptr_t ahead = (uintptr_t)input + (target < blocks || blocks <= PREFETCH_BLOCKS
                                                        ? 64 * target
                                                        : LANES * stride + 64 * (target - blocks));
        load_msg(input + 64 * b, stride, m, ahead);
        COMPRESS_LANES(h, m, ctr_lo, ctr_hi, CB3_BLOCK_LEN, bflags);
        bflags = flags;
    }
    store_cvs(h, out);
}

#if !defined(COMPRESS_ROUNDS) && !defined(CB3_TEMPLATE_KERNEL_ONLY)
#undef TG
#undef TROUND
#endif
