// EdgeQueues (internal to sim/engine): a closed loop's requests read from
// its source ahead of the edges that will take them, one FIFO queue per
// edge. How far ahead grows with the run where edges drift apart, and
// where requests are dealt to edges at random: with 10,000 edges, the edge
// whose first request comes last waits for most of the workload to be read.
// So up to `memory_limit` queued requests stay in memory and the rest go to
// a SpillFile, each edge's as a list linked through the file (each entry
// names the next one's place), so that memory holds `memory_limit`
// requests and a few words per edge, whatever the run's length.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/engine/spill_file.hpp"
#include "sim/request.hpp"

namespace msao {

// A request read from the source, with its index (its place in the source's order).
struct IndexedRequest {
  size_t idx = 0;
  Request req;
};

class EdgeQueues {
 public:
  EdgeQueues(size_t edges, size_t memory_limit) : queues_(edges), memory_limit_(std::max<size_t>(memory_limit, 1)) {}

  size_t edges() const { return queues_.size(); }
  void push(int edge, IndexedRequest&& r);
  bool empty(int edge) const { return queues_[edge].mem_head == queues_[edge].mem.size() && queues_[edge].on_disk == 0; }
  // The edge's oldest request (not empty(edge)).
  const IndexedRequest& front(int edge);
  IndexedRequest pop(int edge);

  // Requests queued now, and at most at once; of those, in memory at most at once.
  size_t size() const { return size_; }
  size_t peak() const { return peak_; }
  size_t peak_in_memory() const { return peak_in_memory_; }
  // Each queued request (the file's too), edge by edge.
  template <typename F>
  void for_each(F&& f) {
    for (size_t e = 0; e < queues_.size(); ++e)
      while (!empty(static_cast<int>(e))) {
        const IndexedRequest r = pop(static_cast<int>(e));
        f(r.idx, r.req);
      }
  }

 private:
  // Where a queued request waits in the file: its entry's offset and length.
  struct Place {
    long long off = -1;
    uint32_t len = 0;
  };
  // In memory from mem_head on, then on_disk entries in the file from `head` (the last at `tail`).
  struct Queue {
    std::vector<IndexedRequest> mem;
    size_t mem_head = 0;
    size_t on_disk = 0;
    Place head, tail;
  };
  // Moves the edge's first entry in the file to memory.
  void load(Queue& q);

  std::vector<Queue> queues_;
  size_t memory_limit_;
  size_t size_ = 0, in_memory_ = 0, peak_ = 0, peak_in_memory_ = 0;
  SpillFile file_;
  std::string scratch_;
};

}  // namespace msao
