// The requests a run has started and not yet finished (internal to
// sim/engine), each with its record and request index (its place in the
// workload's order). A finished record goes to a RecordOrder, which hands
// records on in request order, the order of requests.csv, as soon as every
// earlier request's has left. Only started requests hold a slot: a closed
// loop's users, whose edges run ahead of one another, start requests far
// apart in index. A slot stays at its address, so a worker or user holds
// its request and record by reference.
#pragma once
#include <algorithm>
#include <functional>
#include <deque>
#include <vector>

#include "sim/engine/record_order.hpp"
#include "sim/metrics/request_record.hpp"
#include "sim/request.hpp"

namespace msao {

struct RequestSlot {
  Request req;
  RequestRecord rec;
  size_t idx = 0;     // the request's index
  bool live = false;  // started and not finished
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
  using Emit = RecordOrder::Emit;
  // memory_limit: finished records waiting in memory, at most (RecordOrder).
  RequestSlots(Emit emit, size_t memory_limit) : order_(std::move(emit), memory_limit) {}

  // Index the next added request gets: one past the largest index started.
  size_t end() const { return end_; }
  // The request with the next index starts (open loop: in arrival order).
  RequestSlot& add(Request&& r) { return add_at(end_, std::move(r)); }
  // Request `idx` starts (closed loop: each edge's in their order).
  RequestSlot& add_at(size_t idx, Request&& r) {
    RequestSlot* s = nullptr;
    if (free_.empty()) {
      s = &pool_.emplace_back();
    } else {
      s = free_.back();
      free_.pop_back();
    }
    s->req = std::move(r);
    s->rec = initial_record(s->req);
    s->idx = idx;
    s->live = true;
    end_ = std::max(end_, idx + 1);
    peak_started_ = std::max(peak_started_, pool_.size() - free_.size());
    return *s;
  }
  // The slot's request has finished: its record goes in order, the slot to
  // the next request that starts.
  void finish(RequestSlot& s) {
    order_.put(s.idx, std::move(s.rec));
    s.live = false;
    free_.push_back(&s);
  }
  // A request that never started, with its index: its record as the
  // workload made it, or one already made (arrived but never started).
  void pass(size_t idx, const Request& r) { order_.put(idx, initial_record(r)); }
  void pass(size_t idx, RequestRecord rec) { order_.put(idx, std::move(rec)); }
  // End of a run stopped at its horizon: every started request's record
  // joins the order as it is, finished or not. The slots stay (actors
  // stopped at the horizon still refer to theirs).
  void flush_started() {
    for (const RequestSlot& s : pool_)
      if (s.live) order_.put(s.idx, RequestRecord(s.rec));
  }
  // Then, once every never-started request below the last index has been
  // passed: every record still waiting leaves, in order.
  void drain() { order_.drain(); }

  // Requests started and not finished, at most at once; finished records
  // that waited for an earlier one (RecordOrder).
  size_t peak_started() const { return peak_started_; }
  const RecordOrder& order() const { return order_; }

 private:
  // Every slot ever made (as many as requests ran at once), reused: a
  // std::deque keeps them in place as it grows.
  std::deque<RequestSlot> pool_;
  std::vector<RequestSlot*> free_;
  RecordOrder order_;
  size_t end_ = 0, peak_started_ = 0;
};

}  // namespace msao
