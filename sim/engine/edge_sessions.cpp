#include "sim/engine/edge_sessions.hpp"

namespace msao {

EdgeSessions::Context EdgeSessions::find(uint64_t session) {
  auto it = entries_.find(session);
  if (it == entries_.end()) return {};
  order_.splice(order_.end(), order_, it->second.lru);
  return it->second.c;
}

void EdgeSessions::remember(uint64_t session, Context c) {
  if (session == 0 || c.tokens <= 0 || c.tokens > capacity_) return;
  auto it = entries_.find(session);
  if (it != entries_.end()) {
    held_ -= it->second.c.tokens;
    it->second.c = c;
    order_.splice(order_.end(), order_, it->second.lru);
  } else {
    order_.push_back(session);
    entries_.emplace(session, Entry{c, std::prev(order_.end())});
  }
  held_ += c.tokens;
  while (held_ > capacity_ && !order_.empty()) {
    const uint64_t old = order_.front();
    order_.pop_front();
    held_ -= entries_.at(old).c.tokens;
    entries_.erase(old);
  }
}

}  // namespace msao
