// CloudServer: one cloud GPU serving with iteration-level continuous
// batching (Orca, OSDI'22; vLLM, SOSP'23). Each iteration prefills the newly
// admitted requests and runs one decode step for every running request; its
// duration comes from the cost model for that exact batch and is ONE timed
// wait of the serving actor on the GPU host (one exec per request would make
// every completion re-solve the sharing system: see SIMGRID-NOTES; an exec
// per GPU costs several SimGrid calls each), the replica's GPUs counted busy
// for it (ReplicaEnergy). The iterations between two events that change
// the batch share one wait (cloud_server_plan.cpp), with the clock values
// and effects of one wait each.
//
// KV-cache admission: a request reserves KV for its whole context
// (context + prefill + decode tokens) when admitted, in FIFO order; if the
// head of the queue does not fit, admission waits until running requests
// finish (head-of-line blocking, no preemption: a request never loses its
// KV once admitted). A request whose KV alone exceeds the capacity is
// rejected with a reason, never lost.
//
// Prefix and encoder caches (CloudCost::prefix_block_tokens,
// encoder_cache_tokens; sim/engine/prefix_cache.hpp): a fresh job first
// looks up the longest cached prefix of its prompt, prefills only the rest
// and reserves KV only for that; its computed prompt blocks join the cache
// when its prefill ends, its answer's when it ends, and the cache's unpinned
// blocks are evicted (least recently used) before a request waits or is
// preempted for memory. Every KV byte is held by exactly one of: a job, the
// cache; the books check that.
#pragma once
#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <simgrid/s4u.hpp>

#include "sim/cost/memory_use.hpp"
#include "sim/cost/prefill_chunk.hpp"
#include "sim/engine/exec_plan.hpp"
#include "sim/engine/invariants.hpp"
#include "sim/engine/prefix_cache.hpp"
#include "sim/engine/replica_energy.hpp"
#include "sim/metrics/iteration_record.hpp"

namespace msao {

// Seconds and FLOPs of one batching iteration, and how much of its
// replica's peak FLOP rate and memory bandwidth it used.
struct IterationCost {
  double seconds = 0, flops = 0;
  double mfu = 0, bw_util = 0;
};

// What the server needs from the cost model of the cloud model on this GPU.
struct CloudCost {
  // One iteration: the prefill chunks scheduled in it, and one decode step
  // for each request past its prefill, at its current context.
  std::function<IterationCost(const std::vector<cost::PrefillChunk>& prefills, const std::vector<int>& decode_contexts)>
      iteration;
  double kv_bytes_per_token = 0;
  double kv_capacity_bytes = 0;  // device memory minus weights and activation reserve
  double static_mem_bytes = 0;   // weights (for peak-memory metrics)
  double runtime_mem_bytes = 0;  // the serving runtime's own memory: CUDA context, graph pool (serving profile)
  // Transient memory of one iteration's forward pass over `tokens` new
  // tokens of `sequences` requests (CostModel::forward_activation_bytes); none if unset.
  std::function<double(int tokens, int sequences)> activation_bytes;
  int max_batch = 256;
  // Chunked prefill (Sarathi-Serve; vLLM's max_num_batched_tokens): at most
  // this many tokens per iteration, decodes first (one each), prefills
  // filling the rest in admission order. 0: every prefill whole in one iteration.
  int token_budget = 0;
  // KV allocation. false (default): a request reserves KV for its whole
  // context on admission and is never preempted. true (vLLM's paged KV):
  // admission needs room for the prompt only, each decode step adds one
  // token, and when the next step would not fit, the most recently admitted
  // running request is preempted: its KV is freed, it goes back to the head
  // of the queue, and on readmission it re-prefills its prompt and the
  // tokens it had generated (vLLM's recompute preemption).
  bool kv_on_demand = false;
  // Prefix caching: KV block size in tokens (0: off). Encoder cache budget
  // in encoder tokens (0: off).
  int prefix_block_tokens = 0;
  int encoder_cache_tokens = 0;
  // Async scheduling (vLLM's V1 engine by default, vllm-project/vllm PR
  // 19970): the engine schedules iteration N+1 as soon as it has launched
  // iteration N, so a request that arrives while N runs waits for N+2 at
  // the earliest, one iteration more than a server that schedules between
  // iterations. An idle server schedules it at once.
  bool schedules_ahead = false;
};

// Shared between a request's actor and the server (always made by
// std::make_shared: the server keeps a finished ticket alive until its
// waiter is told).
class CloudServer;

struct CloudTicket : std::enable_shared_from_this<CloudTicket> {
  CloudJob job;
  simgrid::s4u::SemaphorePtr done = simgrid::s4u::Semaphore::create(0);
  bool cancelled = false, rejected = false, finished = false;
  Cause reason = Cause::None;  // why rejected or lost
  double t_enqueue = 0, t_start = -1, t_first_token = -1, t_end = -1;
  double busy_s = 0, flops = 0;  // attributed share of the iterations it took part in
  int generated = 0;             // tokens produced so far
  int prefill_done = 0;          // prompt tokens prefilled so far (chunked prefill)
  int recompute = 0;             // generated tokens to re-prefill after a preemption (kv_on_demand)
  bool prefilled = false;
  double kv_reserved = 0;
  bool lost = false;       // rejected because its GPU failed (or was down when it arrived)
  bool in_flight = false;  // submitted without waiting (cloud_path's await_job = false), not yet settled
  // Prefix and encoder caches: prompt tokens its job found cached (0: none
  // or not looked up), whether its media's encoding was found (in the
  // encoder cache, or covered by the cached prefix), and the cache entries
  // it pins while it runs.
  int cached_tokens = 0;
  bool encoder_hit = false, encoder_looked_up = false;
  bool reuses = false;  // its job takes part in prefix caching (a fresh job with shared content)
  bool prefix_looked_up = false;
  PrefixCache::Pins pins;
  int gpu = -1;  // the GPU it was dispatched to; later jobs on the same ticket (draft-verify rounds) stay there
  CloudServer* server = nullptr;  // the server whose queue or batch holds its job now (counted in its load())
  uint64_t request = InvariantCheck::kNoRequest;  // the request it serves (for the invariant checks' messages)
  enum class Queue : uint8_t { None, Waiting, Running } queue = Queue::None;  // where its job sits on `server`
  long long last_iteration = -1;  // the last iteration it took part in (a batch holds it once)
  int advancing = 0;              // tokens the iteration in progress adds to `generated`
  // Drafted tokens offered to a running generation (CloudServer::offer_drafts).
  enum class Offer : uint8_t { None, Pending, Applied, Dropped } offer = Offer::None;
  int offer_at = 0, offer_k = 0, offer_accepted = 0;
  simgrid::s4u::SemaphorePtr offer_settled;  // released when a pending offer is applied or dropped (null: no one waits)
};
using CloudTicketPtr = std::shared_ptr<CloudTicket>;

class CloudServer {
 public:
  // peers: the replica's other GPUs (tensor / pipeline parallelism); each
  // iteration runs on all of them at once, so each is busy (and draws
  // power) for its duration.
  CloudServer(simgrid::s4u::Host* host, CloudCost cost, std::vector<simgrid::s4u::Host*> peers = {});
  void start();  // spawns the serving actor (a daemon)
  // Queues `job` on the ticket, starting its per-job state afresh (a
  // draft-verify request reuses one ticket for its rounds).
  void submit(const CloudTicketPtr& t, const CloudJob& job);
  // A generation's drafted tokens for its positions at.. at+k-1, of which
  // the first `accepted` agree with what the cloud would generate: the first
  // iteration that finds the sequence prefilled with exactly `at` tokens
  // generated processes them with its current position (a chunk of k+1
  // positions on the cached context, in the same batch) and advances it by
  // accepted+1 tokens (capped at its decode_tokens). A sequence found past
  // `at` (or finishing first) drops them. Either way offer_settled is released.
  static void offer_drafts(const CloudTicketPtr& t, int at, int k, int accepted) {
    interject(*t, [&] {
      t->offer = CloudTicket::Offer::Pending;
      t->offer_at = at;
      t->offer_k = k;
      t->offer_accepted = accepted;
    });
  }
  // The generated count the ticket's next iteration starts from: what the
  // iteration in progress adds, or the first token its prefill will give.
  static int next_position(const CloudTicket& t) {
    if (t.server) t.server->catch_up();
    return t.generated + (t.prefilled ? t.advancing : 1);
  }
  // Marks a ticket cancelled; the server drops it at the next iteration boundary.
  static void cancel(const CloudTicketPtr& t) {
    interject(*t, [&] { t->cancelled = true; });
  }
  // The GPU fails: the iteration in progress is lost, every job on it
  // (running or queued) is rejected as lost with its KV, and jobs sent
  // while it is down are rejected at once, until repair().
  void fail();
  void repair();
  bool failed() const { return failed_; }
  long long failures() const { return failures_; }
  int load() const { return static_cast<int>(waiting_.size() + running_.size()); }
  // load() plus the jobs still uploading here, without `own`'s job: the
  // queue a device deciding for `own`'s request is told.
  int load_without(const CloudTicket* own) const {
    return load() + incoming_ - (own && own->server == this ? 1 : 0);
  }
  int running() const { return static_cast<int>(running_.size()); }
  // (Non-const: iterations planned ahead that have ended by now are committed first.)
  double kv_used_bytes() {
    catch_up();
    return kv_used_;
  }
  // Jobs a dispatcher has sent here whose upload is still on the wire: the
  // dispatcher knows of them before the GPU does. dispatched() is called
  // when the GPU is chosen, arrived() when the upload ends or is cancelled.
  void dispatched(const CloudJob& j) {
    ++incoming_;
    incoming_kv_ += admission_kv(j, 0);
  }
  void arrived(const CloudJob& j) {
    --incoming_;
    incoming_kv_ -= admission_kv(j, 0);
  }
  int incoming() const { return incoming_; }
  double incoming_kv_bytes() const { return incoming_kv_; }
  // KV the first waiting job needs on admission (0 if none waits).
  double head_of_line_kv_bytes() const;
  // KV a job needs to complete: its whole context.
  double kv_need(const CloudJob& j) const;
  // KV a job takes on admission: its whole context when reserved; its
  // prompt and the `recompute` tokens a preemption left to rebuild when KV
  // grows on demand.
  double admission_kv(const CloudJob& j, int recompute) const {
    return cost_.kv_on_demand ? (j.context_tokens + j.prefill_tokens + recompute) * cost_.kv_bytes_per_token
                              : kv_need(j);
  }

  simgrid::s4u::Host* host() const { return host_; }
  double busy_s() const { return busy_s_; }
  double flops() const { return flops_; }
  double peak_kv_bytes() const { return peak_kv_; }
  // Prefix cache (null when off): what it holds now.
  const PrefixCache* prefix_cache() const { return prefix_.get(); }
  // The iteration that held the most memory: weights, the KV its requests
  // had cached (what they hold, not what was reserved for them), its
  // forward's activations (or its encoders', if larger) and the runtime.
  const cost::MemoryUse& peak_memory() const { return peak_mem_; }
  long long iterations() const { return iterations_; }
  long long preemptions() const { return preemptions_; }
  // The caches' use (RunCounters::prefix_lookup_tokens and the rest).
  long long prefix_lookup_tokens() const { return prefix_lookup_tokens_; }
  long long prefix_hit_tokens() const { return prefix_hit_tokens_; }
  long long encoder_lookups() const { return encoder_lookups_; }
  long long encoder_hits() const { return encoder_hits_; }
  // Receives each iteration as it ends (iterations.csv, summary figures).
  void set_iteration_sink(std::function<void(const IterationRecord&)> sink) { on_iteration_ = std::move(sink); }
  // Checks this replica's books on every iteration (null: unchecked).
  void set_invariant_check(InvariantCheck* check, int replica) {
    check_ = check;
    replica_ = replica;
  }
  // End of the run: KV allocated - freed is what the queued jobs still hold,
  // and none of it belongs to a job someone waits for unless `stopped` (the
  // run ended at its horizon with requests in flight).
  void check_books_at_end(bool stopped) const;
  const CloudCost& cost() const { return cost_; }
  // Commits the iterations run ahead in one wait (cloud_server_plan.cpp)
  // that have ended by now, and starts the one in progress, so that what
  // is read of the server and its tickets is what an iteration-by-iteration
  // loop would show. Readers between iterations call it; the run's end too.
  void catch_up();
  // The replica's GPUs (its first, this server's host, then its peers) and
  // the joules each has drawn so far, as SimGrid's energy plugin counts them.
  size_t gpus() const { return energy_.gpus(); }
  double energy_j(size_t gpu) const;

 private:
  // One iteration's batch: the requests taking part, in admission order,
  // and what each does. Kept between iterations so its vectors are reused.
  struct Iteration {
    std::vector<cost::PrefillChunk> prefill;
    std::vector<int> contexts;
    std::vector<CloudTicket*> batch;  // (running_ holds them; no reference count per member per iteration)
    std::vector<int> chunk;  // per batch entry: prompt tokens it prefills, -1 for a decode step
    std::vector<int> steps;  // per batch entry: tokens an offered multi-token step adds (0: none)
    int cached_tokens = 0;   // prompt tokens the prefix cache gave the prefills starting in it
    double pre_s = 0, pre_flops = 0, pre_act = 0;  // the cloud-side encoders of jobs starting now
  };
  // The serving loop: admit, run an iteration of the running batch, apply it.
  void serve();
  // The serving loop's steps, shared with the iterations run ahead: what
  // happens at an iteration boundary (drops, admissions, preemptions); an
  // iteration's start at `now` (its batch, checks, cost, memory; `planned`:
  // its cost, computed ahead); its end at `end`, after `secs` of work.
  void at_boundary(double now);
  void begin_iteration(double now, const IterationCost* planned);
  void end_iteration(double end);
  // Iterations run ahead (cloud_server_plan.cpp). plan_ahead(): after the
  // first iteration has begun at `now`, plans the ones after it that no one
  // outside the server can tell apart from the per-iteration loop; true if
  // it planned any. run_plan(): waits for them (once, unless interrupted)
  // and commits them. cut_plan(): before an event the iterations after the
  // one in progress must see (a job submitted, cancelled or offered
  // drafts), the plan stops after that one; true if the server, waiting
  // for more, must be woken (once the event has happened: waking it is a
  // SimGrid call, and other actors may run before the caller resumes).
  bool plan_ahead(double now);
  void run_plan();
  bool cut_plan();
  void end_plan();
  // `change` to a ticket's job made where the server's plan sees it (cut_plan()).
  template <class Change>
  static void interject(CloudTicket& t, Change&& change) {
    CloudServer* s = t.server;
    const bool cut = s && s->cut_plan();
    change();
    if (cut) s->interrupt_->release();
  }
  // Drops the running requests cancelled by speculation since the last iteration.
  void drop_cancelled();
  // The next iteration of the running requests, started at `now`.
  void compose(Iteration& it, double now);
  // The iteration's work on the replica's GPUs; false when the replica failed meanwhile.
  bool execute(double secs);
  // How long an iteration of `secs` waits: the date SimGrid gives an exec
  // of its FLOPs alone on a GPU (execute()).
  static double wait_for(double secs);
  // Each request's progress after an iteration that ended at `end`.
  void apply(const Iteration& it, double secs, double flops, double end);
  void admit(double now);
  // Keeps peak_mem_: the iteration about to run (its encoders' transient memory given apart).
  void note_memory(const std::vector<cost::PrefillChunk>& prefill, const std::vector<int>& contexts,
                   double pre_activation_bytes);
  // The ticket's job is over (done, rejected or lost): its KV is freed and
  // its waiter is told once the queues no longer hold it (release_settled):
  // a waiter that runs before the server has taken the ticket out would
  // queue its next job beside the old one.
  void finish(CloudTicket& t, double now);
  void release_settled();
  void take_kv(CloudTicket& t, double bytes);
  void free_kv(CloudTicket& t);
  // steps: per batch member, the tokens an offered multi-token step adds (0: none).
  void check_iteration(const std::vector<CloudTicket*>& batch, const std::vector<int>& steps, double now);
  // kv_on_demand: frees KV for this iteration's decode steps by preempting.
  void make_room_for_decodes();
  // Frees unpinned prefix-cache blocks until `need` more bytes fit (as far
  // as it can); true if they fit.
  bool evict_for(double need);
  // Prefix caching, per job: the lookup on admission (the job then
  // prefills only the uncached rest; returns the KV its own tokens need
  // less what the cache holds), the cache taking its computed blocks, and
  // the pins dropped when it leaves the batch (`keep`: its answer's blocks
  // join the cache first). undo_lookup() restores a preempted job.
  void look_up_prefix(CloudTicket& t);
  void undo_lookup(CloudTicket& t);
  void cache_computed(CloudTicket& t, int computed);
  void leave_cache(CloudTicket& t, bool keep);
  // The job's media encoding: true if the encoder must run (a miss).
  bool needs_encoder(CloudTicket& t);
  // Running requests past their prefill: each takes a decode step per iteration.
  long decoding() const {
    return std::count_if(running_.begin(), running_.end(), [](const CloudTicketPtr& t) { return t->prefilled; });
  }
  static constexpr double kKvWatermark = 0.01;  // vLLM's BlockSpaceManager default watermark
  // KV a waiting ticket takes on admission: its context, less what the
  // prefix cache gives it.
  double admission_need(const CloudTicket& t) const {
    return admission_kv(t.job, t.recompute) - t.cached_tokens * cost_.kv_bytes_per_token;
  }
  // KV that must be free to admit it. Reserved up front: its need. On
  // demand: also room for the running requests' next decode step (`steps`
  // positions), so an admission never forces a preemption at once, and
  // vLLM's watermark (1% of the KV capacity kept free on admission), which
  // keeps a just-preempted request from being readmitted into the same
  // squeeze; an idle GPU takes any request that fits at all.
  double admission_room(double need, long steps, bool idle) const {
    if (!cost_.kv_on_demand) return need;
    return need + (steps * cost_.kv_bytes_per_token + (idle ? 0 : kKvWatermark * cost_.kv_capacity_bytes));
  }
  // A pending offer the ticket's next iteration takes (offer_drafts).
  static bool takes_offer(const CloudTicket& t) {
    return t.prefilled && t.offer == CloudTicket::Offer::Pending && t.generated == t.offer_at;
  }
  // Positions the next iteration's decode steps process: one per decoding
  // request, k+1 for one taking an offer of k drafts.
  long step_tokens() const {
    long n = 0;
    for (const auto& t : running_)
      if (t->prefilled) n += 1 + (takes_offer(*t) ? t->offer_k : 0);
    return n;
  }
  // A pending offer ends (applied or dropped): its waiter is told.
  static void settle_offer(CloudTicket& t, CloudTicket::Offer how) {
    if (t.offer != CloudTicket::Offer::Pending) return;
    t.offer = how;
    if (t.offer_settled) t.offer_settled->release();
  }
  // Prompt tokens the ticket's (re-)prefill processes.
  static int prompt_tokens(const CloudTicket& t) { return t.job.prefill_tokens + t.recompute; }

  simgrid::s4u::Host* host_;
  std::vector<simgrid::s4u::Host*> peers_;
  CloudCost cost_;
  std::deque<CloudTicketPtr> waiting_;
  std::vector<CloudTicketPtr> running_;
  simgrid::s4u::SemaphorePtr wake_ = simgrid::s4u::Semaphore::create(0);
  bool sleeping_ = false;
  double kv_used_ = 0, peak_kv_ = 0, busy_s_ = 0, flops_ = 0;
  cost::MemoryUse peak_mem_;
  int incoming_ = 0;
  double incoming_kv_ = 0;
  long long iterations_ = 0, preemptions_ = 0;
  long long prefix_lookup_tokens_ = 0, prefix_hit_tokens_ = 0, encoder_lookups_ = 0, encoder_hits_ = 0;
  std::function<void(const IterationRecord&)> on_iteration_;
  bool failed_ = false;
  long long failures_ = 0;
  std::vector<CloudTicketPtr> settled_;  // finished, waiters not yet told
  std::vector<CloudTicketPtr> lost_batch_;  // a failure's jobs, until the iteration it interrupted has ended
  double kv_allocated_ = 0, kv_freed_ = 0;  // totals, for the books
  InvariantCheck* check_ = nullptr;
  int replica_ = 0;
  std::unique_ptr<PrefixCache> prefix_;    // null: prefix caching off
  std::unique_ptr<EncoderCache> encoder_;  // null: encoder cache off
  // The iteration in progress: a timed wait on interrupt_, which fail()
  // releases (an exec, current_, when shorter than SimGrid's time precision).
  simgrid::s4u::SemaphorePtr interrupt_ = simgrid::s4u::Semaphore::create(0);
  simgrid::s4u::ExecPtr current_;
  bool in_iteration_ = false;
  double iteration_end_ = 0;
  double precision_s_ = 0;  // SimGrid's surf/precision: events closer than this to now happen now
  ReplicaEnergy energy_;
  // The iteration in progress (reused: its vectors keep their capacity),
  // its cost and its seconds and FLOPs (with the cloud-side encoders').
  Iteration it_;
  IterationCost it_cost_;
  // iteration_start_: when the iteration in progress (or the last one) began;
  // with schedules_ahead, the moment the next one was scheduled, so only
  // requests waiting by then may join it.
  double it_secs_ = 0, it_flops_ = 0, iteration_start_ = 0;
  // Iterations planned ahead: each one's start and end (the clock values
  // the per-iteration loop would have had) and cost; plan_pos_ is the one
  // in progress (those before it are committed). Empty: none planned.
  struct Planned {
    double start, end;
    IterationCost cost;
    uint64_t shape;  // its prefill chunks and decode contexts, hashed (shape_of()): checked when it runs
  };
  std::vector<Planned> plan_;
  size_t plan_pos_ = 0;
  bool plan_lost_ = false;  // the replica failed during the plan's iteration in progress
  // How many iterations a plan may hold: an event cutting a plan wastes the
  // cost-model calls of the iterations planned past it, so the bound
  // follows how far plans get (end_plan()). Whether this plan was cut.
  size_t plan_limit_ = 16;
  bool plan_cut_ = false;
  // A running request as the plan sees it ahead (what compose() and
  // apply() read and change of its ticket), and an iteration's batch.
  struct Ahead {
    int context = 0, prompt = 0, recompute = 0, prefill_done = 0, generated = 0, decode = 0;
    bool prefilled = false, started = false;
    int chunk = -1;  // this iteration: prompt tokens it prefills, -1 a decode step, -2 out of the batch
  };
  std::vector<Ahead> ahead_;
  long ahead_steps_ = 0;  // of ahead_, the requests past their prefill: a decode step each
  std::vector<cost::PrefillChunk> ahead_prefill_;
  std::vector<int> ahead_contexts_;
  static uint64_t shape_of(const std::vector<cost::PrefillChunk>& prefill, const std::vector<int>& contexts);
  // The plan's next iteration from ahead_ (false: one it cannot run ahead:
  // a job's first chunk), and its effects on ahead_ (true: a job ends in it).
  bool compose_ahead();
  bool apply_ahead(double& kv);
};

}  // namespace msao
