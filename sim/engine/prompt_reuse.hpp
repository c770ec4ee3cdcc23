// PromptReuse: what of a cloud job's prompt other prompts may share, for
// the replica's prefix and encoder caches (sim/engine/prefix_cache.hpp).
// The planner fills it from the request (sim/policy/prompt_reuse_of.cpp).
#pragma once
#include <cstdint>

namespace msao {

// What of a prompt other prompts may share (CloudJob::reuse). Layout of a
// prompt: [group's shared prefix][media tokens][conversation so far][new text].
struct PromptReuse {
  uint64_t group = 0;     // shared prefix (0: none)
  int group_tokens = 0;   // its length, tokens
  uint64_t chain = 0;     // conversation chain (0: none; the prompt's rest is its own)
  uint64_t media = 0;     // encoder cache key: the media and the tokens it became (0: none)
  int media_end = 0;      // prompt position after the media tokens (the encoder's output)
  bool operator==(const PromptReuse&) const = default;
};

}  // namespace msao
