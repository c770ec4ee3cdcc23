#include "sim/dse/paper_cells.hpp"

#include <sqlite3.h>

#include <cstdio>

#include "sim/config/input_error.hpp"
#include "sim/dse/results_db.hpp"

namespace msao::dse {

std::string cell_key(const std::string& ds, const std::string& bw, const std::string& serving, const std::string& method,
                     const std::string& load) {
  return ds + "|" + bw + "|" + serving + "|" + method + "|" + load;
}

Cells read_cells(const std::string& db_path) {
  sqlite3* db = nullptr;
  Cells cells;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw InputError(db_path, 0, "", "a file SQLite cannot open", "a reproduce run's results.sqlite");
  }
  std::string sql = "SELECT \"workload.dataset\", " + quote_ident(kBandwidthKey) + ", " + quote_ident(kServingKey) +
                    ", " + quote_ident(kMethodAxis) + ", " + quote_ident(kLoadAxis) +
                    ", accuracy, throughput_tok_s, latency_ms_mean, flops_edge + flops_cloud, peak_mem_gb_edge, "
                    "peak_mem_gb_cloud, uplink_bytes, tpot_ms_mean, throughput_rps, edge_answer_fraction";
  for (const char* side : {"edge", "cloud"})
    for (const char* part : kMemoryParts) sql += std::string(", memory_") + side + "_" + part + "_gb";
  sql += " FROM runs WHERE status = 'ok'";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw InputError(db_path, 0, "runs", "a table without the reproduce columns", "a reproduce run's results.sqlite");
  }
  while (sqlite3_step(st) == SQLITE_ROW) {
    auto txt = [&](int c) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, c))); };
    // NULL (a latency of a run that completed nothing) is NaN, not 0.
    auto num = [&](int c) { return sqlite3_column_type(st, c) == SQLITE_NULL ? std::nan("") : sqlite3_column_double(st, c); };
    Cell c{num(5), num(6), num(7), num(8), num(9), num(10), num(11), num(12), num(13), num(14)};
    for (int s = 0; s < 2; ++s)
      for (int p = 0; p < 4; ++p) c.parts[s][p] = num(15 + 4 * s + p);
    cells[cell_key(txt(0), txt(1), txt(2), txt(3), txt(4))] = c;
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return cells;
}

Cell get_cell(const Cells& cells, const std::string& ds, const std::string& bw, const std::string& serving,
              const std::string& method, const std::string& load) {
  auto it = cells.find(cell_key(ds, bw, serving, method, load));
  return it == cells.end() ? Cell{} : it->second;
}

std::string fmt_number(const char* fmt, double v) {
  if (std::isnan(v)) return "n/a";
  char b[64];
  std::snprintf(b, sizeof b, fmt, v);
  return b;
}

std::string change(double reduction_pct) {
  if (std::isnan(reduction_pct)) return "n/a";
  char b[64];
  std::snprintf(b, sizeof b, "%.1f%% %s", std::fabs(reduction_pct), reduction_pct >= 0 ? "lower" : "higher");
  return b;
}

double mean_reduction(const Cells& cells, const std::string& serving, const std::string& ours, const std::string& base,
                      double Cell::*field) {
  double sum = 0;
  int n = 0;
  for (const auto& ds : kPaperDatasets)
    for (const auto& bw : kPaperBandwidths) {
      auto a = cells.find(cell_key(ds, bw, serving, ours, "offered")), b = cells.find(cell_key(ds, bw, serving, base, "offered"));
      if (a == cells.end() || b == cells.end() || !(b->second.*field > 0)) continue;
      sum += 100.0 * (1.0 - a->second.*field / b->second.*field);
      ++n;
    }
  return n ? sum / n : NAN;
}

}  // namespace msao::dse
