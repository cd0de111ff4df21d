// The example C plugin has no public API besides its entry symbol (prover_plugin_entry_v1).
#include "prover_plugin.h"
