#!/usr/bin/env python3
"""Generates Sources/CFieldKernels/fr_arith_adx.h: the BMI2/ADX Montgomery multiplication and
the NTT butterfly runs built on it.

One CIOS round is written once below and unrolled four times; instead of moving the
accumulator down one limb after each reduction, the five accumulator registers are renamed.
The butterfly runs put a whole loop of butterflies in one asm block: with the loads, the
additions and the product under one register plan, nothing is spilled between them (in C,
clang spilled the loop's pointers around every product and lowered the additions to
setb/movzx chains).
Run from the repository root: scripts/gen-fr-mul-adx.py > Sources/CFieldKernels/fr_arith_adx.h
"""


def montgomery_rounds(emit, a, b, zero=None):
    """Emits t = a·b·2^-256 (lazy, below 2r) into the five registers r0..r4, renamed per round.

    a(j) is the memory operand holding limb j of a; b(i) the source of limb i of b, loaded into
    rdx. zero names a register to clear and use as the carry-in zero; without one, lo is
    cleared (xor clears CF and OF) and re-zeroed with mov, which leaves the flags alone.
    Returns the register names holding limbs 0..3 of the result.
    """
    t = ["r0", "r1", "r2", "r3", "r4"]
    z = zero or "lo"
    # Round 0: t = a * b[0] (t starts at zero, so one plain carry chain suffices).
    emit(f"movq {b(0)}, %%rdx")
    emit(f"mulxq {a(0)}, %[{t[0]}], %[{t[1]}]")
    emit(f"mulxq {a(1)}, %[lo], %[{t[2]}]")
    emit(f"addq %[lo], %[{t[1]}]")
    emit(f"mulxq {a(2)}, %[lo], %[{t[3]}]")
    emit(f"adcq %[lo], %[{t[2]}]")
    emit(f"mulxq {a(3)}, %[lo], %[{t[4]}]")
    emit(f"adcq %[lo], %[{t[3]}]")
    emit(f"adcq $0, %[{t[4]}]")
    for i in range(4):
        if i > 0:
            # t += a * b[i]: low halves on the CF chain (adcx), high halves on OF (adox).
            emit(f"movq {b(i)}, %%rdx")
            emit(f"xorl %k[{z}], %k[{z}]")
            for j in range(3):
                emit(f"mulxq {a(j)}, %[lo], %[hi]")
                emit(f"adcxq %[lo], %[{t[j]}]")
                emit(f"adoxq %[hi], %[{t[j + 1]}]")
            emit(f"mulxq {a(3)}, %[lo], %[{t[4]}]")
            emit(f"adcxq %[lo], %[{t[3]}]")
            if zero is None:
                emit("movl $0, %k[lo]")
            emit(f"adoxq %[{z}], %[{t[4]}]")
            emit(f"adcxq %[{z}], %[{t[4]}]")
        # t += m * r with m = t0 * (-r^-1): t0 becomes zero and is dropped.
        emit(f"movq %[{t[0]}], %%rdx")
        emit("imulq %[ninv], %%rdx")
        emit(f"xorl %k[{z}], %k[{z}]")
        for j in range(4):
            emit(f"mulxq %[p{j}], %[lo], %[hi]")
            emit(f"adcxq %[lo], %[{t[j]}]")
            emit(f"adoxq %[hi], %[{t[j + 1]}]")
        if zero is None:
            emit("movl $0, %k[lo]")
        emit(f"adcxq %[{z}], %[{t[4]}]")
        t = t[1:] + t[:1]
    return t[:4]


def emitter(lines):
    return lambda s: lines.append('"' + s + '\\n\\t"')


def add_chain(emit, op, sources, targets):
    """targets op= sources limb by limb, the carry running through (op: add or sub)."""
    first, rest = ("addq", "adcq") if op == "add" else ("subq", "sbbq")
    for i in range(4):
        emit(f"{first if i == 0 else rest} {sources[i]}, {targets[i]}")


def reduce_2r(emit, values, scratch):
    """values = values − 2r if values >= 2r (values < 4r); scratch holds four free registers."""
    for i in range(4):
        emit(f"movq {values[i]}, {scratch[i]}")
    add_chain(emit, "sub", [f"%[q{i}]" for i in range(4)], scratch)
    for i in range(4):
        emit(f"cmovncq {scratch[i]}, {values[i]}")


def mem(pointer, i):
    return f"{8 * i}(%[{pointer}])"


def advance(emit):
    emit("addq $32, %[x]")
    emit("addq $32, %[y]")
    emit("addq %[tws], %[tw]")
    emit("decq %[cnt]")
    emit("jnz 1b")


def dif_run():
    """(x, y) <- (x + y mod 2r, (x − y + 2r)·w) for each butterfly; x, y below 2r."""
    lines = []
    emit = emitter(lines)
    r = [f"%[r{i}]" for i in range(4)]
    spare = ["%[r4]", "%[lo]", "%[hi]", "%%rdx"]
    emit("1:")
    # d = x + 2r − y, kept in the scratch slots d0..d3 for the product.
    for i in range(4):
        emit(f"movq {mem('x', i)}, {r[i]}")
    add_chain(emit, "add", [f"%[q{i}]" for i in range(4)], r)
    add_chain(emit, "sub", [mem("y", i) for i in range(4)], r)
    for i in range(4):
        emit(f"movq {r[i]}, %[d{i}]")
    # x = x + y, reduced below 2r.
    for i in range(4):
        emit(f"movq {mem('x', i)}, {r[i]}")
    add_chain(emit, "add", [mem("y", i) for i in range(4)], r)
    reduce_2r(emit, r, spare)
    for i in range(4):
        emit(f"movq {r[i]}, {mem('x', i)}")
    # y = d·w.
    t = montgomery_rounds(emit, lambda j: f"%[d{j}]", lambda i: mem("tw", i))
    for i in range(4):
        emit(f"movq %[{t[i]}], {mem('y', i)}")
    advance(emit)
    return lines


def dit_run():
    """(x, y) <- (x' + y·w, x' − y·w + 2r) with x' = x mod 2r; x, y below 4r."""
    lines = []
    emit = emitter(lines)
    emit("1:")
    # s = y·w, kept in the scratch slots d0..d3.
    t = montgomery_rounds(emit, lambda j: mem("y", j), lambda i: mem("tw", i))
    for i in range(4):
        emit(f"movq %[{t[i]}], %[d{i}]")
    x = ["%[r0]", "%[r1]", "%[r2]", "%[r3]"]
    spare = ["%[r4]", "%[lo]", "%[hi]", "%%rdx"]
    for i in range(4):
        emit(f"movq {mem('x', i)}, {x[i]}")
    reduce_2r(emit, x, spare)
    # y = x + 2r − s.
    for i in range(4):
        emit(f"movq {x[i]}, {spare[i]}")
    add_chain(emit, "add", [f"%[q{i}]" for i in range(4)], spare)
    add_chain(emit, "sub", [f"%[d{i}]" for i in range(4)], spare)
    for i in range(4):
        emit(f"movq {spare[i]}, {mem('y', i)}")
    # x = x + s.
    add_chain(emit, "add", [f"%[d{i}]" for i in range(4)], x)
    for i in range(4):
        emit(f"movq {x[i]}, {mem('x', i)}")
    advance(emit)
    return lines


HEADER = """// 4-limb Montgomery multiplication with BMI2/ADX: mulx for the products and two independent
// carry chains (adcx on CF, adox on OF), so each round's additions interleave instead of
// serializing on one carry flag. Same algorithm as fr_mul_inline (CIOS without a fifth word);
// the accumulator's five registers rotate by one name per round instead of being moved.
// Also the NTT butterfly runs: a loop of butterflies in one asm block (see the generator).
// Generated by scripts/gen-fr-mul-adx.py (one round written once, unrolled with renaming).
#ifndef PROVER_FR_ARITH_ADX_H
#define PROVER_FR_ARITH_ADX_H
#if defined(__x86_64__)

#include <stddef.h>
#include "fr_arith.h"
#include "fr_arith_x86.h"

static const uint64_t fr_adx_modulus[4] = {FR_P0, FR_P1, FR_P2, FR_P3};
static const uint64_t fr_adx_ninv = FR_NINV;
"""

RUN_OPERANDS = """        : [x] "+r"(x), [y] "+r"(y), [tw] "+r"(tw), [cnt] "+r"(count),
          [r0] "=&r"(r0), [r1] "=&r"(r1), [r2] "=&r"(r2), [r3] "=&r"(r3), [r4] "=&r"(r4),
          [lo] "=&r"(lo), [hi] "=&r"(hi),
          [d0] "=m"(d[0]), [d1] "=m"(d[1]), [d2] "=m"(d[2]), [d3] "=m"(d[3])
        : [tws] "r"(tw_stride * 32),
          [q0] "m"(fr_x86_twice_modulus[0]), [q1] "m"(fr_x86_twice_modulus[1]),
          [q2] "m"(fr_x86_twice_modulus[2]), [q3] "m"(fr_x86_twice_modulus[3]),
          [p0] "m"(fr_adx_modulus[0]), [p1] "m"(fr_adx_modulus[1]), [p2] "m"(fr_adx_modulus[2]),
          [p3] "m"(fr_adx_modulus[3]), [ninv] "m"(fr_adx_ninv)
        : "rdx", "cc", "memory");
    (void)r0; (void)r1; (void)r2; (void)r3; (void)r4; (void)lo; (void)hi;"""


def run_function(name, doc, lines):
    body = "\n        ".join(lines)
    return f"""{doc}
FR_INLINE void {name}(uint64_t *x, uint64_t *y, const uint64_t *tw, size_t tw_stride, size_t count) {{
    if (count == 0) return;
    uint64_t r0, r1, r2, r3, r4, lo, hi, d[4];
    __asm__ volatile(
        {body}
{RUN_OPERANDS}
}}"""


if __name__ == "__main__":
    lines = []
    t = montgomery_rounds(emitter(lines), lambda j: f"{8 * j}(%[a])", lambda i: f"{8 * i}(%[b])", zero="z")
    body = "\n        ".join(lines)
    print(HEADER)
    print(f"""// out = a·b·2^-256 mod r, in [0, 2r) (not fully reduced) when a < 4r and a·b < 4r·r.
FR_INLINE void fr_mul_adx_lazy_inline(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) {{
    uint64_t r0, r1, r2, r3, r4, lo, hi, z;
    __asm__(
        {body}
        : [r0] "=&r"(r0), [r1] "=&r"(r1), [r2] "=&r"(r2), [r3] "=&r"(r3), [r4] "=&r"(r4),
          [lo] "=&r"(lo), [hi] "=&r"(hi), [z] "=&r"(z)
        : [a] "r"(a), [b] "r"(b), "m"(*(const uint64_t(*)[4])a), "m"(*(const uint64_t(*)[4])b),
          [p0] "m"(fr_adx_modulus[0]), [p1] "m"(fr_adx_modulus[1]), [p2] "m"(fr_adx_modulus[2]),
          [p3] "m"(fr_adx_modulus[3]), [ninv] "m"(fr_adx_ninv)
        : "rdx", "cc");
    (void)lo; (void)hi; (void)z; (void)r3;
    // The result is below 2r; the fifth register ends at zero.
    out[0] = {t[0]}; out[1] = {t[1]}; out[2] = {t[2]}; out[3] = {t[3]};
}}

// out = a·b·2^-256 mod r, fully reduced.
FR_INLINE void fr_mul_adx_inline(uint64_t out[4], const uint64_t a[4], const uint64_t b[4]) {{
    fr_mul_adx_lazy_inline(out, a, b);
    fr_x86_subtract_if_above(out, fr_x86_modulus);
}}
""")
    print(run_function("fr_adx_dif_butterflies", """// `count` decimation-in-frequency butterflies: for j < count, with x_j = x + 4j, y_j = y + 4j
// and w_j = tw + 4j·tw_stride (limbs), (x_j, y_j) <- (x_j + y_j, (x_j − y_j)·w_j); inputs below
// 2r, outputs in [0, 2r). x and y ranges do not overlap.""", dif_run()))
    print()
    print(run_function("fr_adx_dit_butterflies", """// `count` decimation-in-time butterflies, laid out as for fr_adx_dif_butterflies:
// (x_j, y_j) <- (x_j + y_j·w_j, x_j − y_j·w_j); inputs below 4r, outputs in [0, 4r).""", dit_run()))
    print("""
#endif
#endif""")
