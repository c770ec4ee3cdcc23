#include "sim/engine/edge_lane.hpp"

namespace sg4 = simgrid::s4u;

namespace msao {

void start_edge_work(EdgeState& e, EdgeLane& r, double seconds, const char* label, double flops) {
  r.t0 = now();
  r.seconds = seconds;
  r.flops = flops;
  r.label = label;
  r.exec = sg4::this_actor::exec_init(seconds * kHostSpeed)->set_host(e.host)->start();
}

void edge_answer_ended(World& w, EdgeState& e, RequestRecord& rec, EdgeLane& r) {
  r.exec = nullptr;
  r.ended_at = now();
  e.busy_s += r.seconds;
  rec.edge_busy_s += r.seconds;
  w.signals.activity_end({ActivityPlace::Device, e.host, r.label, rec.id, r.t0, now()});
  if (r.frees_accel) {
    rec.edge_answer_end = now();
    e.release_accel();
  }
  r.won = r.confident;
  if (r.queued_s > 0) {
    const double s = r.queued_s;
    r.queued_s = 0;
    start_edge_work(e, r, s, r.queued_label);
  }
}

void abandon_edge_answer(World& w, EdgeState& e, RequestRecord& rec, EdgeLane& r) {
  r.exec->cancel();
  r.exec = nullptr;
  const double used = now() - r.t0;
  e.busy_s += used;
  rec.edge_busy_s += used;
  // FLOPs count as executed: the part not run comes off what was planned.
  if (r.seconds > 0) rec.edge_flops -= r.flops * (1 - std::min(1.0, used / r.seconds));
  w.signals.activity_end({ActivityPlace::Device, e.host, r.frees_accel ? "edge-answer (abandoned)" : "draft (discarded)",
                          rec.id, r.t0, now()});
  r.queued_s = 0;
  if (r.frees_accel) e.release_accel();
}

WaitEnd wait_racing(World& w, EdgeState& e, RequestRecord& rec, EdgeLane* r, const sg4::ActivityPtr& a,
                    double deadline) {
  const bool timed = deadline < kNoDeadline;
  while (r && r->exec) {
    const ssize_t i = timed ? sg4::Activity::wait_any_for({r->exec, a}, std::max(0.0, deadline - now()))
                            : sg4::Activity::wait_any({r->exec, a});
    if (i < 0) return WaitEnd::TimedOut;
    if (i != 0) return WaitEnd::Done;
    edge_answer_ended(w, e, rec, *r);
    if (r->won) return WaitEnd::EdgeWon;
  }
  if (!timed) {
    a->wait();
    return WaitEnd::Done;
  }
  try {
    a->wait_for(std::max(0.0, deadline - now()));
  } catch (const simgrid::TimeoutException&) {
    return WaitEnd::TimedOut;
  }
  return WaitEnd::Done;
}

WaitEnd sleep_racing(World& w, EdgeState& e, RequestRecord& rec, EdgeLane* r, double d, double deadline) {
  if (d <= 0) return WaitEnd::Done;
  const double t0 = now();
  const double until = std::min(t0 + d, deadline);
  const WaitEnd end = t0 + d > deadline ? WaitEnd::TimedOut : WaitEnd::Done;
  d = until - t0;
  if (d <= 0) return end;
  while (r && r->exec) {
    if (sg4::Activity::wait_any_for({r->exec}, d) < 0) return end;  // slept d
    edge_answer_ended(w, e, rec, *r);
    if (r->won) return WaitEnd::EdgeWon;
    d = until - now();
    if (d <= 0) return end;
  }
  if (d > 0) sg4::this_actor::sleep_for(d);
  return end;
}

WaitEnd await_ticket(World& w, EdgeState& e, RequestRecord& rec, EdgeLane* r, const CloudTicketPtr& ticket,
                     double deadline) {
  const bool timed = deadline < kNoDeadline;
  while (r && r->exec) {
    const double left = r->t0 + r->seconds - now();
    if (timed && deadline <= r->t0 + r->seconds) {
      // The deadline comes before the edge answer ends.
      return ticket->done->acquire_timeout(std::max(0.0, deadline - now())) ? WaitEnd::TimedOut : WaitEnd::Done;
    }
    if (left > 0 && !ticket->done->acquire_timeout(left)) return WaitEnd::Done;  // the GPU was first
    r->exec->wait();  // ends now (exclusive accelerator), give or take rounding
    edge_answer_ended(w, e, rec, *r);
    if (r->won) return WaitEnd::EdgeWon;
  }
  if (!timed) {
    ticket->done->acquire();
    return WaitEnd::Done;
  }
  return ticket->done->acquire_timeout(std::max(0.0, deadline - now())) ? WaitEnd::TimedOut : WaitEnd::Done;
}

}  // namespace msao
