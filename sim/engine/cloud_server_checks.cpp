// CloudServer's books, checked as it runs (InvariantCheck): each
// iteration's batch against the server's queues and KV, and at the end of
// the run KV conservation. The serving loop itself is cloud_server.cpp.
#include "sim/engine/cloud_server.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace sg4 = simgrid::s4u;

namespace msao {

void CloudServer::check_iteration(const std::vector<CloudTicket*>& batch, const std::vector<int>& steps,
                                  double now) {
  const double tol = 1e-9 * cost_.kv_capacity_bytes + 1;
  for (size_t i = 0; i < batch.size(); ++i) {
    CloudTicket* t = batch[i];
    // A multi-token step gains at most its chunk (the offered drafts and the
    // cloud's own token), only on a prefilled sequence at the offer's
    // position, and never past the job's end.
    if (steps[i] > 0 && (!t->prefilled || t->generated != t->offer_at || t->offer_accepted < 0 ||
                         t->offer_accepted > t->offer_k || steps[i] > t->offer_k + 1 ||
                         t->generated + steps[i] > t->job.decode_tokens))
      check_->broken("a multi-token step outside its offer", t->request, replica_, now,
                     "gains " + std::to_string(steps[i]) + " at " + std::to_string(t->generated) + " of " +
                         std::to_string(t->job.decode_tokens) + ", offer of " + std::to_string(t->offer_k) +
                         " at " + std::to_string(t->offer_at) + " accepting " + std::to_string(t->offer_accepted));
    if (t->queue != CloudTicket::Queue::Running)
      check_->broken("a batch member not running", t->request, replica_, now, "its job is not in the running queue");
    if (t->last_iteration == iterations_)
      check_->broken("a request twice in one batch", t->request, replica_, now,
                     "batch of " + std::to_string(batch.size()) + " holds it twice");
    t->last_iteration = iterations_;
    // (A finished re-prefill after a preemption leaves prefill_done past its prompt: only a prefill in progress counts.)
    if (t->generated > std::max(0, t->job.decode_tokens) || (!t->prefilled && t->prefill_done > prompt_tokens(*t)))
      check_->broken("a sequence past its job", t->request, replica_, now,
                     std::to_string(t->generated) + " of " + std::to_string(t->job.decode_tokens) + " tokens, " +
                         std::to_string(t->prefill_done) + " of " + std::to_string(prompt_tokens(*t)) + " prefilled");
  }
  if (batch.size() > running_.size())
    check_->broken("a batch larger than the replica's work", InvariantCheck::kNoRequest, replica_, now,
                   std::to_string(batch.size()) + " sequences, " + std::to_string(running_.size()) + " running");
  if (prefix_ && (prefix_->bytes() > kv_used_ + tol || !prefix_->pins_consistent()))
    check_->broken("prefix cache outside the KV held", InvariantCheck::kNoRequest, replica_, now,
                   std::to_string(prefix_->bytes()) + " B cached of " + std::to_string(kv_used_) + " B held" +
                       (prefix_->pins_consistent() ? "" : ", an entry unpinned more often than pinned"));
  if (kv_used_ < -tol || kv_used_ > cost_.kv_capacity_bytes + tol)
    check_->broken("KV held outside [0, capacity]", InvariantCheck::kNoRequest, replica_, now,
                   std::to_string(kv_used_) + " B held, capacity " + std::to_string(cost_.kv_capacity_bytes) + " B");
}

void CloudServer::check_books_at_end(bool stopped) const {
  if (!check_) return;
  const double now = sg4::Engine::get_clock(), tol = 1e-9 * cost_.kv_capacity_bytes + 1;
  double held = prefix_ ? prefix_->bytes() : 0, awaited = 0;
  for (const auto& t : running_) {
    held += t->kv_reserved;
    if (!t->cancelled && !t->finished) awaited += t->kv_reserved;
  }
  if (std::abs(kv_allocated_ - kv_freed_ - kv_used_) > tol || std::abs(held - kv_used_) > tol)
    check_->broken("KV not conserved", InvariantCheck::kNoRequest, replica_, now,
                   "allocated " + std::to_string(kv_allocated_) + " B - freed " + std::to_string(kv_freed_) +
                       " B, held " + std::to_string(kv_used_) + " B, by its jobs and prefix cache " +
                       std::to_string(held) + " B");
  if (!stopped && awaited > tol)
    check_->broken("KV not conserved", InvariantCheck::kNoRequest, replica_, now,
                   std::to_string(awaited) + " B still held by jobs that never finished");
}

}  // namespace msao
