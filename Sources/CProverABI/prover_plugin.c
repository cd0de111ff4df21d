// CProverABI is a header-only module (include/prover_plugin.h); SwiftPM wants one source file.
#include "prover_plugin.h"

// Compile-time checks of the v1 layout: these offsets are the ABI and must never move.
_Static_assert(sizeof(prover_build_magic_v1) == 64, "build magic layout");
_Static_assert(offsetof(prover_plugin_v1, magic) == 16, "descriptor header layout");
_Static_assert(offsetof(prover_plugin_v1, name) == 80, "descriptor layout");
_Static_assert(offsetof(prover_host_api_v1, log) == 16, "host table layout");
_Static_assert(offsetof(prover_statement_v1, air) == 8, "statement layout");
