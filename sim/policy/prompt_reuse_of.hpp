// What of a request's cloud prompt the cloud's prefix and encoder caches
// may share with other prompts (sim/engine/prompt_reuse.hpp), once its
// media became `visual_tokens` tokens.
#pragma once
#include "sim/engine/prompt_reuse.hpp"
#include "sim/request.hpp"

namespace msao {

// The conversation chain and the encoder key both name the visual tokens:
// a turn whose media were pruned differently (another question, another
// MAS) lays out other tokens after the shared prefix, so neither its
// history's KV nor its encoding is the earlier turn's.
PromptReuse prompt_reuse_of(const Request& r, int visual_tokens);

}  // namespace msao
