#include "sim/policy/prompt_reuse_of.hpp"

#include "workloads/rng.hpp"

namespace msao {

namespace {
// A non-zero key from an identity and the token count it became.
uint64_t key_of(uint64_t id, int tokens) {
  const uint64_t k = splitmix64(id ^ splitmix64(static_cast<uint64_t>(tokens) + 0x9e3779b97f4a7c15ULL));
  return k != 0 ? k : 1;
}
}  // namespace

PromptReuse prompt_reuse_of(const Request& r, int visual_tokens) {
  PromptReuse u;
  if (r.prefix_group != 0 && r.prefix_tokens > 0) {
    u.group = r.prefix_group;
    u.group_tokens = r.prefix_tokens;
  }
  if (r.session != 0) u.chain = key_of(r.session, visual_tokens);
  if (r.media_id != 0 && visual_tokens > 0) {
    u.media = key_of(r.media_id, visual_tokens);
    u.media_end = u.group_tokens + visual_tokens;
  }
  return u;
}

}  // namespace msao
