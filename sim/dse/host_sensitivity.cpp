#include "sim/dse/host_sensitivity.hpp"

#include <sqlite3.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>

#include "sim/config/input_error.hpp"
#include "sim/cost/catalog.hpp"
#include "sim/dse/hash.hpp"
#include "sim/dse/paper_cells.hpp"
#include "sim/dse/paper_report.hpp"
#include "sim/util/atomic_file.hpp"

namespace msao::dse {
namespace {

struct Variant {
  const char* name;      // the axis value and the report's row label
  const char* kind;      // catalog kind of the file changed ("" : the catalog as shipped)
  const char* file;      // catalog name of that file
  const char* scenario_key;  // the scenario key that names the file
  const char* key;       // the line changed
  const char* value;
};
// The ends of each assumption's plausible range (docs/cost-model.md): no
// host time per vision block (a fused or compiled encoder) or a decoder
// layer's measured 0.89 ms; a desktop host 30% slower or 50% faster than a
// server's.
const Variant kVariants[] = {
    {"as shipped (encoder_layer_dispatch 0.62 ms, RTX 3090 host_speed 1)", "", "", "", "", ""},
    {"encoder_layer_dispatch 0", "serving", "hf-eager", "platform.serving", "encoder_layer_dispatch", "0"},
    {"encoder_layer_dispatch 0.89 ms", "serving", "hf-eager", "platform.serving", "encoder_layer_dispatch", "0.89ms"},
    {"RTX 3090 host_speed 0.7", "hardware", "rtx3090", "platform.edges.0.hardware", "host_speed", "0.7"},
    {"RTX 3090 host_speed 1.5", "hardware", "rtx3090", "platform.edges.0.hardware", "host_speed", "1.5"},
};
const char* kMethods[] = {"cloud-only", "edge-only", "msao"};
const char* kLoads[] = {"offered", "sequential"};
constexpr const char* kVariantAxis = "host assumption";

// A copy of catalog file `v.file` with `v.key` set to `v.value`, in `dir`; its path.
std::string write_variant(const Variant& v, const std::string& dir) {
  const std::string src = cost::resolve_catalog(v.kind, v.file);
  const std::string text = file_text(src);
  const std::regex line("(^|\n)" + std::string(v.key) + ":[^\n]*");
  if (!std::regex_search(text, line))
    throw InputError(src, 0, v.key, "no such line", std::string("a line '") + v.key + ": ...' to vary");
  const std::string out = (std::filesystem::path(dir) / (std::string(v.file) + "-" + v.key + "-" + v.value + ".yaml")).string();
  std::filesystem::create_directories(dir);
  write_file_atomic(out, std::regex_replace(text, line, std::string("$1") + v.key + ": " + v.value));
  return out;
}

}  // namespace

SweepPlan host_sensitivity_plan(const std::string& scenario, int requests, const std::string& variants_dir) {
  SweepPlan p;
  p.base = scenario;
  p.axes = {kVariantAxis, kMethodAxis, kLoadAxis};
  p.source = "msao reproduce paper (host-time sensitivity)";
  const std::string base_text = file_text(scenario);
  int point = 0;
  for (const Variant& v : kVariants) {
    std::vector<std::string> common = {"workload.dataset=vqav2", std::string(kBandwidthKey) + "=400Mbps",
                                       std::string(kServingKey) + "=" + kPaperServing};
    if (requests > 0) common.insert(common.begin(), "workload.requests=" + std::to_string(requests));
    if (*v.kind) common.push_back(std::string(v.scenario_key) + "=" + write_variant(v, variants_dir));
    for (const char* method : kMethods)
      for (const char* load : kLoads) {
        RunPoint r;
        r.point = point++;
        r.axis_values = {v.name, method, load};
        r.overrides = common;
        r.overrides.push_back(std::string("policy.type=") + method);
        if (std::string(load) == "sequential") r.overrides.push_back(kSequentialArrival);
        r.hash = run_hash(base_text, r.overrides);
        p.runs.push_back(r);
      }
  }
  return p;
}

std::string host_sensitivity_section(const std::string& db_path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw InputError(db_path, 0, "", "a file SQLite cannot open", "the host-sensitivity runs' results.sqlite");
  }
  const std::string sql = std::string("SELECT \"") + kVariantAxis + "\", method, load, latency_ms_mean, throughput_tok_s "
                          "FROM runs WHERE status = 'ok'";
  sqlite3_stmt* st = nullptr;
  std::map<std::string, std::pair<double, double>> cell;  // variant|method|load -> (latency ms, tokens/s)
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK)
    while (sqlite3_step(st) == SQLITE_ROW) {
      auto txt = [&](int c) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, c))); };
      auto num = [&](int c) { return sqlite3_column_type(st, c) == SQLITE_NULL ? std::nan("") : sqlite3_column_double(st, c); };
      cell[txt(0) + "|" + txt(1) + "|" + txt(2)] = {num(3), num(4)};
    }
  sqlite3_finalize(st);
  sqlite3_close(db);
  auto get = [&](const char* v, const char* m, const char* l, bool tok_s) {
    auto it = cell.find(std::string(v) + "|" + m + "|" + l);
    return it == cell.end() ? std::nan("") : tok_s ? it->second.second : it->second.first;
  };
  auto fmt = fmt_number;
  auto rel = [](double ours, double other) { return other > 0 ? change(100 * (1 - ours / other)) : change(NAN); };
  std::string r =
      "## How the verdict moves with the host-time assumptions\n\nUnder " + std::string(kPaperServing) +
      " the host's time per forward pass bounds most figures, and two of its parts are assumptions, not measurements "
      "(docs/cost-model.md): the host time per vision-encoder block (`encoder_layer_dispatch`, "
      "platforms/serving/hf-eager.yaml) and the desktop host's speed against a server's (`host_speed`, "
      "platforms/hardware/rtx3090.yaml). Each is moved to the ends of its plausible range, one at a time, on VQAv2 @ "
      "400 Mbit/s (the variant catalog files are in `host-sensitivity/variants/`). A pass takes the larger of its GPU "
      "time and its host time, so a device whose GPU time is the larger (the desktop's vision encoder here) does not "
      "move with its host time.\n\n"
      "| assumption | msao: mean latency ms | cloud-only | edge-only | msao against cloud-only | msao against edge-only "
      "| msao: tokens/s, one user | cloud-only | edge-only |\n|---|---|---|---|---|---|---|---|---|\n";
  for (const Variant& v : kVariants) {
    const double m = get(v.name, "msao", "offered", false), c = get(v.name, "cloud-only", "offered", false),
                 e = get(v.name, "edge-only", "offered", false);
    r += std::string("| ") + v.name + " | " + fmt("%.1f", m) + " | " + fmt("%.1f", c) + " | " + fmt("%.1f", e) + " | " +
         rel(m, c) + " | " + rel(m, e) + " | " + fmt("%.1f", get(v.name, "msao", "sequential", true)) + " | " +
         fmt("%.1f", get(v.name, "cloud-only", "sequential", true)) + " | " +
         fmt("%.1f", get(v.name, "edge-only", "sequential", true)) + " |\n";
  }
  return r;
}

}  // namespace msao::dse
