// Conversations and shared prompts, laid over a workload's requests as they
// are made (workload.sessions, workload.shared_prefix; traces/README.md,
// "Sessions and shared prompts").
//  - A session of `turns` turns is that many consecutive requests about one
//    media item: turn 1's image (or clip) is every turn's (its size, bytes
//    and identity; each turn keeps its own question, answer and MAS, which
//    depend on the question), every turn runs on turn 1's edge, and turn k
//    resends the k-1 earlier questions and answers (history_tokens, part of
//    prompt_tokens), as a chat API client does.
//  - A shared prefix of `tokens` tokens (a system prompt) starts every
//    prompt; `groups` different ones are dealt to sessions in turn.
// Closed-loop users issue a session's turns one after another, thinking
// between them (sim/engine/simulation.cpp).
#pragma once
#include <cstdint>

#include "sim/request.hpp"

namespace msao {

struct SessionShape {
  int turns = 1;           // 1: every request on its own
  int prefix_tokens = 0;   // shared prefix length (0: none)
  int prefix_groups = 1;   // distinct shared prefixes
  bool active() const { return turns > 1 || prefix_tokens > 0; }
};

class SessionShaper {
 public:
  explicit SessionShaper(SessionShape shape) : shape_(shape) {}
  // Applies the shape to the next request of the workload, in order (its
  // id, edge and answer length already final).
  void apply(Request& r);

 private:
  SessionShape shape_;
  long long index_ = 0;  // requests shaped so far
  Request first_;        // the current session's turn 1
  int history_ = 0;      // tokens of the current session's earlier turns
};

}  // namespace msao
