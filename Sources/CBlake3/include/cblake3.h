// CBlake3: BLAKE3 compression kernels (portable, SSE4.1, AVX2, AVX-512) with
// runtime CPU dispatch. Written from the BLAKE3 specification
// (https://github.com/BLAKE3-team/BLAKE3-specs/blob/master/blake3.pdf).
// Words are little-endian; chaining values cross the API as 32 bytes.
#ifndef CBLAKE3_H
#define CBLAKE3_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

// Domain-separation flags (spec §2.1, Table 3).
enum {
    CB3_CHUNK_START = 1 << 0,
    CB3_CHUNK_END = 1 << 1,
    CB3_PARENT = 1 << 2,
    CB3_ROOT = 1 << 3,
    CB3_KEYED_HASH = 1 << 4,
    CB3_DERIVE_KEY_CONTEXT = 1 << 5,
    CB3_DERIVE_KEY_MATERIAL = 1 << 6,
};

enum { CB3_BLOCK_LEN = 64, CB3_CHUNK_LEN = 1024, CB3_OUT_LEN = 32 };

// Kernel backends, ordered by width. A higher backend may use lower ones for
// batch remainders.
typedef enum {
    CB3_BACKEND_PORTABLE = 0,
    CB3_BACKEND_SSE41 = 1,
    CB3_BACKEND_AVX2 = 2,
    CB3_BACKEND_AVX512 = 3,
} cb3_backend;

/// The IV (equal to SHA-256's initial hash value, spec §2.2) as 8 words.
extern const uint32_t cb3_iv[8];

/// Best backend this CPU (and OS) supports.
cb3_backend cb3_detected_backend(void);
/// True when `backend` can run on this CPU.
bool cb3_backend_supported(cb3_backend backend);
/// Backend in use: the detected one, or the one forced by cb3_force_backend or
/// the PROVER_BLAKE3_BACKEND environment variable (portable|sse41|avx2|avx512).
cb3_backend cb3_active_backend(void);
/// Force a backend (for tests and benchmarks). Returns false, changing nothing,
/// if the CPU does not support it. Pass a negative value to return to automatic.
bool cb3_force_backend(int backend);

/// Number of online CPUs (at least 1).
int cb3_online_cpus(void);

/// One compression (portable), updating the 8-word chaining value in place.
void cb3_compress_in_place(uint32_t cv[8], const uint8_t block[64], uint8_t block_len,
                           uint64_t counter, uint8_t flags);
/// One compression (portable) producing the full 64-byte extended output.
void cb3_compress_xof(const uint32_t cv[8], const uint8_t block[64], uint8_t block_len,
                      uint64_t counter, uint8_t flags, uint8_t out[64]);

/// The 32-byte root digest of an input of at most one chunk (len <= 1024),
/// portable; `flags` is the mode flag (0, KEYED_HASH or DERIVE_KEY_*).
void cb3_hash_single_chunk(const uint8_t *input, size_t len, const uint32_t key[8], uint8_t flags,
                           uint8_t out[32]);

/// Root extended output: `num_blocks` consecutive 64-byte output blocks
/// starting at output block index `first_block` (seekable XOF).
void cb3_xof_many(const uint32_t cv[8], const uint8_t block[64], uint8_t block_len,
                  uint64_t first_block, uint8_t flags, uint8_t *out, size_t num_blocks);

/// Many independent inputs, each `blocks` whole 64-byte blocks; input `i`
/// starts at `input + i * stride`. Each is compressed from `key`, with block
/// counter `counter + i` when `increment_counter` (else `counter`), flags
/// `flags` plus `flags_start` on its first block and `flags_end` on its last.
/// The 32-byte result of input `i` goes to `out + 32 * i`.
void cb3_hash_many(const uint8_t *input, size_t stride, size_t num_inputs, size_t blocks,
                   const uint32_t key[8], uint64_t counter, bool increment_counter,
                   uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out);

/// Same, with an explicit backend (must be supported; for tests).
void cb3_hash_many_backend(cb3_backend backend, const uint8_t *input, size_t stride,
                           size_t num_inputs, size_t blocks, const uint32_t key[8],
                           uint64_t counter, bool increment_counter, uint8_t flags,
                           uint8_t flags_start, uint8_t flags_end, uint8_t *out);

/// Chaining value (non-root), computed with `backend` (must be supported), of the complete subtree made of `num_chunks`
/// whole 1024-byte chunks, `num_chunks` a power of two, the first chunk having
/// chunk counter `chunk_counter` (which must be a multiple of `num_chunks`).
void cb3_subtree_cv(cb3_backend backend, const uint8_t *input, size_t num_chunks, const uint32_t key[8],
                    uint64_t chunk_counter, uint8_t flags, uint8_t out[32]);

/// The chaining values of the two halves of the same subtree (`num_chunks` >= 2), left then
/// right: the root's children, for a subtree that may still be the root of the whole input.
void cb3_subtree_children(cb3_backend backend, const uint8_t *input, size_t num_chunks, const uint32_t key[8],
                          uint64_t chunk_counter, uint8_t flags, uint8_t out[64]);

#ifdef __cplusplus
}
#endif
#endif
