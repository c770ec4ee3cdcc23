// ResultsDb: a sweep's results in DIR/results.sqlite, one row per run keyed
// by its config hash. Only the sweep's parent process writes, one
// transaction per finished run, in WAL mode: a sweep killed at any moment
// (SIGKILL included) leaves every committed row intact and none half
// written, and --resume skips exactly the hashes already recorded ok (a
// failed run is run again and its row replaced). Axis
// values are columns named by their config key; every summary metric is a
// column of its own, so the table reads straight into pandas or SQL.
#pragma once
#include <sqlite3.h>

#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/dse/run_metrics.hpp"
#include "sim/dse/sweep_spec.hpp"

namespace msao::dse {

class ResultsDb {
 public:
  // Opens or creates; `axes` and `meta` describe the sweep. An existing
  // database must belong to the same axes (InputError otherwise).
  ResultsDb(const std::string& path, const std::vector<std::string>& axes);
  ~ResultsDb();
  ResultsDb(const ResultsDb&) = delete;
  ResultsDb& operator=(const ResultsDb&) = delete;

  void set_meta(const std::string& key, const std::string& value);
  // "" when the key is absent.
  std::string meta(const std::string& key);
  // Hashes of the runs recorded with status ok (failed runs are run again on resume).
  std::set<std::string> finished_hashes();
  // Every recorded run, ok or failed.
  size_t recorded_runs();
  // Each recorded run's identity, ok or failed: its point, replica, hash and
  // overrides (as the overrides column holds them, joined by "; ").
  struct RecordedRun {
    int point = 0, replica = 0;
    std::string hash, overrides;
  };
  void for_each_run(const std::function<void(const RecordedRun&)>& f);
  // One transaction. status: "ok" or "failed" (error text then, metrics empty).
  void record(const RunPoint& p, const std::string& status, const std::string& error, const RunMetrics& m);

 private:
  void exec(const std::string& sql);
  // WAL mode, the meta table, and the runs table (created, or checked to have exactly `columns`).
  void open_tables(const std::string& path, const std::vector<std::pair<std::string, std::string>>& columns);
  sqlite3* db_ = nullptr;
  std::vector<std::string> axes_, metrics_;
  std::string insert_sql_;  // one row of every column, built once
};

// Quotes an SQL identifier ("platform.edges.0.uplink.bandwidth" stays readable).
std::string quote_ident(const std::string& name);

// The runs table as CSV, ordered by point and replica (deterministic), for
// `msao sweep export`. Throws InputError if path holds no results table or
// SQLite finds it corrupt.
std::string export_csv(const std::string& db_path);

}  // namespace msao::dse
