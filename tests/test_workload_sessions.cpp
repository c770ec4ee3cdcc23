// Conversations and shared prompts laid over a workload: turns of one
// session share their media, edge and identity and resend their history;
// shared prefixes are dealt to sessions in turn; the trace carries all of
// it and rejects inconsistent rows; closed-loop users run a session's turns
// one after another.
#include <doctest/doctest.h>

#include <sstream>

#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"
#include "workloads/mas_trace.hpp"
#include "workloads/workload_config.hpp"

using namespace msao;
using namespace msao::test;

namespace {

WorkloadConfig parse(const std::string& yaml) {
  YamlSection s(YAML::Load(yaml), "scenario.yaml", "workload");
  return parse_workload(s);
}

}  // namespace

TEST_CASE("a session's turns share their media and edge and resend every earlier turn") {
  const auto cfg = parse("{dataset: visual-chat, requests: 30, sessions: {turns: 10}, arrival: {type: closed, users_per_edge: 1, think_s: 1}}");
  const auto rs = materialize_workload(cfg, 5, 4);
  // The same requests without sessions: each turn's own text and answer.
  const auto plain = materialize_workload(parse("{dataset: visual-chat, requests: 30, arrival: {type: closed, users_per_edge: 1, think_s: 1}}"), 5, 4);
  REQUIRE(rs.size() == 30);
  for (size_t i = 0; i < rs.size(); ++i) {
    const Request& r = rs[i];
    const Request& first = rs[i / 10 * 10];
    CHECK(r.session == i / 10 + 1);
    CHECK(r.turn == static_cast<int>(i % 10) + 1);
    CHECK(r.media_id == r.session);
    CHECK(r.edge == first.edge);
    const auto& img = r.input(Modality::Image);
    CHECK(img.width == first.input(Modality::Image).width);
    CHECK(img.bytes == first.input(Modality::Image).bytes);
    // How much of the image this question needs stays its own.
    CHECK(img.mas.spatial == plain[i].input(Modality::Image).mas.spatial);
    int history = 0;
    for (size_t k = i / 10 * 10; k < i; ++k) history += plain[k].prompt_tokens + plain[k].output_tokens;
    CHECK(r.history_tokens == history);
    CHECK(r.prompt_tokens == plain[i].prompt_tokens + history);
    CHECK(r.output_tokens == plain[i].output_tokens);
  }
}

TEST_CASE("shared prefixes are dealt to sessions in turn and counted in the prompt") {
  const auto cfg = parse(
      "{dataset: vqav2, requests: 12, sessions: {turns: 2}, shared_prefix: {tokens: 300, groups: 3}, "
      "arrival: {type: closed, users_per_edge: 1, think_s: 1}}");
  const auto rs = materialize_workload(cfg, 1, 1);
  for (size_t i = 0; i < rs.size(); ++i) {
    CHECK(rs[i].prefix_group == (i / 2) % 3 + 1);
    CHECK(rs[i].prefix_tokens == 300);
  }
  // Without sessions, every request is its own group member.
  const auto solo = materialize_workload(
      parse("{dataset: vqav2, requests: 4, shared_prefix: {tokens: 50}, arrival: {type: poisson, rate_rps: 1}}"), 1, 1);
  for (const auto& r : solo) {
    CHECK(r.session == 0);
    CHECK(r.prefix_group == 1);
    CHECK(r.prefix_tokens == 50);
  }
}

TEST_CASE("sessions need users who wait for answers, or a replayed trace") {
  const std::string err = input_error_of(
      [] { parse("{dataset: vqav2, requests: 10, sessions: {turns: 3}, arrival: {type: poisson, rate_rps: 1}}"); });
  CHECK(err.find("sessions") != std::string::npos);
  CHECK(err.find("arrival type closed") != std::string::npos);
  CHECK(input_error_of([] { parse("{dataset: vqav2, requests: 10, sessions: {turns: 0}, arrival: {type: closed, users_per_edge: 1, think_s: 1}}"); })
            .find("turns") != std::string::npos);
}

TEST_CASE("the trace carries the conversation columns, and older traces still read") {
  const auto rs = materialize_workload(
      parse("{dataset: visual-chat, requests: 8, sessions: {turns: 4}, shared_prefix: {tokens: 64}, arrival: {type: closed, users_per_edge: 1, think_s: 1}}"),
      2, 1);
  const std::string path = scratch_path("sessions.csv");
  write_mas_trace(path, rs);
  const std::string text = slurp(path);
  CHECK(text.find(",session,turn,history_tokens,prefix_group,prefix_tokens,media_id\n") != std::string::npos);
  const auto back = read_mas_trace(path);
  REQUIRE(back.size() == rs.size());
  for (size_t i = 0; i < rs.size(); ++i) {
    CHECK(back[i].session == rs[i].session);
    CHECK(back[i].turn == rs[i].turn);
    CHECK(back[i].history_tokens == rs[i].history_tokens);
    CHECK(back[i].prefix_group == rs[i].prefix_group);
    CHECK(back[i].prefix_tokens == rs[i].prefix_tokens);
    CHECK(back[i].media_id == rs[i].media_id);
    CHECK(mas_trace_row(back[i], true) == mas_trace_row(rs[i], true));
  }
  // Requests on their own write the columns they always had.
  const auto solo = materialize_workload(parse("{dataset: vqav2, requests: 3, arrival: {type: closed, users_per_edge: 1, think_s: 1}}"), 2, 1);
  write_mas_trace(path, solo);
  CHECK(slurp(path).find("session") == std::string::npos);
}

TEST_CASE("an inconsistent conversation row is bad input naming its column") {
  const auto rs = materialize_workload(
      parse("{dataset: vqav2, requests: 2, sessions: {turns: 2}, arrival: {type: closed, users_per_edge: 1, think_s: 1}}"), 2, 1);
  const std::string path = scratch_path("bad-sessions.csv");
  const std::string head = std::string(kMasTraceVersionLine) + "\n" + mas_trace_header(MasTraceLayout::WithSessions) + "\n";
  Request turnless = rs[1];
  turnless.turn = 0;  // a session named, no turn
  spit(path, head + mas_trace_row(rs[0], true) + "\n" + mas_trace_row(turnless, true) + "\n");
  std::string err = input_error_of([&] { read_mas_trace(path); });
  CHECK(err.find(":4:") != std::string::npos);
  CHECK(err.find("(turn)") != std::string::npos);
  Request long_history = rs[1];
  long_history.history_tokens = long_history.prompt_tokens + 1;
  spit(path, head + mas_trace_row(long_history, true) + "\n");
  err = input_error_of([&] { read_mas_trace(path); });
  CHECK(err.find("(history_tokens)") != std::string::npos);
}

TEST_CASE("closed-loop users run a session's turns one after another") {
  const std::string scenario = scratch_path("turns.yaml");
  spit(scenario,
       "platform:\n"
       "  edges: [{name: e, count: 2, hardware: rtx3090, uplink: {bandwidth: 50Mbps, rtt: 30ms}}]\n"
       "  cloud: {hardware: a100-40gb, gpus: 1}\n"
       "model: {edge: qwen2-vl-2b, cloud: qwen2.5-vl-7b}\n"
       "workload:\n"
       "  dataset: visual-chat\n"
       "  requests: 60\n"
       "  sessions: {turns: 5}\n"
       "  arrival: {type: closed, users_per_edge: 3, think_s: 1}\n"
       "policy: {type: msao}\n"
       "run: {seed: 4}\n");
  const std::string out = scratch_path("turns-out");
  const auto r = run_msao("run " + scenario + " --quiet --out " + out);
  REQUIRE_MESSAGE(r.status == 0, r.out);
  // requests.csv: id, ..., arrival_s and done_s, session and turn.
  std::istringstream csv(slurp(out + "/requests.csv"));
  std::string line;
  std::getline(csv, line);
  std::vector<std::string> header;
  for (std::stringstream h(line); std::getline(h, line, ',');) header.push_back(line);
  const auto col = [&](const char* name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const size_t arrival = col("arrival_s"), done = col("done_s"), session = col("session"), turn = col("turn"),
               edge = col("edge");
  REQUIRE(turn < header.size());
  std::vector<std::vector<std::string>> rows;
  while (std::getline(csv, line)) {
    std::vector<std::string> f;
    for (std::stringstream l(line); std::getline(l, line, ',');) f.push_back(line);
    f.resize(header.size());
    rows.push_back(f);
  }
  REQUIRE(rows.size() == 60);
  for (size_t i = 1; i < rows.size(); ++i) {
    if (rows[i][session] != rows[i - 1][session]) continue;
    CHECK(std::stoi(rows[i][turn]) == std::stoi(rows[i - 1][turn]) + 1);
    CHECK(rows[i][edge] == rows[i - 1][edge]);
    // The next turn is asked after the answer to the last one.
    CHECK(std::stod(rows[i][arrival]) >= std::stod(rows[i - 1][done]));
  }
}

TEST_CASE("a device keeps a conversation's KV between turns and prefills only what is new") {
  const auto run_edge_only = [](bool keep) {
    const std::string scenario = scratch_path(std::string("edge-turns-") + (keep ? "keep" : "drop") + ".yaml");
    spit(scenario,
         std::string("platform:\n"
                     "  edges: [{name: e, count: 1, hardware: jetson-agx-orin-64gb, uplink: {bandwidth: 50Mbps, rtt: 30ms}, "
                     "keep_context: ") +
             (keep ? "true" : "false") +
             "}]\n"
             "  cloud: {hardware: a100-40gb, gpus: 1}\n"
             "model: {edge: qwen2-vl-2b, cloud: qwen2.5-vl-7b}\n"
             "workload: {dataset: visual-chat, requests: 20, sessions: {turns: 10}, "
             "arrival: {type: closed, users_per_edge: 1, think_s: 1}}\n"
             "policy: {type: edge-only}\n"
             "run: {seed: 9}\n");
    const std::string out = scratch_path(std::string("edge-turns-out-") + (keep ? "keep" : "drop"));
    const auto r = run_msao("run " + scenario + " --quiet --out " + out);
    REQUIRE_MESSAGE(r.status == 0, r.out);
    return slurp(out + "/requests.csv");
  };
  struct Row {
    int prompt, output, held;
    double latency;
  };
  const auto rows_of = [](const std::string& text) {
    std::istringstream csv(text);
    std::string line;
    std::getline(csv, line);
    std::vector<std::string> header;
    for (std::stringstream h(line); std::getline(h, line, ',');) header.push_back(line);
    const auto col = [&](const char* n) { return std::find(header.begin(), header.end(), n) - header.begin(); };
    std::vector<Row> rows;
    while (std::getline(csv, line)) {
      std::vector<std::string> f;
      for (std::stringstream l(line); std::getline(l, line, ',');) f.push_back(line);
      f.resize(header.size());
      rows.push_back({std::stoi(f[col("prompt_tokens")]), std::stoi(f[col("output_tokens")]),
                      std::stoi(f[col("edge_cached_tokens")]), std::stod(f[col("latency_s")])});
    }
    return rows;
  };
  const auto kept = rows_of(run_edge_only(true)), dropped = rows_of(run_edge_only(false));
  REQUIRE(kept.size() == 20);
  double kept_s = 0, dropped_s = 0;
  for (size_t i = 0; i < kept.size(); ++i) {
    kept_s += kept[i].latency;
    dropped_s += dropped[i].latency;
    CHECK(dropped[i].held == 0);
    if (i % 10 == 0) {
      CHECK(kept[i].held == 0);  // a conversation's first turn
      continue;
    }
    // The device holds the last turn's whole prompt (image included) and its
    // own answer but the last token: every turn adds exactly the last
    // turn's new text and answer to it.
    CHECK(kept[i].held > kept[i - 1].prompt + kept[i - 1].output);  // its text, answer and the image
    if (i % 10 >= 2)
      CHECK(kept[i].held - kept[i - 1].held ==
            (kept[i - 1].prompt + kept[i - 1].output) - (kept[i - 2].prompt + kept[i - 2].output));
  }
  CHECK(kept_s < dropped_s);
}
