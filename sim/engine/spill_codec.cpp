#include "sim/engine/spill_codec.hpp"

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace msao {

namespace {

template <typename R, typename T>
concept Either = std::is_same_v<std::remove_const_t<R>, T>;

// Every field of a record, once, in one order for writing and reading. A
// field added to RequestRecord changes its size and stops the build below
// until it is added here too (a record would otherwise come back from the
// file without it). The same for Request.
template <typename R, typename F>
  requires Either<R, RequestRecord>
void for_each_field(R& r, F&& f) {
  f(r.id), f(r.edge), f(r.dataset), f(r.category), f(r.decision), f(r.mode);
  f(r.prompt_tokens), f(r.output_tokens), f(r.session), f(r.turn), f(r.cached_tokens), f(r.encoder_hit);
  f(r.edge_cached_tokens), f(r.arrival), f(r.edge_start), f(r.edge_pre_end), f(r.edge_answer_end);
  f(r.upload_start), f(r.upload_end), f(r.cloud_enqueue), f(r.cloud_start), f(r.cloud_first_token);
  f(r.cloud_end), f(r.reply_end), f(r.first_token), f(r.done), f(r.answered_by), f(r.spec_outcome);
  f(r.rounds), f(r.verified_tokens), f(r.draft_tokens), f(r.accepted_tokens), f(r.corrected_tokens);
  f(r.cloud_tokens), f(r.edge_only_tokens), f(r.handoff_step), f(r.handoff_bytes), f(r.retries), f(r.timeouts);
  f(r.failure), f(r.lost_on_failure), f(r.uplink_bytes), f(r.downlink_bytes), f(r.edge_busy_s);
  f(r.cloud_busy_s), f(r.edge_flops), f(r.cloud_flops), f(r.energy_j), f(r.radio_energy_j), f(r.edge_mem);
  f(r.correct), f(r.status), f(r.reason);
}
static_assert(sizeof(RequestRecord) == 456 && sizeof(std::string) == 32,
              "RequestRecord changed: list its new fields in for_each_field, then update this size");

template <typename R, typename F>
  requires Either<R, Request>
void for_each_field(R& r, F&& f) {
  f(r.id), f(r.arrival_s), f(r.edge), f(r.dataset), f(r.category), f(r.inputs), f(r.prompt_tokens);
  f(r.output_tokens), f(r.edge_confidence), f(r.edge_correct_full), f(r.cloud_correct_full);
  f(r.edge_correct_pruned), f(r.cloud_correct_pruned), f(r.prune_u), f(r.draft_acceptance), f(r.token_seed);
  f(r.session), f(r.turn), f(r.history_tokens), f(r.prefix_group), f(r.prefix_tokens), f(r.media_id);
  f(r.edge_context_tokens), f(r.edge_context_visual);
}
static_assert(sizeof(Request) == 376, "Request changed: list its new fields in for_each_field, then update this size");

template <typename Whole>
void encode(const Whole& r, std::string& out) {
  for_each_field(r, [&out](const auto& x) {
    using T = std::decay_t<decltype(x)>;
    if constexpr (std::is_same_v<T, std::string>) {
      const auto n = static_cast<uint32_t>(x.size());
      out.append(reinterpret_cast<const char*>(&n), sizeof n);
      out.append(x);
    } else {
      static_assert(std::is_trivially_copyable_v<T>);
      out.append(reinterpret_cast<const char*>(&x), sizeof x);
    }
  });
}

template <typename Whole>
const char* decode(const char* p, const char* end, Whole& r) {
  for_each_field(r, [&p, end](auto& x) {
    using T = std::decay_t<decltype(x)>;
    if (!p) return;
    if constexpr (std::is_same_v<T, std::string>) {
      uint32_t n = 0;
      if (end - p < static_cast<std::ptrdiff_t>(sizeof n)) return void(p = nullptr);
      std::memcpy(&n, p, sizeof n);
      p += sizeof n;
      if (end - p < static_cast<std::ptrdiff_t>(n)) return void(p = nullptr);
      x.assign(p, n);
      p += n;
    } else {
      if (end - p < static_cast<std::ptrdiff_t>(sizeof x)) return void(p = nullptr);
      std::memcpy(&x, p, sizeof x);
      p += sizeof x;
    }
  });
  return p;
}

}  // namespace

void encode_record(const RequestRecord& x, std::string& out) { encode(x, out); }
void encode_request(const Request& x, std::string& out) { encode(x, out); }
const char* decode_record(const char* p, const char* end, RequestRecord& x) { return decode(p, end, x); }
const char* decode_request(const char* p, const char* end, Request& x) { return decode(p, end, x); }

}  // namespace msao
