// Stands in for <immintrin.h> when the AVX-512 kernel is built for emulation
// (scripts/test-avx512-emulated): the compiler's own intrinsics first, then SIMDe's
// AVX-512 intrinsics under their Intel names, implemented with AVX2.
#include_next <immintrin.h>
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>
