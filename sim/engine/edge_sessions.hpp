// EdgeSessions: the conversations whose context an edge device's model
// still holds in its KV cache. When the edge model ran a turn's prompt
// (answering it, drafting for it or racing the cloud), its KV covers that
// prompt, and the answer too when the answer was the edge's own; the next
// turn resends all of it, so the edge prefills only what is new, if the
// media became the same visual tokens again (else the positions after the
// shared prefix hold other tokens). Sessions are dropped least recently
// used first when their tokens exceed the device's KV capacity.
#pragma once
#include <cstdint>
#include <list>
#include <unordered_map>

namespace msao {

class EdgeSessions {
 public:
  struct Context {
    int tokens = 0;   // prompt positions its KV holds, from the start
    int visual = -1;  // the visual tokens its media became
  };
  explicit EdgeSessions(long long capacity_tokens = 0) : capacity_(capacity_tokens) {}
  void set_capacity(long long tokens) { capacity_ = tokens; }
  // The session's context held here (tokens 0: none), marked used.
  Context find(uint64_t session);
  // The edge model has computed `tokens` positions of the session's prompt.
  void remember(uint64_t session, Context c);
  long long held_tokens() const { return held_; }

 private:
  struct Entry {
    Context c;
    std::list<uint64_t>::iterator lru;
  };
  long long capacity_;
  long long held_ = 0;
  std::unordered_map<uint64_t, Entry> entries_;
  std::list<uint64_t> order_;  // least recently used first
};

}  // namespace msao
