#include "sim/dse/paper_report.hpp"

#include <sqlite3.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "sim/config/input_error.hpp"
#include "sim/dse/hash.hpp"
#include "sim/dse/results_db.hpp"
#include "sim/policy/policy.hpp"

namespace msao::dse {

SweepPlan paper_plan(const std::string& scenario, int requests, std::vector<std::string>& missing) {
  SweepPlan p;
  p.base = scenario;
  p.axes = {"workload.dataset", kBandwidthKey, "policy.type", kLoadAxis};
  p.source = "msao reproduce paper";
  std::vector<std::string> policies;
  for (const auto& pol : kPaperPolicies) (find_policy(pol) ? policies : missing).push_back(pol);
  const std::string base_text = file_text(scenario);
  int point = 0;
  for (const auto& ds : kPaperDatasets)
    for (const auto& bw : kPaperBandwidths)
      for (const auto& pol : policies)
        for (const std::string load : {"offered", "saturated"}) {
          RunPoint r;
          r.point = point++;
          r.axis_values = {ds, bw, pol, load};
          if (requests > 0) r.overrides.push_back("workload.requests=" + std::to_string(requests));
          r.overrides.push_back("workload.dataset=" + ds);
          r.overrides.push_back(std::string(kBandwidthKey) + "=" + bw);
          r.overrides.push_back("policy.type=" + pol);
          if (load == "saturated") r.overrides.push_back(kSaturatedArrival);
          r.hash = run_hash(base_text, r.overrides);
          p.runs.push_back(r);
        }
  return p;
}

namespace {

struct Cell {
  double accuracy = NAN, tok_s = NAN, latency_ms = NAN, flops = NAN, mem_edge = NAN, mem_cloud = NAN;
};
using Cells = std::map<std::string, Cell>;  // "dataset|bandwidth|policy"

std::string key(const std::string& ds, const std::string& bw, const std::string& pol,
                const std::string& load = "offered") {
  return ds + "|" + bw + "|" + pol + "|" + load;
}

Cells read_cells(const std::string& db_path) {
  sqlite3* db = nullptr;
  Cells cells;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw InputError(db_path, 0, "", "a file SQLite cannot open", "a reproduce run's results.sqlite");
  }
  std::string sql = "SELECT \"workload.dataset\", " + quote_ident(kBandwidthKey) +
                    ", \"policy.type\", accuracy, throughput_tok_s, latency_ms_mean, flops_edge + flops_cloud, "
                    "peak_mem_gb_edge, peak_mem_gb_cloud, " +
                    quote_ident(kLoadAxis) + " FROM runs WHERE status = 'ok'";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw InputError(db_path, 0, "runs", "a table without the reproduce columns", "a reproduce run's results.sqlite");
  }
  while (sqlite3_step(st) == SQLITE_ROW) {
    auto txt = [&](int c) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, c))); };
    // NULL (a latency of a run that completed nothing) is NaN, not 0.
    auto num = [&](int c) { return sqlite3_column_type(st, c) == SQLITE_NULL ? std::nan("") : sqlite3_column_double(st, c); };
    Cell c{num(3), num(4), num(5), num(6), num(7), num(8)};
    cells[key(txt(0), txt(1), txt(2), txt(9))] = c;
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return cells;
}

std::string f(const char* fmt, double v) {
  if (std::isnan(v)) return "n/a";
  char b[64];
  std::snprintf(b, sizeof b, fmt, v);
  return b;
}

// Relative reduction of `ours` against `base`, percent, averaged over every setting both ran.
double mean_reduction(const Cells& cells, const std::string& ours, const std::string& base, double Cell::*field) {
  double sum = 0;
  int n = 0;
  for (const auto& ds : kPaperDatasets)
    for (const auto& bw : kPaperBandwidths) {
      auto a = cells.find(key(ds, bw, ours)), b = cells.find(key(ds, bw, base));
      if (a == cells.end() || b == cells.end() || !(b->second.*field > 0)) continue;
      sum += 100.0 * (1.0 - a->second.*field / b->second.*field);
      ++n;
    }
  return n ? sum / n : NAN;
}

// Distance from a paper range [lo, hi] (0 inside it), in percentage points.
double outside(double v, double lo, double hi) { return std::isnan(v) ? NAN : v < lo ? v - lo : v > hi ? v - hi : 0.0; }

}  // namespace

std::string paper_report(const std::string& db_path, const std::string& scenario, int requests,
                         const std::vector<std::string>& missing) {
  Cells cells = read_cells(db_path);
  auto get = [&](const std::string& ds, const std::string& bw, const std::string& pol,
                 const std::string& load = "offered") {
    auto it = cells.find(key(ds, bw, pol, load));
    return it == cells.end() ? Cell{} : it->second;
  };
  std::string r = "# MSAO paper reproduction\n\n";
  r += "Scenario `" + scenario + "`" + (requests > 0 ? " with " + std::to_string(requests) + " requests per run" : "") +
       "; datasets vqav2 and mmbench at 200, 300 and 400 Mbit/s (20 ms RTT), one run per policy and setting, the same "
       "seed for every policy. Paper values are from `msao-notes.md` (marked there as AI-written summaries of the full "
       "paper). Nothing is tuned per figure. Raw results: `results.sqlite`.\n\n";
  if (!missing.empty()) {
    r += "**Not run** (policy not registered in this build):";
    for (const auto& m : missing) r += " `" + m + "`";
    r += ". Their rows show n/a.\n\n";
  }
  r += "## Accuracy\n\n| method | setting | paper | simulated | difference (points) |\n|---|---|---|---|---|\n";
  const std::map<std::string, std::pair<double, double>> acc = {
      {"cloud-only", {76.3, 76.5}}, {"edge-only", {61.4, 61.2}}, {"perllm", {71.3, 69.9}}, {"msao", {76.1, 76.3}}};
  for (const auto& pol : kPaperPolicies) {
    double v = 100 * get("vqav2", "200Mbps", pol).accuracy, m = 100 * get("mmbench", "400Mbps", pol).accuracy;
    r += "| " + pol + " | VQAv2 @ 200 Mbit/s | " + f("%.1f%%", acc.at(pol).first) + " | " + f("%.1f%%", v) + " | " +
         f("%+.1f", v - acc.at(pol).first) + " |\n";
    r += "| " + pol + " | MMBench @ 400 Mbit/s | " + f("%.1f%%", acc.at(pol).second) + " | " + f("%.1f%%", m) + " | " +
         f("%+.1f", m - acc.at(pol).second) + " |\n";
  }
  r += "\n## Throughput, VQAv2 @ 400 Mbit/s (tokens/s, saturated)\n\n| method | paper | simulated | difference | "
       "ratio to cloud-only: paper | simulated |\n|---|---|---|---|---|---|\n";
  const std::map<std::string, double> tput = {{"cloud-only", 35}, {"edge-only", 60}, {"perllm", 75}, {"msao", 128}};
  for (const auto& pol : kPaperPolicies) {
    double v = get("vqav2", "400Mbps", pol, "saturated").tok_s;
    double base = get("vqav2", "400Mbps", "cloud-only", "saturated").tok_s;
    r += "| " + pol + " | " + f("%.0f", tput.at(pol)) + " | " + f("%.1f", v) + " | " + f("%+.1f", v - tput.at(pol)) +
         " | " + f("%.2fx", tput.at(pol) / tput.at("cloud-only")) + " | " + f("%.2fx", v / base) + " |\n";
  }
  r += "\nSaturated: 16 closed-loop users per edge with no think time (`" + std::string(kSaturatedArrival) +
       "`), so the figure is the system's capacity for this mix; the paper does not state its load. Every other "
       "figure is at the scenario's offered load.\n";
  struct Rel {
    const char* what;
    const char* base;
    double lo, hi;
    double Cell::*field;
    const char* paper;
  };
  const std::vector<Rel> rels = {
      {"mean latency", "cloud-only", 50, 100, &Cell::latency_ms, "> 50%"},
      {"mean latency", "edge-only", 45, 55, &Cell::latency_ms, "45-55%"},
      {"mean latency", "perllm", 30, 100, &Cell::latency_ms, "> 30%"},
      {"total FLOPs", "cloud-only", 30, 65, &Cell::flops, "30-65%"},
      {"total FLOPs", "perllm", 35, 50, &Cell::flops, "35-50%"},
  };
  r += "\n## Reductions by MSAO (mean over the six settings)\n\n| quantity | against | paper | simulated | outside the "
       "paper's range by (points) |\n|---|---|---|---|---|\n";
  for (const auto& x : rels) {
    double v = mean_reduction(cells, "msao", x.base, x.field);
    r += std::string("| ") + x.what + " | " + x.base + " | " + x.paper + " | " + f("%.1f%%", v) + " | " +
         f("%+.1f", outside(v, x.lo, x.hi)) + " |\n";
  }
  r += "\n## Peak GPU memory @ 200 Mbit/s, VQAv2 (GB)\n\n| method | paper | simulated edge | simulated cloud | "
       "difference (vs the larger side) |\n|---|---|---|---|---|\n";
  for (const auto& [pol, paper] : std::vector<std::pair<std::string, double>>{{"msao", 9.0}, {"cloud-only", 25.0}}) {
    Cell c = get("vqav2", "200Mbps", pol);
    double big = std::isnan(c.mem_edge)    ? c.mem_cloud
                 : std::isnan(c.mem_cloud) ? c.mem_edge
                                           : std::max(c.mem_edge, c.mem_cloud);
    r += "| " + pol + " | " + f("%.1f", paper) + " | " + f("%.2f", c.mem_edge) + " | " + f("%.2f", c.mem_cloud) +
         " | " + f("%+.2f", big - paper) + " |\n";
  }
  r += "\nThe paper does not say on which side its memory figure was measured; both simulated sides are shown.\n";
  r += "\n## All runs (offered load; last column saturated)\n\n| dataset | uplink | policy | accuracy | tokens/s | "
       "mean latency ms | "
       "TFLOPs | peak mem edge GB | peak mem cloud GB | saturated tokens/s "
       "|\n|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& ds : kPaperDatasets)
    for (const auto& bw : kPaperBandwidths)
      for (const auto& pol : kPaperPolicies) {
        auto it = cells.find(key(ds, bw, pol));
        if (it == cells.end()) continue;
        const Cell& c = it->second;
        r += "| " + ds + " | " + bw + " | " + pol + " | " + f("%.1f%%", 100 * c.accuracy) + " | " + f("%.1f", c.tok_s) +
             " | " + f("%.1f", c.latency_ms) + " | " + f("%.2f", c.flops / 1e12) + " | " + f("%.2f", c.mem_edge) +
             " | " + f("%.2f", c.mem_cloud) + " | " + f("%.1f", get(ds, bw, pol, "saturated").tok_s) + " |\n";
      }
  return r;
}

}  // namespace msao::dse
