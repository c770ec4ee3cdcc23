#include "sim/engine/edge_race.hpp"

namespace sg4 = simgrid::s4u;

namespace msao {

void start_edge_work(EdgeState& e, EdgeRace& r, double seconds, const char* label) {
  r.t0 = now();
  r.seconds = seconds;
  r.label = label;
  r.exec = sg4::this_actor::exec_init(seconds * kHostSpeed)->set_host(e.host)->start();
}

void edge_answer_ended(World& w, EdgeState& e, RequestRecord& rec, EdgeRace& r) {
  r.exec = nullptr;
  r.ended_at = now();
  e.busy_s += r.seconds;
  rec.edge_busy_s += r.seconds;
  if (w.timeline) w.timeline->span(e.host->get_name(), r.label, rec.id, r.t0, now());
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

void abandon_edge_answer(World& w, EdgeState& e, RequestRecord& rec, EdgeRace& r) {
  r.exec->cancel();
  r.exec = nullptr;
  const double used = now() - r.t0;
  e.busy_s += used;
  rec.edge_busy_s += used;
  if (w.timeline) w.timeline->span(e.host->get_name(), r.frees_accel ? "edge-answer (abandoned)" : "draft (discarded)", rec.id, r.t0, now());
  r.queued_s = 0;
  if (r.frees_accel) e.release_accel();
}

bool wait_racing(World& w, EdgeState& e, RequestRecord& rec, EdgeRace* r, const sg4::ActivityPtr& a) {
  while (r && r->exec) {
    if (sg4::Activity::wait_any({r->exec, a}) != 0) return true;
    edge_answer_ended(w, e, rec, *r);
    if (r->won) return false;
  }
  a->wait();
  return true;
}

bool sleep_racing(World& w, EdgeState& e, RequestRecord& rec, EdgeRace* r, double d) {
  if (d <= 0) return true;
  const double t0 = now();
  const double until = t0 + d;
  while (r && r->exec) {
    if (sg4::Activity::wait_any_for({r->exec}, d) < 0) return true;  // slept d
    edge_answer_ended(w, e, rec, *r);
    if (r->won) return false;
    d = until - now();
    if (d <= 0) return true;
  }
  if (d > 0) sg4::this_actor::sleep_for(d);
  return true;
}

bool await_ticket(World& w, EdgeState& e, RequestRecord& rec, EdgeRace* r, const CloudTicketPtr& ticket) {
  while (r && r->exec) {
    const double left = r->t0 + r->seconds - now();
    if (left > 0 && !ticket->done->acquire_timeout(left)) return true;  // the GPU was first
    r->exec->wait();  // ends now (exclusive accelerator), give or take rounding
    edge_answer_ended(w, e, rec, *r);
    if (r->won) return false;
  }
  ticket->done->acquire();
  return true;
}

}  // namespace msao
