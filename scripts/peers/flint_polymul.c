// Peer measurement: FLINT's fmpz_mod_poly_mul over the BN254 scalar field r, single thread,
// for the same sizes as `prover bench ntt` (two polynomials of 2^k coefficients each).
// Prints JSON lines like prover bench --json. Built and run by scripts/peers/flint-polymul.
#include <flint/flint.h>
#include <flint/fmpz.h>
#include <flint/fmpz_mod.h>
#include <flint/fmpz_mod_poly.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    flint_set_num_threads(1);
    fmpz_t r;
    fmpz_init(r);
    fmpz_set_str(r, "21888242871839275222246405745257275088548364400416034343698204186575808495617", 10);
    fmpz_mod_ctx_t ctx;
    fmpz_mod_ctx_init(ctx, r);
    flint_rand_t state;
    flint_randinit(state);
    int logs[] = {12, 16};
    for (int k = 0; k < 2; k++) {
        if (argc > 1 && atoi(argv[1]) < logs[k]) continue;
        slong n = (slong)1 << logs[k];
        fmpz_mod_poly_t a, b, c;
        fmpz_mod_poly_init(a, ctx);
        fmpz_mod_poly_init(b, ctx);
        fmpz_mod_poly_init(c, ctx);
        fmpz_mod_poly_randtest(a, state, n, ctx);
        fmpz_mod_poly_randtest(b, state, n, ctx);
        int reps = logs[k] >= 16 ? 5 : 11;
        double samples[16];
        fmpz_mod_poly_mul(c, a, b, ctx);  // warm-up
        for (int i = 0; i < reps; i++) {
            double t0 = now_ns();
            fmpz_mod_poly_mul(c, a, b, ctx);
            samples[i] = now_ns() - t0;
        }
        qsort(samples, reps, sizeof(double), compare);
        printf("{\"suite\":\"peers\",\"case\":\"flint.polymul.2^%d\",\"metric\":\"ms\",\"value\":%.3f,\"unit\":\"ms\",\"threads\":1}\n",
               logs[k], samples[reps / 2] / 1e6);
        fmpz_mod_poly_clear(a, ctx);
        fmpz_mod_poly_clear(b, ctx);
        fmpz_mod_poly_clear(c, ctx);
    }
    flint_randclear(state);
    fmpz_mod_ctx_clear(ctx);
    fmpz_clear(r);
    return 0;
}
