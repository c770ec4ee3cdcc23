#include "sim/metrics/request_columns.hpp"

#include "sim/metrics/csv_number.hpp"

namespace msao {

namespace {

// Numbers as the CSV number rules say (csv_number.hpp), without the comma.
using csv::number;

// Cells of one member, by kind: seconds to the nanosecond, other
// quantities to 9 significant digits, integers, text, named enums, flags.
template <double RequestRecord::*F>
void seconds(std::string& s, const RequestRecord& r) {
  number(s, r.*F, std::chars_format::fixed);
}
template <double RequestRecord::*F>
void general(std::string& s, const RequestRecord& r) {
  number(s, r.*F, std::chars_format::general);
}
template <typename T, T RequestRecord::*F>
void integer(std::string& s, const RequestRecord& r) {
  s += std::to_string(r.*F);
}
template <std::string RequestRecord::*F>
void text(std::string& s, const RequestRecord& r) {
  s += r.*F;
}
template <typename E, E RequestRecord::*F>
void named(std::string& s, const RequestRecord& r) {
  s += name(r.*F);
}
template <bool RequestRecord::*F>
void flag(std::string& s, const RequestRecord& r) {
  s += r.*F ? '1' : '0';
}
// Derived times exist only for completed requests.
template <double (RequestRecord::*F)() const>
void completed_seconds(std::string& s, const RequestRecord& r) {
  number(s, r.status == RequestStatus::Completed ? (r.*F)() : RequestRecord::kNone, std::chars_format::fixed);
}

using R = RequestRecord;

const RequestColumn kColumns[] = {
    {"id", integer<uint64_t, &R::id>},
    {"edge", integer<int, &R::edge>},
    {"dataset", text<&R::dataset>},
    {"category", text<&R::category>},
    {"prompt_tokens", integer<int, &R::prompt_tokens>},
    {"output_tokens", integer<int, &R::output_tokens>},
    {"decision", text<&R::decision>},
    {"mode", text<&R::mode>},
    {"arrival_s", seconds<&R::arrival>},
    {"edge_start_s", seconds<&R::edge_start>},
    {"edge_pre_end_s", seconds<&R::edge_pre_end>},
    {"edge_answer_end_s", seconds<&R::edge_answer_end>},
    {"upload_start_s", seconds<&R::upload_start>},
    {"upload_end_s", seconds<&R::upload_end>},
    {"cloud_enqueue_s", seconds<&R::cloud_enqueue>},
    {"cloud_start_s", seconds<&R::cloud_start>},
    {"cloud_first_token_s", seconds<&R::cloud_first_token>},
    {"cloud_end_s", seconds<&R::cloud_end>},
    {"reply_end_s", seconds<&R::reply_end>},
    {"first_token_s", seconds<&R::first_token>},
    {"done_s", seconds<&R::done>},
    {"ttft_s", completed_seconds<&R::ttft>},
    {"tpot_s", completed_seconds<&R::tpot>},
    {"latency_s", completed_seconds<&R::latency>},
    {"answered_by", named<AnsweredBy, &R::answered_by>},
    {"spec_outcome", named<SpecOutcome, &R::spec_outcome>},
    {"uplink_bytes", general<&R::uplink_bytes>},
    {"downlink_bytes", general<&R::downlink_bytes>},
    {"edge_busy_s", seconds<&R::edge_busy_s>},
    {"cloud_busy_s", seconds<&R::cloud_busy_s>},
    {"edge_flops", general<&R::edge_flops>},
    {"cloud_flops", general<&R::cloud_flops>},
    {"energy_j", general<&R::energy_j>},
    {"radio_energy_j", general<&R::radio_energy_j>},
    {"correct", flag<&R::correct>},
    {"status", [](std::string& s, const R& r) { s += status_name(r.status); }},
    {"reason", named<Cause, &R::reason>},
    {"rounds", integer<int, &R::rounds>},
    {"draft_tokens", integer<int, &R::draft_tokens>},
    {"verified_tokens", integer<int, &R::verified_tokens>},
    {"accepted_tokens", integer<int, &R::accepted_tokens>},
    {"corrected_tokens", integer<int, &R::corrected_tokens>},
    {"cloud_tokens", integer<int, &R::cloud_tokens>},
    {"edge_only_tokens", integer<int, &R::edge_only_tokens>},
    {"handoff_step", [](std::string& s, const R& r) { if (r.handoff_step >= 0) s += std::to_string(r.handoff_step); }},
    {"handoff_bytes", general<&R::handoff_bytes>},
    {"retries", integer<int, &R::retries>},
    {"timeouts", integer<int, &R::timeouts>},
    {"failure", named<Cause, &R::failure>},
    {"lost_on_failure", flag<&R::lost_on_failure>},
    {"session", [](std::string& s, const R& r) { if (r.session != 0) s += std::to_string(r.session); }},
    {"turn", [](std::string& s, const R& r) { if (r.turn != 0) s += std::to_string(r.turn); }},
    {"cached_tokens", integer<int, &R::cached_tokens>},
    {"encoder_hit", flag<&R::encoder_hit>},
    {"edge_cached_tokens", integer<int, &R::edge_cached_tokens>},
};

}  // namespace

std::span<const RequestColumn> request_columns() { return kColumns; }

}  // namespace msao
