// The requests a run holds (internal to sim/engine): every request from the
// oldest one not yet finished to the newest arrival, each with its record.
// Records leave in request order, the order of requests.csv, as soon as
// every earlier request has finished: a reorder buffer whose length is the
// number of requests that arrived while the oldest one still in the system
// was being served (open loop: at most the arrival rate times the longest
// time a request spends in the system). A slot stays at its address until
// it leaves (std::deque keeps references on push_back and pop_front), so a
// worker holds its request and record by reference.
#pragma once
#include <deque>
#include <functional>

#include "sim/metrics/request_record.hpp"
#include "sim/request.hpp"

namespace msao {

struct RequestSlot {
  Request req;
  RequestRecord rec;
  bool finished = false;
};

// A request's record before it runs: what the workload says about it.
inline RequestRecord initial_record(const Request& r) {
  RequestRecord rec;
  rec.id = r.id;
  rec.edge = r.edge;
  rec.dataset = r.dataset;
  rec.category = r.category;
  rec.prompt_tokens = r.prompt_tokens;
  rec.output_tokens = r.output_tokens;
  rec.session = r.session;
  rec.turn = r.turn;
  return rec;
}

class RequestSlots {
 public:
  using Emit = std::function<void(const RequestRecord&)>;
  explicit RequestSlots(Emit emit) : emit_(std::move(emit)) {}

  // Index the next added request gets.
  size_t end() const { return base_ + slots_.size(); }
  size_t add(Request&& r) {
    slots_.push_back({std::move(r), {}, false});
    slots_.back().rec = initial_record(slots_.back().req);
    return end() - 1;
  }
  RequestSlot& at(size_t idx) { return slots_[idx - base_]; }
  // The request has finished: records of the finished prefix leave.
  void finish(size_t idx) {
    at(idx).finished = true;
    while (!slots_.empty() && slots_.front().finished) {
      emit_(slots_.front().rec);
      slots_.pop_front();
      ++base_;
    }
  }
  // A request that never arrived (the run stopped first): its record as the workload made it.
  void pass(const Request& r) { emit_(initial_record(r)); }
  // The same with a record already made (one that arrived but never started).
  void pass(const RequestRecord& rec) { emit_(rec); }
  // End of the run: every record still held leaves, finished or not. The
  // slots stay (actors stopped at the horizon still refer to theirs).
  void flush() {
    for (const RequestSlot& s : slots_) emit_(s.rec);
  }

 private:
  std::deque<RequestSlot> slots_;
  size_t base_ = 0;
  Emit emit_;
};

}  // namespace msao
