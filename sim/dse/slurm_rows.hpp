// The files a Slurm sweep's array tasks and its coordinator exchange through
// the shared output folder (docs/slurm.md), never SQLite: each task appends
// to a rows file of its own, and only the coordinator writes results.sqlite.
//
// Plan file (one per submission): the base scenario, the run timeout and
// the runs, one line each, "hash<TAB>override<TAB>override...", fields
// escaped so a value may hold tabs or newlines. Task k of T takes the
// contiguous block [k*n/T, (k+1)*n/T) of the n runs.
//
// Rows file (one per task): records "R <hash> ok|failed <bytes>\n<payload>\n",
// payload the encoded metrics or the error. A task killed mid-write leaves
// a torn last record, which readers ignore: a record counts once complete.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace msao::dse {

struct SlurmPlan {
  std::string base;
  double run_timeout_s = 600;
  int tasks = 1;
  std::vector<std::pair<std::string, std::vector<std::string>>> runs;  // hash, overrides
};

// Indices [first, last) of task k's block.
std::pair<size_t, size_t> task_block(size_t runs, int tasks, int k);

void write_slurm_plan(const std::string& path, const SlurmPlan& plan);
// Throws std::runtime_error on a malformed file.
SlurmPlan read_slurm_plan(const std::string& path);

struct RowRecord {
  std::string hash;
  bool ok = false;
  std::string payload;
};

std::string format_row(const RowRecord& r);
// Parses the complete records of `text` from `offset` on and advances
// offset past them; a torn tail stays for the next read.
std::vector<RowRecord> parse_rows(const std::string& text, size_t& offset);
// Reads a rows file's bytes from `offset` on (empty when it does not exist yet).
std::string read_from(const std::string& path, uint64_t offset);

}  // namespace msao::dse
