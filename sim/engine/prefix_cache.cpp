#include "sim/engine/prefix_cache.hpp"

#include <algorithm>

namespace msao {

int PrefixCache::lookup(const PromptReuse& r, int prompt_tokens) const {
  // At least the prompt's last token is computed.
  const int limit = floor_block(prompt_tokens - 1);
  if (limit <= 0) return 0;
  const int group_end = floor_block(r.group_tokens);
  int hit = 0;
  if (r.group != 0 && group_end > 0) {
    auto g = entries_.find(group_key(r.group));
    if (g == entries_.end()) return 0;
    hit = std::min(g->second.end, std::min(group_end, limit));
    if (g->second.end < group_end) return hit;  // the chain's hashes need the whole group
  }
  if (r.chain != 0) {
    auto c = entries_.find(chain_key(r.chain));
    if (c != entries_.end() && c->second.start == group_end) hit = std::max(hit, std::min(c->second.end, limit));
  }
  return hit;
}

void PrefixCache::touch(uint64_t key, Entry& e) {
  if (e.pins == 0) unpinned_.erase(order_of(key, e));
  e.used = ++clock_;
  if (e.pins == 0) unpinned_.insert(order_of(key, e));
}

void PrefixCache::add_pin(uint64_t key, Entry& e) {
  if (e.pins++ == 0) unpinned_.erase(order_of(key, e));
}

void PrefixCache::drop_pin(uint64_t key, Entry& e) {
  if (e.pins <= 0) {
    pins_ok_ = false;
    return;
  }
  if (--e.pins == 0) unpinned_.insert(order_of(key, e));
}

PrefixCache::Pins PrefixCache::pin(const PromptReuse& r) {
  Pins p;
  // The chain first, then its group: a use of a chain is a use of its
  // group too, so a group is never older than its chains and is evicted
  // after them.
  if (r.chain != 0) {
    auto c = entries_.find(chain_key(r.chain));
    if (c != entries_.end()) {
      touch(c->first, c->second);
      add_pin(c->first, c->second);
      p.chain = true;
    }
  }
  if (r.group != 0) {
    auto g = entries_.find(group_key(r.group));
    if (g != entries_.end()) {
      touch(g->first, g->second);
      add_pin(g->first, g->second);
      p.group = true;
    }
  }
  return p;
}

void PrefixCache::unpin(const PromptReuse& r, Pins& p) {
  if (p.chain) {
    auto c = entries_.find(chain_key(r.chain));
    if (c == entries_.end()) pins_ok_ = false;
    else drop_pin(c->first, c->second);
  }
  if (p.group) {
    auto g = entries_.find(group_key(r.group));
    if (g == entries_.end()) pins_ok_ = false;
    else drop_pin(g->first, g->second);
  }
  p = Pins{};
}

long long PrefixCache::grow(uint64_t key, int start, int end, uint64_t parent, bool is_chain) {
  if (end <= start) return 0;
  auto [it, fresh] = entries_.try_emplace(key);
  Entry& e = it->second;
  if (fresh) {
    e.start = e.end = start;
    e.parent = parent;
    e.is_chain = is_chain;
    e.used = ++clock_;
    unpinned_.insert(order_of(key, e));
  } else if (e.start != start) {
    return 0;  // laid out after another group length: not this prompt's content
  }
  if (end <= e.end) return 0;
  const long long added = (end - e.end) / block_;
  e.end = end;
  touch(key, e);
  return added;
}

double PrefixCache::insert(const PromptReuse& r, int computed) {
  const int group_end = floor_block(r.group_tokens);
  long long added = 0;
  if (r.group != 0 && group_end > 0) {
    added += grow(group_key(r.group), 0, floor_block(std::min(computed, group_end)), 0, false);
    // A chain needs its whole group cached (its blocks' hashes chain from it).
    auto g = entries_.find(group_key(r.group));
    if (g == entries_.end() || g->second.end < group_end) {
      blocks_ += added;
      return static_cast<double>(added) * block_ * bytes_per_token_;
    }
  }
  if (r.chain != 0) {
    added += grow(chain_key(r.chain), group_end, floor_block(computed), r.group != 0 ? group_key(r.group) : 0, true);
    // The group stays newer than its chain.
    if (r.group != 0 && group_end > 0) {
      auto g = entries_.find(group_key(r.group));
      touch(g->first, g->second);
    }
  }
  blocks_ += added;
  return static_cast<double>(added) * block_ * bytes_per_token_;
}

double PrefixCache::evict(double bytes) {
  long long freed = 0;
  const double block_bytes = block_ * bytes_per_token_;
  while (freed * block_bytes < bytes && !unpinned_.empty()) {
    const uint64_t key = unpinned_.begin()->second.second;
    Entry& e = entries_.at(key);
    // The tail blocks first, only as many as needed.
    const long long need = static_cast<long long>((bytes - freed * block_bytes + block_bytes - 1) / block_bytes);
    const long long held = (e.end - e.start) / block_;
    const long long take = std::max<long long>(1, std::min(need, held));
    e.end -= static_cast<int>(take * block_);
    freed += take;
    if (e.end <= e.start) {
      unpinned_.erase(unpinned_.begin());
      entries_.erase(key);
    }
  }
  blocks_ -= freed;
  return static_cast<double>(freed) * block_bytes;
}

double PrefixCache::clear() {
  const double freed = bytes();
  entries_.clear();
  unpinned_.clear();
  blocks_ = 0;
  return freed;
}

double PrefixCache::evictable_bytes() const {
  long long n = 0;
  for (const auto& o : unpinned_) {
    const Entry& e = entries_.at(o.second.second);
    n += (e.end - e.start) / block_;
  }
  return static_cast<double>(n) * block_ * bytes_per_token_;
}

bool EncoderCache::use(uint64_t media) {
  auto it = items_.find(media);
  if (it == items_.end()) return false;
  lru_.erase({it->second.used, media});
  it->second.used = ++clock_;
  lru_.insert({it->second.used, media});
  return true;
}

void EncoderCache::insert(uint64_t media, int tokens) {
  if (tokens <= 0 || tokens > budget_ || use(media)) return;
  while (used_ + tokens > budget_ && !lru_.empty()) {
    const uint64_t old = lru_.begin()->second;
    lru_.erase(lru_.begin());
    used_ -= items_.at(old).tokens;
    items_.erase(old);
  }
  items_[media] = {tokens, ++clock_};
  lru_.insert({clock_, media});
  used_ += tokens;
}

void EncoderCache::clear() {
  items_.clear();
  lru_.clear();
  used_ = 0;
}

}  // namespace msao
