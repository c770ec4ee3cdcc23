#include "sim/engine/cloud_server.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <xbt/config.hpp>

#include "sim/engine/platform_spec.hpp"

namespace sg4 = simgrid::s4u;

namespace msao {

namespace {
std::vector<sg4::Host*> replica_hosts(sg4::Host* first, const std::vector<sg4::Host*>& peers) {
  std::vector<sg4::Host*> all{first};
  all.insert(all.end(), peers.begin(), peers.end());
  return all;
}
}  // namespace

CloudServer::CloudServer(sg4::Host* host, CloudCost cost, std::vector<sg4::Host*> peers)
    : host_(host), peers_(std::move(peers)), cost_(std::move(cost)), energy_(replica_hosts(host_, peers_)) {
  if (cost_.prefix_block_tokens > 0)
    prefix_ = std::make_unique<PrefixCache>(cost_.prefix_block_tokens, cost_.kv_bytes_per_token);
  if (cost_.encoder_cache_tokens > 0) encoder_ = std::make_unique<EncoderCache>(cost_.encoder_cache_tokens);
}

void CloudServer::start() {
  precision_s_ = simgrid::config::get_value<double>("surf/precision");
  sg4::Actor::create("gpu-server", host_, [this] { serve(); })->daemonize();
}

void CloudServer::submit(const CloudTicketPtr& t, const CloudJob& job) {
  const bool cut = cut_plan();
  if (check_ && t->queue != CloudTicket::Queue::None)
    check_->broken("a ticket in two queues", t->request, replica_, sg4::Engine::get_clock(),
                   "a job submitted while its previous one is still queued or running");
  t->job = job;
  t->cancelled = false;
  t->finished = false;
  t->prefilled = false;
  t->prefill_done = 0;
  t->recompute = 0;
  t->generated = 0;
  t->advancing = 0;
  t->offer = CloudTicket::Offer::None;
  t->cached_tokens = 0;
  t->encoder_hit = t->encoder_looked_up = t->prefix_looked_up = false;
  t->pins = {};
  // Only a fresh job (no context of its own yet) with content others share.
  t->reuses = prefix_ && job.context_tokens == 0 && (job.reuse.group != 0 || job.reuse.chain != 0);
  t->t_start = t->t_first_token = -1;
  t->t_enqueue = sg4::Engine::get_clock();
  if (failed_) {
    t->rejected = t->lost = true;
    t->reason = Cause::GpuDown;
    finish(*t, t->t_enqueue);
    release_settled();
    return;
  }
  waiting_.push_back(t);
  t->queue = CloudTicket::Queue::Waiting;
  t->server = this;
  if (sleeping_) {
    sleeping_ = false;
    wake_->release();
  }
  if (cut) interrupt_->release();
}

void CloudServer::fail() {
  catch_up();  // what the iterations run ahead did before the failure stands
  failed_ = true;
  ++failures_;
  const double now = sg4::Engine::get_clock();
  auto lose = [&](const CloudTicketPtr& t) {
    if (t->finished) return;
    t->rejected = t->lost = true;
    t->reason = Cause::GpuFailure;
    finish(*t, now);
  };
  for (const auto& t : running_) lose(t);
  for (const auto& t : waiting_) lose(t);
  for (const auto& t : running_) t->queue = CloudTicket::Queue::None;
  for (const auto& t : waiting_) t->queue = CloudTicket::Queue::None;
  // (The iteration in progress holds them by plain pointers until it ends.)
  lost_batch_.swap(running_);
  running_.clear();
  waiting_.clear();
  // The GPU's memory is gone: the caches with it.
  if (prefix_) kv_freed_ += prefix_->clear();
  if (encoder_) encoder_->clear();
  kv_used_ = 0;  // every holder was freed above; what is left is rounding
  release_settled();
  // The fault actor calling this runs on this host and has just woken: the
  // energy plugin updated the host then.
  energy_.first_host_event(now, in_iteration_);
  if (!in_iteration_) return;
  if (!plan_.empty()) {
    // Iterations run ahead: none after the one in progress runs; it is lost
    // as a single iteration's wait would be (run_plan()).
    plan_.resize(plan_pos_ + 1);
    plan_cut_ = true;
    plan_lost_ = iteration_end_ - now >= precision_s_;
    interrupt_->release();
  } else if (current_) {
    current_->cancel();  // the serving actor's wait ends with CancelException
  } else if (iteration_end_ - now >= precision_s_) {
    interrupt_->release();  // the serving actor's wait ends before its timeout
  }
  // (Otherwise the iteration ended at this very time, before the failure.)
}

void CloudServer::repair() {
  failed_ = false;
  energy_.first_host_event(sg4::Engine::get_clock(), in_iteration_);  // as in fail()
}

double CloudServer::energy_j(size_t gpu) const {
  return energy_.joules(gpu, sg4::Engine::get_clock(), in_iteration_);
}

void CloudServer::finish(CloudTicket& t, double now) {
  t.finished = true;
  t.advancing = 0;
  settle_offer(t, CloudTicket::Offer::Dropped);
  t.server = nullptr;
  t.t_end = now;
  leave_cache(t, !t.rejected && !t.cancelled && t.prefilled);
  free_kv(t);
  settled_.push_back(t.shared_from_this());
}

void CloudServer::release_settled() {
  for (const auto& t : settled_) t->done->release();
  settled_.clear();
}

void CloudServer::take_kv(CloudTicket& t, double bytes) {
  t.kv_reserved += bytes;
  kv_used_ += bytes;
  kv_allocated_ += bytes;
}

void CloudServer::free_kv(CloudTicket& t) {
  kv_used_ -= t.kv_reserved;
  kv_freed_ += t.kv_reserved;
  t.kv_reserved = 0;
}

double CloudServer::kv_need(const CloudJob& j) const {
  return (j.context_tokens + j.prefill_tokens + std::max(0, j.decode_tokens - 1)) * cost_.kv_bytes_per_token;
}

double CloudServer::head_of_line_kv_bytes() const {
  for (const auto& t : waiting_)
    if (!t->cancelled) return admission_kv(t->job, t->recompute);
  return 0;
}

void CloudServer::admit(double now) {
  // An idle server (nothing running, so nothing was scheduled ahead) takes
  // every waiting request; (the waiting queue is in arrival order, a
  // preempted request at its head having arrived earlier still).
  const bool ahead = cost_.schedules_ahead && !running_.empty();
  while (!waiting_.empty() && static_cast<int>(running_.size()) < cost_.max_batch) {
    CloudTicketPtr t = waiting_.front();
    if (t->cancelled) {
      waiting_.pop_front();
      t->queue = CloudTicket::Queue::None;
      t->server = nullptr;
      continue;
    }
    if (ahead && t->t_enqueue > iteration_start_) break;  // the iteration that just ended began then
    if (kv_need(t->job) > cost_.kv_capacity_bytes) {
      waiting_.pop_front();
      t->queue = CloudTicket::Queue::None;
      t->rejected = true;
      t->reason = Cause::KvTooLarge;
      finish(*t, now);
      continue;
    }
    look_up_prefix(*t);
    const double need = admission_need(*t);
    const double room = admission_room(need, cost_.kv_on_demand ? step_tokens() : 0, running_.empty());
    if (!evict_for(room)) {  // head-of-line waits for memory
      undo_lookup(*t);
      break;
    }
    waiting_.pop_front();
    take_kv(*t, need);
    peak_kv_ = std::max(peak_kv_, kv_used_);
    if (t->job.first_token_ready && t->job.prefill_tokens == 0 && t->recompute == 0) {
      // Its first token comes from logits the cache already holds: sampled
      // now, no forward pass; a one-token job ends here.
      t->prefilled = true;
      t->t_start = t->t_first_token = now;
      t->generated = t->job.decode_tokens > 0 ? 1 : 0;
      if (t->generated >= t->job.decode_tokens) {
        t->queue = CloudTicket::Queue::None;
        finish(*t, now);
        continue;
      }
    }
    running_.push_back(t);
    t->queue = CloudTicket::Queue::Running;
  }
}

void CloudServer::make_room_for_decodes() {
  // Cached blocks nobody uses go first. A lone request always fits: one
  // needing more than the capacity was rejected.
  while (!evict_for(step_tokens() * cost_.kv_bytes_per_token) && running_.size() > 1) {
    CloudTicketPtr v = running_.back();
    running_.pop_back();
    free_kv(*v);
    undo_lookup(*v);
    if (v->prefilled) v->recompute = v->generated;
    v->prefilled = false;
    v->prefill_done = 0;
    waiting_.push_front(v);
    v->queue = CloudTicket::Queue::Waiting;
    ++preemptions_;
  }
}

void CloudServer::note_memory(const std::vector<cost::PrefillChunk>& prefill, const std::vector<int>& contexts,
                              double pre_activation_bytes) {
  double cached = 0;
  int tokens = 0;
  for (const auto& p : prefill) {
    cached += p.cached + p.tokens;
    tokens += p.tokens;
  }
  for (int ctx : contexts) cached += ctx + 1;
  tokens += static_cast<int>(contexts.size());
  const int sequences = static_cast<int>(prefill.size() + contexts.size());
  const double act = cost_.activation_bytes ? cost_.activation_bytes(tokens, sequences) : 0;
  const cost::MemoryUse now{cost_.static_mem_bytes, cached * cost_.kv_bytes_per_token,
                            std::max(act, pre_activation_bytes), cost_.runtime_mem_bytes};
  peak_mem_ = cost::peak_of(peak_mem_, now);
}

void CloudServer::serve() {
  while (true) {
    const double now = sg4::Engine::get_clock();
    at_boundary(now);
    if (running_.empty()) {
      sleeping_ = true;
      wake_->acquire();
      continue;
    }
    begin_iteration(now, nullptr);
    if (plan_ahead(now)) {
      run_plan();
      continue;
    }
    // false: the replica failed, this iteration's work is lost on all its
    // GPUs (fail() has ended its batch's jobs).
    if (!execute(it_secs_)) continue;
    end_iteration(sg4::Engine::get_clock());
  }
}

void CloudServer::at_boundary(double now) {
  lost_batch_.clear();
  drop_cancelled();
  admit(now);
  release_settled();  // jobs rejected on admission
  if (cost_.kv_on_demand) make_room_for_decodes();
}

void CloudServer::begin_iteration(double now, const IterationCost* planned) {
  compose(it_, now);
  if (check_) check_iteration(it_.batch, it_.steps, now);
  it_cost_ = planned ? *planned : cost_.iteration(it_.prefill, it_.contexts);
  note_memory(it_.prefill, it_.contexts, it_.pre_act);
  it_secs_ = it_cost_.seconds + it_.pre_s;
  it_flops_ = it_cost_.flops + it_.pre_flops;
  iteration_start_ = now;
}

void CloudServer::end_iteration(double end) {
  busy_s_ += it_secs_;
  flops_ += it_flops_;
  ++iterations_;
  int prefill_tokens = 0;
  for (const auto& p : it_.prefill) prefill_tokens += p.tokens;
  if (on_iteration_)
    on_iteration_({iteration_start_, it_secs_, static_cast<int>(it_.batch.size()), prefill_tokens,
                   static_cast<int>(it_.contexts.size()), kv_used_, it_cost_.mfu, it_cost_.bw_util, it_.cached_tokens,
                   prefix_ ? prefix_->bytes() : 0.0});
  apply(it_, it_secs_, it_flops_, end);
  peak_kv_ = std::max(peak_kv_, kv_used_);
  std::erase_if(running_, [](const CloudTicketPtr& t) {
    if (t->finished) t->queue = CloudTicket::Queue::None;
    return t->finished;
  });
  release_settled();
}

void CloudServer::drop_cancelled() {
  for (auto& t : running_)
    if (t->cancelled) {
      leave_cache(*t, false);
      free_kv(*t);
      t->queue = CloudTicket::Queue::None;
      t->server = nullptr;
    }
  std::erase_if(running_, [](const CloudTicketPtr& t) { return t->cancelled; });
}

void CloudServer::compose(Iteration& it, double now) {
  it.prefill.clear();
  it.contexts.clear();
  it.batch.clear();
  it.chunk.clear();
  it.steps.clear();
  it.pre_s = it.pre_flops = it.pre_act = 0;
  it.cached_tokens = 0;
  // Decode steps take one token each of the budget (a multi-token step
  // its k+1); prefills share the rest.
  long budget = cost_.token_budget > 0 ? cost_.token_budget - step_tokens() : std::numeric_limits<long>::max();
  for (auto& t : running_) {
    if (t->prefilled) {
      const int cached = t->job.context_tokens + t->job.prefill_tokens + t->generated - 1;
      // An offer its sequence has moved past: those positions are decided.
      if (t->offer == CloudTicket::Offer::Pending && t->generated > t->offer_at)
        settle_offer(*t, CloudTicket::Offer::Dropped);
      int step = 0;
      if (takes_offer(*t)) {
        // The offered drafts and the current position in one pass, like a
        // prefill chunk on the cached context; the agreeing prefix and the
        // cloud's token after it stand.
        step = std::min(t->offer_accepted + 1, t->job.decode_tokens - t->generated);
        it.prefill.push_back({t->offer_k + 1, cached, true});
      } else {
        it.contexts.push_back(cached);
      }
      it.batch.push_back(t.get());
      it.chunk.push_back(-1);
      it.steps.push_back(step);
      t->advancing = step > 0 ? step : 1;
      continue;
    }
    const int left = prompt_tokens(*t) - t->prefill_done;
    if (left > 0 && budget <= 0) continue;  // waits for a later iteration
    const int k = static_cast<int>(std::min<long>(left, budget));
    budget -= k;
    // (An encode-only job adds its encoders' time, no decoder pass.)
    if (!t->job.encode_only)
      it.prefill.push_back({k, t->job.context_tokens + t->prefill_done, t->prefill_done + k >= prompt_tokens(*t)});
    if (t->t_start < 0) {
      // The job's cloud-side encoders run with its first chunk, unless
      // their output is cached.
      t->t_start = now;
      it.cached_tokens += t->cached_tokens;
      if (t->reuses) {
        prefix_lookup_tokens_ += t->job.prefill_tokens + t->cached_tokens;
        prefix_hit_tokens_ += t->cached_tokens;
      }
      if (needs_encoder(*t)) {
        it.pre_s += t->job.pre_s;
        it.pre_flops += t->job.pre_flops;
        it.pre_act = std::max(it.pre_act, t->job.pre_activation_bytes);
      }
      if (t->encoder_looked_up) {
        ++encoder_lookups_;
        encoder_hits_ += t->encoder_hit ? 1 : 0;
      }
    }
    it.batch.push_back(t.get());
    it.chunk.push_back(k);
    it.steps.push_back(0);
    t->advancing = t->prefill_done + k >= prompt_tokens(*t) && (t->recompute > 0 || t->job.decode_tokens > 0) ? 1 : 0;
  }
}

double CloudServer::wait_for(double secs) {
  return secs * kHostSpeed / kHostSpeed;
}

bool CloudServer::execute(double secs) {
  // The iteration's flops on each GPU, alone on it, end after flops / speed
  // (the date SimGrid computes for such an exec): the serving actor waits
  // that long on its own host, and a failure releases it early.
  const double now = sg4::Engine::get_clock(), flops = secs * kHostSpeed, wait_s = wait_for(secs);
  energy_.start(now);
  iteration_end_ = now + wait_s;
  in_iteration_ = true;
  bool done = true;
  if (wait_s >= precision_s_) {
    while (!interrupt_->would_block()) interrupt_->acquire();  // a release no wait took
    done = interrupt_->acquire_timeout(wait_s);                 // true: timed out, the iteration ran
  } else {
    // A wait this short would be rounded up to the precision; an exec is not.
    current_ = sg4::this_actor::exec_init(flops)->start();
    try {
      current_->wait();
    } catch (const simgrid::CancelException&) {
      done = false;
    }
    current_ = nullptr;
  }
  in_iteration_ = false;
  energy_.stop(sg4::Engine::get_clock());
  return done;
}

void CloudServer::apply(const Iteration& it, double secs, double flops, double end) {
  const double share_s = secs / it.batch.size(), share_f = flops / it.batch.size();
  for (size_t i = 0; i < it.batch.size(); ++i) {
    CloudTicket* t = it.batch[i];
    t->busy_s += share_s;
    t->flops += share_f;
    t->advancing = 0;
    if (t->job.encode_only) {
      // Its encoders ran in this iteration: done, no token.
      t->prefilled = true;
      if (!t->cancelled) finish(*t, end);
      continue;
    }
    if (it.chunk[i] < 0) {
      const int n = it.steps[i] > 0 ? it.steps[i] : 1;
      t->generated += n;
      if (cost_.kv_on_demand) take_kv(*t, n * cost_.kv_bytes_per_token);  // the step kept n tokens' KV
      if (it.steps[i] > 0) settle_offer(*t, CloudTicket::Offer::Applied);
    } else {
      t->prefill_done += it.chunk[i];
      if (t->prefill_done >= prompt_tokens(*t)) {
        t->prefilled = true;
        if (t->reuses) cache_computed(*t, t->job.context_tokens + prompt_tokens(*t));
        if (t->recompute > 0) {
          ++t->generated;  // a recomputed prefill emits the next token
          t->recompute = 0;
        } else {
          t->t_first_token = end;
          if (t->job.decode_tokens > 0) t->generated = 1;  // the last chunk emits the first token
        }
      }
    }
    if (!t->cancelled && t->prefilled && t->generated >= t->job.decode_tokens) finish(*t, end);
  }
}

}  // namespace msao
