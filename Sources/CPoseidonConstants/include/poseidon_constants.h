#ifndef PROVER_POSEIDON_CONSTANTS_H
#define PROVER_POSEIDON_CONSTANTS_H

// circomlib's Poseidon parameters over BN254 for widths t = 2...17 (8 full rounds, x^5).
// Element k of a table is limbs [4k, 4k+4), Montgomery form. For width t:
//   round constants: elements [round_constant_offsets[t], round_constant_offsets[t+1]),
//                    t per round, (8 + partial_rounds[t]) rounds;
//   MDS matrix:      elements [mds_offsets[t], mds_offsets[t+1]), row-major t×t.
// Entries for t < 2 are zero and unused.

#include <stdint.h>

extern const uint32_t prover_poseidon_partial_rounds[18];
extern const uint32_t prover_poseidon_round_constant_offsets[19];
extern const uint32_t prover_poseidon_mds_offsets[19];
extern const uint64_t prover_poseidon_round_constants[];
extern const uint64_t prover_poseidon_mds[];

// The tables' addresses (Swift imports arrays of unknown size poorly).
static inline const uint64_t *prover_poseidon_round_constants_address(void) { return prover_poseidon_round_constants; }
static inline const uint64_t *prover_poseidon_mds_address(void) { return prover_poseidon_mds; }

#endif
