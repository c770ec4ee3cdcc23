// The requests a run has started and not yet finished (internal to
// sim/engine), each with its record, by request index (its place in the
// workload's order). A finished record goes to a RecordOrder, which hands
// records on in request order, the order of requests.csv, as soon as every
// earlier request's has left. Only started requests hold a slot: a closed
// loop's users, whose edges run ahead of one another, start requests far
// apart in index. A slot stays at its address until its request finishes
// (unordered_map nodes do not move), so a worker holds its request and
// record by reference.
#pragma once
#include <algorithm>
#include <functional>
#include <unordered_map>
#include <vector>

#include "sim/engine/record_order.hpp"
#include "sim/metrics/request_record.hpp"
#include "sim/request.hpp"

namespace msao {

struct RequestSlot {
  Request req;
  RequestRecord rec;
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
  size_t add(Request&& r) {
    const size_t idx = end_;
    add_at(idx, std::move(r));
    return idx;
  }
  // Request `idx` starts (closed loop: each edge's in their order).
  RequestSlot& add_at(size_t idx, Request&& r) {
    RequestSlot& s = slots_[idx];
    s.req = std::move(r);
    s.rec = initial_record(s.req);
    end_ = std::max(end_, idx + 1);
    peak_started_ = std::max(peak_started_, slots_.size());
    return s;
  }
  RequestSlot& at(size_t idx) { return slots_.at(idx); }
  // The request has finished: its record goes in order, its slot away.
  void finish(size_t idx) {
    auto it = slots_.find(idx);
    order_.put(idx, std::move(it->second.rec));
    slots_.erase(it);
  }
  // A request that never started, with its index: its record as the
  // workload made it, or one already made (arrived but never started).
  void pass(size_t idx, const Request& r) { order_.put(idx, initial_record(r)); }
  void pass(size_t idx, RequestRecord rec) { order_.put(idx, std::move(rec)); }
  // End of a run stopped at its horizon: every started request's record
  // joins the order as it is, finished or not. The slots stay (actors
  // stopped at the horizon still refer to theirs).
  void flush_started() {
    for (const auto& [idx, s] : slots_) order_.put(idx, RequestRecord(s.rec));
  }
  // Then, once every never-started request below the last index has been
  // passed: every record still waiting leaves, in order.
  void drain() { order_.drain(); }
  // Index of the next record to leave.
  size_t next_out() const { return order_.next(); }

  // Requests started and not finished, at most at once; finished records
  // that waited for an earlier one (RecordOrder).
  size_t peak_started() const { return peak_started_; }
  const RecordOrder& order() const { return order_; }

 private:
  std::unordered_map<size_t, RequestSlot> slots_;
  RecordOrder order_;
  size_t end_ = 0, peak_started_ = 0;
};

}  // namespace msao
