// End-to-end at a reduced size: `msao reproduce paper --requests 50` runs
// every registered paper policy and writes a report with the paper's
// figures, and every PNG it draws comes from runs of a single load;
// the claims map marks exactly the cells inside each claim; `msao tune`
// runs, stores its history and respects its budget.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <cstdlib>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

namespace fs = std::filesystem;
using msao::test::run_msao;

namespace {
using msao::test::slurp;
fs::path scratch(const std::string& name) {
  auto d = fs::temp_directory_path() / ("msao-dse-repro-" + std::to_string(getpid())) / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}
}  // namespace

TEST_CASE("reproduce paper runs end to end at a reduced size") {
  auto dir = scratch("paper");
  auto r = run_msao("reproduce paper --requests 50 --jobs 2 --no-plots --out " + dir.string());
  REQUIRE_MESSAGE(r.ok, r.out);
  std::string md = slurp(dir / "report.md");
  for (const char* s : {"## Accuracy", "VQAv2 @ 200 Mbit/s", "MMBench @ 400 Mbit/s", "## Throughput", "mean latency",
                        "total FLOPs", "Peak GPU memory", "| vqav2 | 200Mbps | cloud-only |", "| mmbench | 400Mbps | edge-only |",
                        "hf-eager", "sequential", "msao-no-mas", "msao-neither", "msao-uniform-prune",
                        "accuracy lost with MAS off at equal cost, VQAv2 @ 200 Mbit/s",
                        "| figure | paper | simulated (hf-eager) | matches | simulated (vllm) |", "## The paper's claims",
                        "| claim | paper | simulated (hf-eager) | simulated (vllm) | bound | holds where (claims map) | why |",
                        "## How the verdict moves with the host-time assumptions", "| encoder_layer_dispatch 0 |",
                        "| RTX 3090 host_speed 1.5 |"})
    CHECK_MESSAGE(md.find(s) != std::string::npos, s);
  // The decode-rate bound holds: one user's tokens/s, as simulated, never passes the faster device's decode rate.
  for (const char* row : {"| msao's tokens/s (one user, VQAv2 @ 400 Mbit/s) against cloud-only's |",
                          "| msao's tokens/s against edge-only's and PerLLM's |"}) {
    CAPTURE(row);
    const size_t at = md.find(row);
    REQUIRE(at != std::string::npos);
    std::vector<std::string> cols;
    std::stringstream line(md.substr(at, md.find('\n', at) - at));
    for (std::string c; std::getline(line, c, '|');) cols.push_back(c);
    REQUIRE(cols.size() >= 6);  // "", claim, paper, hf-eager, vllm, bound, ...
    const std::string bound = cols[5];
    REQUIRE(bound.find("at most ") != std::string::npos);
    const double simulated = std::stod(cols[3]), most = std::stod(bound.substr(bound.find("at most ") + 8));
    CHECK(simulated > 0);
    CHECK(simulated <= most);
  }
  // Same inputs, same report, byte for byte.
  auto dir2 = scratch("paper2");
  REQUIRE(run_msao("reproduce paper --requests 50 --jobs 1 --no-plots --out " + dir2.string()).ok);
  CHECK(slurp(dir2 / "report.md") == md);
}

namespace {
// The fields of one CSV line as pandas writes it (quoted when they hold a comma).
std::vector<std::string> csv_fields(const std::string& line, char separator = ',') {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == separator && !quoted) out.emplace_back();
    else out.back() += c;
  }
  return out;
}
}  // namespace

TEST_CASE("every figure reproduce draws comes from runs of one load, per its data, and the report links it") {
  auto dir = scratch("figures");
  auto r = run_msao("reproduce paper --requests 30 --jobs 2 --out " + dir.string());
  REQUIRE_MESSAGE(r.ok, r.out);
  const std::string md = slurp(dir / "report.md");
  int pngs = 0;
  std::set<std::string> kinds;
  for (const auto& e : fs::directory_iterator(dir / "figures")) {
    if (e.path().extension() != ".png") continue;
    ++pngs;
    const std::string name = e.path().filename().string();
    CAPTURE(name);
    kinds.insert(name.substr(0, name.find('_')));
    CHECK(md.find("(figures/" + name + ")") != std::string::npos);
    // Its data, beside it: one load, one serving stack, one dataset.
    std::ifstream csv(fs::path(e.path()).replace_extension(".csv"));
    REQUIRE(csv.good());
    std::string line;
    std::getline(csv, line);
    const auto header = csv_fields(line);
    std::map<std::string, std::set<std::string>> seen;
    int rows = 0;
    while (std::getline(csv, line)) {
      const auto f = csv_fields(line);
      REQUIRE(f.size() == header.size());
      for (size_t i = 0; i < f.size(); ++i) seen[header[i]].insert(f[i]);
      ++rows;
    }
    CHECK(rows > 0);
    for (const char* axis : {"load", "platform.serving", "workload.dataset"}) {
      CAPTURE(axis);
      CHECK(seen[axis].size() == 1);
    }
  }
  // Latency, CDF, Pareto, throughput, FLOPs, memory and ablation figures, for both serving stacks.
  CHECK(pngs >= 14);
  for (const char* k : {"latency", "pareto", "throughput", "flops", "memory", "ablation"}) CHECK_MESSAGE(kinds.count(k), k);
}

TEST_CASE("tune runs simulations and stores best parameters and history") {
  auto dir = scratch("tune");
  std::ofstream(dir / "t.yaml") << "base: " << MSAO_SOURCE_DIR << "/platforms/scenarios/paper.yaml\n"
                                << "set: [policy.type=cloud-only, workload.requests=50]\n"
                                << "params:\n  - {key: platform.edges.0.uplink.bandwidth, min: 10, max: 1000, scale: log, unit: Mbps}\n"
                                << "objective: {metric: latency_ms_mean}\n"
                                << "constraints:\n  - {metric: accuracy, min_vs_reference: -0.005}\n"
                                << "reference: {set: [policy.type=cloud-only]}\nbudget: 6\n";
  auto r = run_msao("tune " + (dir / "t.yaml").string() + " --out " + (dir / "t.json").string());
  REQUIRE_MESSAGE(r.ok, r.out);
  const auto j = nlohmann::json::parse(slurp(dir / "t.json"));
  CHECK(j.at("best").contains("eval"));
  // The budget of 6 is respected: history entries 0-5 and no 6th.
  REQUIRE(j.at("history").size() == 6);
  CHECK(j.at("history").back().at("eval") == 5);
  CHECK(r.out.find("best (eval") != std::string::npos);
  std::ofstream(dir / "bad.yaml") << "base: " << MSAO_SOURCE_DIR << "/platforms/scenarios/paper.yaml\n"
                                  << "params:\n  - {key: policy.x, min: 0, max: 1}\nobjective: {metric: latency}\n";
  auto bad = run_msao("tune " + (dir / "bad.yaml").string());
  CHECK(bad.status == 2);
  CHECK(bad.out.find("objective.metric") != std::string::npos);
}

TEST_CASE("the claims map runs its sweep and marks exactly the cells inside each claim, from its own latencies") {
  // The bundled sweep at 10 requests a run, its base resolved from here.
  auto dir = scratch("claims");
  const std::string src = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/";
  std::string spec = slurp(src + "sweep-claims.yaml");
  spec.replace(spec.find("base: paper.yaml"), 16, "base: " + src + "paper.yaml");
  spec.replace(spec.find("workload.requests=200"), 21, "workload.requests=10");
  std::ofstream(dir / "sweep.yaml") << spec;
  auto r = run_msao("sweep " + (dir / "sweep.yaml").string() + " --jobs 2 -q --out " + (dir / "out").string());
  REQUIRE_MESSAGE(r.ok, r.out);
  const std::string cmd = "/usr/bin/python3 " + std::string(MSAO_SOURCE_DIR) + "/scripts/claims-map " +
                          (dir / "out").string() + " > " + (dir / "map.txt").string() + " 2>&1";
  REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, slurp(dir / "map.txt"));
  // One cell per serving stack x load x length x agreement x bandwidth x
  // RTT: 2 x 2 x 4 x 2 x 3 x 2; throughput on the one-user load only.
  enum class Kind { LowerPct, Ratio, HigherPct, PointsLost };  // how the first method compares with the second
  struct Claim {
    std::string name;
    Kind kind;
    double lo, hi;  // the claim's range
    int cells;
  };
  const Claim claims[] = {{"latency_vs_cloud-only", Kind::LowerPct, 50, 100, 192},
                          {"latency_vs_edge-only", Kind::LowerPct, 45, 55, 192},
                          {"latency_vs_perllm", Kind::LowerPct, 30, 100, 192},
                          {"flops_vs_cloud-only", Kind::LowerPct, 30, 65, 192},
                          {"flops_vs_perllm", Kind::LowerPct, 35, 50, 192},
                          {"throughput_vs_cloud-only", Kind::Ratio, 128.0 / 35 * 0.8, 128.0 / 35 * 1.2, 96},
                          {"throughput_vs_edge-only", Kind::Ratio, 1.5, 2.3, 96},
                          {"throughput_vs_perllm", Kind::Ratio, 1.5, 2.3, 96},
                          {"latency_msao-no-spec_vs_msao", Kind::HigherPct, 48 * 0.8, 48 * 1.2, 192},
                          {"accuracy_msao-uniform-prune_vs_msao", Kind::PointsLost, 4.8, 8.8, 192},
                          {"memory_vs_cloud-only", Kind::Ratio, 0.36 * 0.8, 0.36 * 1.2, 192}};
  const std::string holds_tsv = slurp(dir / "out" / "claims-map" / "holds.tsv");
  for (const Claim& claim : claims) {
    const std::string name = claim.name;
    CAPTURE(name);
    const fs::path stem = dir / "out" / "claims-map" / name;
    CHECK(fs::exists(fs::path(stem).replace_extension(".png")));
    std::ifstream csv(fs::path(stem).replace_extension(".csv"));
    REQUIRE(csv.good());
    std::string line;
    std::getline(csv, line);
    int rows = 0, holds = 0;
    while (std::getline(csv, line)) {
      const auto f = csv_fields(line);
      REQUIRE(f.size() == 10);
      const double ours = std::stod(f[5]), other = std::stod(f[6]), lower = std::stod(f[7]);  // lower: or the ratio
      const double expected = claim.kind == Kind::Ratio       ? ours / other
                              : claim.kind == Kind::LowerPct  ? 100 * (1 - ours / other)
                              : claim.kind == Kind::HigherPct ? 100 * (ours / other - 1)
                                                              : 100 * (other - ours);
      CHECK(std::fabs(lower - expected) <= 1e-6 * (1 + std::fabs(lower)));
      const bool in = lower >= claim.lo && lower <= claim.hi;
      CHECK((f[8] == "True") == in);
      holds += in;
      ++rows;
    }
    CHECK(rows == claim.cells);
    // holds.tsv: the same count, for the report's verdict table.
    const size_t row = holds_tsv.find("\n" + name + "\t");
    REQUIRE(row != std::string::npos);
    const auto cols = csv_fields(holds_tsv.substr(row + 1, holds_tsv.find('\n', row + 1) - row - 1), '\t');
    REQUIRE(cols.size() == 5);
    CHECK(cols[2] == std::to_string(holds));
    CHECK(cols[3] == std::to_string(claim.cells));
    const std::string line_printed = name + ": claim";
    const std::string count = "holds in " + std::to_string(holds) + " of " + std::to_string(claim.cells) + " cells";
    const std::string map = slurp(dir / "map.txt");
    const size_t at = map.find(line_printed);
    REQUIRE(at != std::string::npos);
    CHECK(map.substr(at, map.find('\n', at) - at).find(count) != std::string::npos);
  }
}
