// RecordOrder (internal to sim/engine): puts records that finish in any
// order back into request order, the order of requests.csv, the summary's
// running sums and the invariant checks. A record leaves as soon as every
// earlier request's record has; one that finished ahead of an earlier
// request waits here. In a closed loop over many edges that wait spans the
// lag between the fastest and the slowest edge, which grows with the run
// (one slow edge holds back every other edge's records), so waiting
// records beyond `memory_limit` are written, as a sorted run, to a
// SpillFile and read back, merged by index, as their turn comes: memory
// holds at most `memory_limit` records plus a read buffer for each of at
// most kMaxRuns runs (past that, the smaller half are merged into one),
// whatever the run's length. The file only grows (about 350 bytes a
// spilled record, plus merges' copies) until the run ends.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/engine/spill_file.hpp"
#include "sim/metrics/request_record.hpp"

namespace msao {

class RecordOrder {
 public:
  using Emit = std::function<void(const RequestRecord&)>;
  RecordOrder(Emit emit, size_t memory_limit);
  ~RecordOrder();

  // The record of request `idx` (each index once); it and any records
  // waiting behind it leave if every earlier index has left.
  void put(size_t idx, RequestRecord&& rec);
  // Index of the next record to leave.
  size_t next() const { return next_; }
  // Every waiting record leaves, in index order, gaps or not (the end of a
  // run stopped at its horizon, once every record below the last one has
  // been put).
  void drain();

  // Records waiting now (in memory and spilled), and at most at once.
  size_t waiting() const { return heap_.size() + spilled_; }
  size_t peak_waiting() const { return peak_waiting_; }
  // Records waiting in memory at most at once (at most memory_limit).
  size_t peak_in_memory() const { return peak_in_memory_; }
  // Sorted runs written to the temporary file so far; bytes of it still held.
  size_t runs_written() const { return runs_written_; }
  long long file_held() const { return file_.held(); }

 private:
  // A record waiting in memory: its index and where it is kept in store_
  // (the heap moves these, not the records).
  struct Waiting {
    size_t idx;
    uint32_t at;
  };
  static bool after(const Waiting& a, const Waiting& b) { return a.idx > b.idx; }  // heap order
  struct Run;
  // Runs at once, at most, before they are merged into one.
  static constexpr size_t kMaxRuns = 16;
  void spill();
  void merge_runs();
  // Appends a record with its index to `out`, which goes to the file once it is a megabyte.
  void append(size_t idx, const RequestRecord& rec, std::string& out);
  static constexpr size_t kWriteChunk = 1 << 20;
  // The smallest index waiting, in memory or at a run's head; false if none.
  bool smallest(size_t& idx) const;
  // Takes the record with index `idx` from wherever it waits.
  RequestRecord take(size_t idx);
  void leave_ready();

  Emit emit_;
  size_t memory_limit_;
  size_t next_ = 0;
  std::vector<Waiting> heap_;          // a min-heap on idx
  std::vector<RequestRecord> store_;   // the records waiting in memory, at heap_'s `at`s
  std::vector<uint32_t> free_;         // places in store_ no record holds
  std::vector<std::unique_ptr<Run>> runs_;
  SpillFile file_;
  size_t spilled_ = 0, peak_waiting_ = 0, peak_in_memory_ = 0, runs_written_ = 0;
};

}  // namespace msao
