// An edge lane: edge work running beside the request's own cloud path (one
// actor per request), and the waits of that path that also watch it: a
// race's edge answer, or a token session's drafts.
#pragma once
#include <limits>

#include "sim/engine/cloud_server.hpp"
#include "sim/engine/world.hpp"

namespace msao {

// A race's edge answer is an async exec on the (held) edge accelerator while
// the request's own actor drives the cloud path, so a race costs no second
// actor (a context, a stack, and an exit that unwinds through an exception).
// Every wait of the cloud path also watches `exec`; the edge accelerator is
// exclusive (FIFO semaphore), so the exec ends at t0 + seconds.
//
// A token-level session uses the same watch for its edge lane: drafts that
// run while a verification pass or the context upload is in flight. Such a
// lane never "wins", keeps the accelerator when a piece of work ends (the
// session holds it), and may queue the work that follows the running exec,
// which the watch starts the moment that exec ends.
struct EdgeLane {
  simgrid::s4u::ExecPtr exec;  // null once the edge answer has ended (or was abandoned)
  double t0 = 0, seconds = 0;
  double flops = 0;  // FLOPs of the running work, counted in the record when planned
  bool confident = false;
  bool won = false;  // the edge answered confidently while the cloud was still working
  const char* label = "edge-answer";  // timeline span of the running exec
  bool frees_accel = true;             // a race's edge answer frees the accelerator when it ends
  double queued_s = 0;                 // work queued behind the running exec (0: none)
  const char* queued_label = nullptr;
  double ended_at = -1;                // when the last exec ended
};
// Starts `seconds` of work on the held edge accelerator as the lane's exec.
void start_edge_work(EdgeState& e, EdgeLane& r, double seconds, const char* label, double flops = 0);

// The edge answer ends: free the accelerator, and note whether it wins.
void edge_answer_ended(World& w, EdgeState& e, RequestRecord& rec, EdgeLane& r);
// The cloud answered first: its answer is the request's, so the edge run
// still in progress is abandoned (its device time so far is accounted).
void abandon_edge_answer(World& w, EdgeState& e, RequestRecord& rec, EdgeLane& r);
// How a wait of the cloud path ended.
enum class WaitEnd {
  Done,      // the awaited activity (transfer, delay, GPU ticket) completed
  EdgeWon,   // a race's confident edge answer ended first; the activity is still running
  TimedOut,  // the deadline came first; the activity is still running
};
inline constexpr double kNoDeadline = std::numeric_limits<double>::infinity();

// Waits for `a` while a race's edge answer (r may be null: no race) may end
// first, until `deadline` (absolute simulated time).
WaitEnd wait_racing(World& w, EdgeState& e, RequestRecord& rec, EdgeLane* r, const simgrid::s4u::ActivityPtr& a,
                    double deadline = kNoDeadline);
// Sleeps `d` seconds, the same way (TimedOut: it slept until the deadline).
WaitEnd sleep_racing(World& w, EdgeState& e, RequestRecord& rec, EdgeLane* r, double d, double deadline = kNoDeadline);
// Waits for the cloud GPU to finish (or reject) a ticket, the same way.
WaitEnd await_ticket(World& w, EdgeState& e, RequestRecord& rec, EdgeLane* r, const CloudTicketPtr& ticket,
                     double deadline = kNoDeadline);

}  // namespace msao
