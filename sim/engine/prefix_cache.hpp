// PrefixCache: one replica's automatic prefix cache, as vLLM's automatic
// prefix caching (block hashes chained from the prompt's start; blocks of
// finished requests stay cached until their memory is needed) and SGLang's
// RadixAttention keep it: a request whose prompt starts with tokens whose KV
// some earlier request computed does not prefill them again.
//
// The cache holds whole KV blocks (block_tokens tokens each; vLLM's default
// block size is 16) of two kinds of content, a two-level tree:
//  - a shared prompt prefix (a system prompt; PromptReuse::group), from the
//    prompt's start;
//  - a conversation (PromptReuse::chain: a session and the visual tokens its
//    media became), everything after the shared prefix up to the end of the
//    last answer: the next turn resends that history, so it is a prefix of
//    the next turn's prompt. A chain is reachable only while its group's
//    blocks are all cached (the chain's hashes depend on them).
// A lookup returns the longest cached prefix in whole blocks, at most the
// prompt less one token (vLLM always computes the last prompt token, whose
// logits give the first output token).
//
// Memory: cached blocks sit in the replica's KV pool beside the running
// requests' own KV. Blocks a running request uses are pinned; unpinned ones
// are evicted least recently used first (a group is used whenever one of
// its chains is, so its chains go before it), the last block of an entry first (vLLM frees a request's blocks
// tail first). The owner (CloudServer) moves KV bytes between a request
// and the cache and counts every byte once: insert() returns the bytes the
// cache took over, evict() the bytes it freed.
#pragma once
#include <cstdint>
#include <set>
#include <unordered_map>
#include <utility>

#include "sim/engine/prompt_reuse.hpp"

namespace msao {

class PrefixCache {
 public:
  PrefixCache(int block_tokens, double bytes_per_token) : block_(block_tokens), bytes_per_token_(bytes_per_token) {}

  // The entries a running request uses, pinned while it runs.
  struct Pins {
    bool group = false, chain = false;
  };
  // Tokens of a prompt of `prompt_tokens` tokens already cached for `r`.
  int lookup(const PromptReuse& r, int prompt_tokens) const;
  // Pins the entries `r` reaches (so they survive until unpin) and marks
  // them used now.
  Pins pin(const PromptReuse& r);
  void unpin(const PromptReuse& r, Pins& p);
  // A request has computed the KV of its prompt's first `computed` tokens:
  // the whole blocks of them not cached yet join the cache. Returns the
  // bytes that moved from the request's own KV into the cache. Tokens past
  // the group are the chain's; a request with no chain adds its shared
  // prefix only (the rest of its prompt is its own).
  double insert(const PromptReuse& r, int computed);
  // Frees unpinned blocks, least recently used first, until at least
  // `bytes` are freed or none is left. Returns the bytes freed.
  double evict(double bytes);
  // Everything dropped (the replica's GPU failed). Returns the bytes freed.
  double clear();

  double bytes() const { return static_cast<double>(blocks_) * block_ * bytes_per_token_; }
  double evictable_bytes() const;
  int block_tokens() const { return block_; }
  long long blocks() const { return blocks_; }
  // Entries pinned by more unpins than pins: a bookkeeping error (checked by the invariants).
  bool pins_consistent() const { return pins_ok_; }

 private:
  struct Entry {
    int start = 0, end = 0;  // prompt positions held, [start, end), whole blocks
    int pins = 0;
    uint64_t used = 0;       // last use, a counter (deterministic)
    uint64_t parent = 0;     // a chain's group entry key (0: none)
    bool is_chain = false;
  };
  // Keys: groups and chains share one map, told apart by their low bit.
  static uint64_t group_key(uint64_t g) { return g << 1; }
  static uint64_t chain_key(uint64_t c) { return (c << 1) | 1; }
  int floor_block(int tokens) const { return tokens / block_ * block_; }
  // The eviction order of unpinned entries: least recently used first.
  using Order = std::pair<uint64_t, std::pair<int, uint64_t>>;
  static Order order_of(uint64_t key, const Entry& e) { return {e.used, {e.is_chain ? 0 : 1, key}}; }
  void touch(uint64_t key, Entry& e);
  void add_pin(uint64_t key, Entry& e);
  void drop_pin(uint64_t key, Entry& e);
  // Grows (or creates) an entry to end at `end`; returns blocks added.
  long long grow(uint64_t key, int start, int end, uint64_t parent, bool is_chain);

  int block_;
  double bytes_per_token_;
  std::unordered_map<uint64_t, Entry> entries_;
  std::set<Order> unpinned_;
  long long blocks_ = 0;
  uint64_t clock_ = 0;
  bool pins_ok_ = true;
};

// EncoderCache: encoder outputs kept per media item (vLLM's encoder cache:
// keyed by the item's hash, shared across requests, budget in encoder
// tokens, the oldest item no running request uses evicted first when a new
// one needs room). An item larger than the whole budget is never cached.
class EncoderCache {
 public:
  explicit EncoderCache(int budget_tokens) : budget_(budget_tokens) {}
  bool contains(uint64_t media) const { return items_.count(media) > 0; }
  // A hit marks the item used now.
  bool use(uint64_t media);
  // After encoding `media` into `tokens` tokens: kept if it fits.
  void insert(uint64_t media, int tokens);
  void clear();
  int tokens() const { return used_; }
  int budget() const { return budget_; }

 private:
  struct Item {
    int tokens = 0;
    uint64_t used = 0;
  };
  int budget_;
  int used_ = 0;
  uint64_t clock_ = 0;
  std::unordered_map<uint64_t, Item> items_;
  std::set<std::pair<uint64_t, uint64_t>> lru_;  // (used, media)
};

}  // namespace msao
