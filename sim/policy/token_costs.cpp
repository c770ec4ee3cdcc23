#include "sim/policy/token_costs.hpp"

#include <algorithm>

namespace msao {

EdgeWork PlannedTokenCosts::draft(int step, int k) const {
  // The edge's prefill already yields the first output token's logits (as
  // an edge-only answer: prefill + N-1 decode steps), so drafting from step 0
  // takes one decode step fewer.
  const int steps = step == 0 ? k - 1 : k;
  if (steps <= 0) return {};
  const auto c = in_.edge->decode(in_.edge_context_tokens + step, steps);
  return {c.seconds, c.flops};
}

CloudWork PlannedTokenCosts::catch_up(const RoundState& s, int extra) const {
  CloudWork w;
  const CloudWork& ctx = in_.cloud_context;
  const int context = ctx.job.prefill_tokens;
  int ids;  // output-token positions prefilled: their token ids travel up
  if (s.inputs_on_cloud) {
    w.job.context_tokens = s.cloud_kv_tokens;
    ids = context + s.step + extra - s.cloud_kv_tokens;
    w.up_bytes = in_.header_bytes;
  } else {
    // The kept inputs and prompt travel with this message and are encoded first.
    ids = s.step + extra;
    w.up_bytes = ctx.up_bytes;
    w.job.pre_s = ctx.job.pre_s;
    w.job.pre_flops = ctx.job.pre_flops;
  }
  w.job.prefill_tokens = (s.inputs_on_cloud ? 0 : context) + ids;
  w.up_bytes += ids * in_.bytes_per_token;
  return w;
}

CloudWork PlannedTokenCosts::verify(const RoundState& s, int k) const {
  // The positions the cloud's cache lacks, then the k drafts: one pass
  // scores every drafted position. The reply carries the accepted count and
  // the cloud's own next token.
  CloudWork w = catch_up(s, k);
  w.job.decode_tokens = 0;
  w.down_bytes = in_.header_bytes + 2 * in_.bytes_per_token;
  return w;
}

CloudWork PlannedTokenCosts::handoff(const RoundState& s, int lead, int accepted) const {
  // The draft and full models differ, so no KV or hidden state carries
  // over: the cloud gets the token ids its cache lacks (and the kept inputs
  // if it does not hold them) and the draft's lead, prefills them in one
  // pass, whose logits give its first own token, and decodes the rest.
  // When its cache already holds every final token (a hand-off right after
  // the context prefill), that prefill's logits give the first token: no
  // pass at all before decoding.
  CloudWork w = catch_up(s, lead);
  if (w.job.prefill_tokens == 0) w.job.first_token_ready = true;
  const int generated = s.output_tokens - s.step - accepted;
  w.job.decode_tokens = generated;
  w.down_bytes = in_.header_bytes + generated * in_.bytes_per_token;
  return w;
}

CloudWork PlannedTokenCosts::cloud_generation(int output_tokens) const {
  // The context job, decoding on after its prefill: the prefill's logits
  // give the first token, output_tokens - 1 decode steps the rest. The
  // reply is priced here as if the edge had heard nothing before it.
  CloudWork w = in_.cloud_context;
  w.job.decode_tokens = output_tokens;
  w.down_bytes = reply_bytes(output_tokens);
  return w;
}

}  // namespace msao
