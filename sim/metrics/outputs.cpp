#include "sim/metrics/outputs.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "sim/metrics/atomic_file.hpp"
#include "sim/metrics/csv_number.hpp"

namespace msao {

namespace {
using csv::put;
void t(std::string& s, double v) { csv::seconds(s, v); }
void g(std::string& s, double v) { csv::general(s, v); }
}  // namespace

const char* requests_csv_header() {
  return "id,edge,dataset,category,prompt_tokens,output_tokens,decision,mode,arrival_s,edge_start_s,edge_pre_end_s,"
         "edge_answer_end_s,upload_start_s,upload_end_s,cloud_enqueue_s,cloud_start_s,cloud_first_token_s,cloud_end_s,"
         "reply_end_s,first_token_s,done_s,ttft_s,tpot_s,latency_s,answered_by,spec_outcome,uplink_bytes,downlink_bytes,"
         "edge_busy_s,cloud_busy_s,edge_flops,cloud_flops,energy_j,radio_energy_j,correct,status,reason,rounds,draft_tokens,"
         "verified_tokens,accepted_tokens,corrected_tokens,cloud_tokens,edge_only_tokens,handoff_step,handoff_bytes,retries,"
         "timeouts,failure,lost_on_failure\n";
}

void append_request_row(std::string& s, const RequestRecord& r) {
  s += std::to_string(r.id) + ',' + std::to_string(r.edge) + ',' + r.dataset + ',' + r.category + ',' +
       std::to_string(r.prompt_tokens) + ',' + std::to_string(r.output_tokens) + ',' + r.decision + ',' + r.mode + ',';
  for (double v : {r.arrival, r.edge_start, r.edge_pre_end, r.edge_answer_end, r.upload_start, r.upload_end,
                   r.cloud_enqueue, r.cloud_start, r.cloud_first_token, r.cloud_end, r.reply_end, r.first_token, r.done})
    t(s, v);
  const bool ok = r.status == RequestStatus::Completed;
  t(s, ok ? r.ttft() : RequestRecord::kNone);
  t(s, ok ? r.tpot() : RequestRecord::kNone);
  t(s, ok ? r.latency() : RequestRecord::kNone);
  s += r.answered_by + ',' + r.spec_outcome + ',';
  for (double v : {r.uplink_bytes, r.downlink_bytes}) g(s, v);
  for (double v : {r.edge_busy_s, r.cloud_busy_s}) t(s, v);
  for (double v : {r.edge_flops, r.cloud_flops, r.energy_j, r.radio_energy_j}) g(s, v);
  s += std::string(r.correct ? "1" : "0") + ',' + status_name(r.status) + ',' + r.reason + ',';
  for (int v : {r.rounds, r.draft_tokens, r.verified_tokens, r.accepted_tokens, r.corrected_tokens, r.cloud_tokens,
                r.edge_only_tokens})
    s += std::to_string(v) + ',';
  if (r.handoff_step >= 0) s += std::to_string(r.handoff_step);
  s += ',';
  put(s, r.handoff_bytes, std::chars_format::general);
  s += std::to_string(r.retries) + ',' + std::to_string(r.timeouts) + ',' + r.failure + ',' +
       (r.lost_on_failure ? "1" : "0") + '\n';
}

std::string requests_csv(const std::vector<RequestRecord>& records) {
  std::string s = requests_csv_header();
  s.reserve(records.size() * 300);
  for (const auto& r : records) append_request_row(s, r);
  return s;
}

const std::vector<std::string>& run_output_files() {
  static const std::vector<std::string> files{"requests.csv", "iterations.csv", "scenario.resolved.yaml", "summary.json"};
  return files;
}

void check_outputs(const std::string& dir) { check_output_dir(dir, run_output_files()); }


}  // namespace msao
