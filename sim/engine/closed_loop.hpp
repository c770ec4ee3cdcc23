// Closed loop (internal to sim/engine, but for EdgeCensus): each edge's
// users share its requests in the workload's order; a user thinks, issues
// the edge's next request, waits for its answer, and thinks again, and a
// session's turns (consecutive requests of one session on one edge) are
// one user's, one after another.
//
// The requests come from the run's RequestSource as users ask for them:
// a user whose edge has none queued reads the source on, queueing every
// other edge's requests as they pass, until one for its edge comes or the
// source ends. The requests read ahead of the edges that lag wait in
// EdgeQueues, in memory up to a limit, then in a temporary file.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/engine/edge_queues.hpp"
#include "sim/request.hpp"
#include "sim/request_source.hpp"

namespace msao {

struct World;

// The error a request naming no edge of the platform ends the run with.
std::string bad_edge_error(const Request& r, size_t edges);

// A source passed through unchanged, noting which edges its requests name
// (a closed loop starts users only there, as its requests are not known
// before they are read), and the first request naming an edge the
// platform lacks (error(): its bad_edge_error; empty if none).
class EdgeCensus final : public RequestSource {
 public:
  EdgeCensus(RequestSource& source, size_t edges) : source_(source), seen_(edges, false) {}
  bool next(Request& out) override;
  size_t size() const override { return source_.size(); }
  std::vector<bool> take() { return std::move(seen_); }
  const std::string& error() const { return error_; }

 private:
  RequestSource& source_;
  std::vector<bool> seen_;
  std::string error_;
};

// The source read as edges ask for their next requests.
class ClosedLoopFeed {
 public:
  // memory_limit: requests read ahead kept in memory, at most (EdgeQueues).
  ClosedLoopFeed(RequestSource& source, size_t edges, size_t memory_limit)
      : source_(source), queues_(edges, memory_limit) {}
  // Edge `edge`'s next request; false once the source holds no more for it.
  bool take(int edge, IndexedRequest& out);
  // Whether edge `edge`'s next request is a turn of `session` (0: none is).
  bool continues(int edge, uint64_t session);
  // Requests read from the source so far (the next one's index).
  size_t read() const { return read_; }
  // Requests read and not yet taken, where they wait.
  const EdgeQueues& queued() const { return queues_; }
  // What went wrong reading (empty: nothing): a request naming an edge the
  // platform lacks. Reading stops there.
  const std::string& error() const { return error_; }
  // A run stopped at its horizon: each request read and not taken, with
  // its index (in no particular order); then each the source still holds.
  template <typename F>
  void for_each_queued(F&& f) {
    queues_.for_each(f);
  }
  template <typename F>
  void for_each_unread(F&& f) {
    for (Request r; error_.empty() && source_.next(r);) f(read_++, r);
  }

 private:
  // Reads until edge `edge` has a request queued; false if the source ends first.
  bool fill(int edge);

  RequestSource& source_;
  EdgeQueues queues_;
  size_t read_ = 0;
  bool ended_ = false;
  std::string error_;
};

// Per user: the turns of its session it has claimed and not yet started.
struct ClaimedTurns {
  std::vector<IndexedRequest> turns;
  size_t next = 0;
};

// The closed loop's state during a run (World::closed).
struct ClosedLoop {
  ClosedLoop(RequestSource& source, size_t edges, size_t memory_limit) : feed(source, edges, memory_limit) {}
  ClosedLoopFeed feed;
  std::vector<ClaimedTurns> users;
};

// Starts the users of every edge with requests (World::setup->users_per_edge
// each) on `source`, which must outlive the run.
void start_users(World& w, RequestSource& source, const std::vector<bool>& edges_with_requests);
// A run stopped at its horizon: every request not started passes, as the
// workload made it, and every record leaves in order.
void pass_unstarted(World& w);

}  // namespace msao
