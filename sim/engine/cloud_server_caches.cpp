// CloudServer's prefix and encoder caches (sim/engine/prefix_cache.hpp):
// a job's lookup on admission and its undoing on preemption, the cache
// taking a job's computed blocks, eviction before a request waits, and the
// encoder cache. The serving loop itself is cloud_server.cpp.
#include "sim/engine/cloud_server.hpp"

#include <algorithm>
#include <string>

namespace sg4 = simgrid::s4u;

namespace msao {

bool CloudServer::evict_for(double room) {
  const double over = kv_used_ + room - cost_.kv_capacity_bytes;
  if (over <= 0) return true;
  if (!prefix_) return false;
  const double freed = prefix_->evict(over);
  kv_used_ -= freed;
  kv_freed_ += freed;
  return kv_used_ + room <= cost_.kv_capacity_bytes;
}

void CloudServer::look_up_prefix(CloudTicket& t) {
  if (!t.reuses || t.prefix_looked_up) return;
  t.prefix_looked_up = true;
  // (A job re-admitted after a preemption also re-prefills its generated
  // tokens; only its prompt is looked up.)
  t.cached_tokens = prefix_->lookup(t.job.reuse, t.job.prefill_tokens);
  t.pins = prefix_->pin(t.job.reuse);
  t.job.context_tokens += t.cached_tokens;
  t.job.prefill_tokens -= t.cached_tokens;
}

void CloudServer::undo_lookup(CloudTicket& t) {
  if (!t.prefix_looked_up) return;
  prefix_->unpin(t.job.reuse, t.pins);
  t.job.context_tokens -= t.cached_tokens;
  t.job.prefill_tokens += t.cached_tokens;
  t.cached_tokens = 0;
  t.prefix_looked_up = false;
}

void CloudServer::cache_computed(CloudTicket& t, int computed) {
  const double moved = prefix_->insert(t.job.reuse, computed);
  if (check_ && moved > t.kv_reserved + 1e-9 * cost_.kv_capacity_bytes + 1)
    check_->broken("a cached block counted twice", t.request, replica_, sg4::Engine::get_clock(),
                   std::to_string(moved) + " B joined the cache from a job holding " + std::to_string(t.kv_reserved) + " B");
  t.kv_reserved -= moved;
  // The blocks it computed are the cache's now; it uses them while it runs.
  prefix_->unpin(t.job.reuse, t.pins);
  t.pins = prefix_->pin(t.job.reuse);
}

void CloudServer::leave_cache(CloudTicket& t, bool keep) {
  if (!t.reuses || !t.prefix_looked_up) return;
  // Its answer's blocks too: the next turn resends it (the last token's KV was never computed).
  if (keep && t.job.reuse.chain != 0)
    cache_computed(t, t.job.context_tokens + t.job.prefill_tokens + std::max(0, t.generated - 1));
  prefix_->unpin(t.job.reuse, t.pins);
  t.prefix_looked_up = false;
}

bool CloudServer::needs_encoder(CloudTicket& t) {
  const PromptReuse& r = t.job.reuse;
  t.encoder_looked_up = r.media != 0 && t.job.pre_s > 0;
  if (!t.encoder_looked_up) return true;
  // Every position the encoder would fill is already in the cached prefix
  // (vLLM schedules no encoder input whose tokens are all computed).
  if (t.cached_tokens > 0 && t.cached_tokens >= r.media_end) return !(t.encoder_hit = true);
  if (!encoder_) return true;
  if (encoder_->use(r.media)) return !(t.encoder_hit = true);
  encoder_->insert(r.media, r.media_end - r.group_tokens);
  return true;
}

}  // namespace msao
