#include "sim/engine/edge_race.hpp"

namespace sg4 = simgrid::s4u;

namespace msao {

void edge_answer_ended(World& w, EdgeState& e, RequestRecord& rec, EdgeRace& r) {
  r.exec = nullptr;
  e.busy_s += r.seconds;
  rec.edge_busy_s += r.seconds;
  rec.edge_answer_end = now();
  if (w.timeline) w.timeline->span(e.host->get_name(), "edge-answer", rec.id, r.t0, now());
  e.release_accel();
  r.won = r.confident;
}

void abandon_edge_answer(World& w, EdgeState& e, RequestRecord& rec, EdgeRace& r) {
  r.exec->cancel();
  r.exec = nullptr;
  const double used = now() - r.t0;
  e.busy_s += used;
  rec.edge_busy_s += used;
  if (w.timeline) w.timeline->span(e.host->get_name(), "edge-answer (abandoned)", rec.id, r.t0, now());
  e.release_accel();
}

bool wait_racing(World& w, EdgeState& e, RequestRecord& rec, EdgeRace* r, const sg4::ActivityPtr& a) {
  if (r && r->exec) {
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
  if (r && r->exec) {
    if (sg4::Activity::wait_any_for({r->exec}, d) < 0) return true;  // slept d
    edge_answer_ended(w, e, rec, *r);
    if (r->won) return false;
    d -= now() - t0;
  }
  if (d > 0) sg4::this_actor::sleep_for(d);
  return true;
}

bool await_ticket(World& w, EdgeState& e, RequestRecord& rec, EdgeRace* r, const CloudTicketPtr& ticket) {
  if (r && r->exec) {
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
