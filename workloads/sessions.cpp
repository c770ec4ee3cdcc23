#include "workloads/sessions.hpp"

namespace msao {

void SessionShaper::apply(Request& r) {
  const long long turns = shape_.turns;
  const long long session = index_ / turns;
  const int turn = static_cast<int>(index_ % turns) + 1;
  ++index_;
  // Its own text, before any prefix or history is added.
  const int own_prompt = r.prompt_tokens;
  if (shape_.turns > 1) {
    r.session = static_cast<uint64_t>(session) + 1;
    r.turn = turn;
    if (turn == 1) {
      first_ = r;
      history_ = 0;
      r.media_id = r.session;
    } else {
      // The same media item: what it is (size, bytes) is turn 1's; how much
      // of it this question needs (MAS) stays this turn's.
      for (int m = 0; m < kNumModalities; ++m) {
        const MasScore mas = r.inputs[m].mas;
        r.inputs[m] = first_.inputs[m];
        r.inputs[m].mas = mas;
      }
      r.edge = first_.edge;
      r.media_id = r.session;
      r.history_tokens = history_;
      r.prompt_tokens += history_;
    }
    history_ += own_prompt + r.output_tokens;
  }
  if (shape_.prefix_tokens > 0) {
    r.prefix_group = static_cast<uint64_t>(session % shape_.prefix_groups) + 1;
    r.prefix_tokens = shape_.prefix_tokens;
    r.prompt_tokens += shape_.prefix_tokens;
  }
}

}  // namespace msao
