// The prefix and encoder caches on their own: lookups in whole blocks,
// chains behind their group, pins, least-recently-used eviction tail first,
// and every block counted once (tests/test_serving_prefix_cache.cpp runs
// them inside the engine).
#include <doctest/doctest.h>

#include "sim/engine/prefix_cache.hpp"

using namespace msao;

namespace {
PromptReuse group_only(uint64_t g, int tokens) {
  PromptReuse r;
  r.group = g;
  r.group_tokens = tokens;
  return r;
}
PromptReuse chained(uint64_t g, int tokens, uint64_t chain) {
  PromptReuse r = group_only(g, tokens);
  r.chain = chain;
  return r;
}
}  // namespace

TEST_CASE("a shared prefix is cached in whole blocks and found up to the prompt less one token") {
  PrefixCache c(16, 2.0);  // 16-token blocks, 2 bytes a token
  const PromptReuse sys = group_only(7, 100);
  CHECK(c.lookup(sys, 500) == 0);
  // The first request computed its whole 300-token prompt: only the shared
  // prefix's whole blocks (6 of 16 tokens = 96) are anyone else's.
  CHECK(c.insert(sys, 300) == 96 * 2.0);
  CHECK(c.blocks() == 6);
  CHECK(c.bytes() == 96 * 2.0);
  CHECK(c.lookup(sys, 500) == 96);
  CHECK(c.lookup(sys, 97) == 96);
  CHECK(c.lookup(sys, 96) == 80);  // the last prompt token is always computed
  CHECK(c.lookup(sys, 10) == 0);
  CHECK(c.lookup(group_only(8, 100), 500) == 0);
  // Inserting what is cached adds nothing (a second copy is freed by its request).
  CHECK(c.insert(sys, 300) == 0);
  CHECK(c.blocks() == 6);
}

TEST_CASE("a conversation's chain extends its group and needs the whole group cached") {
  PrefixCache c(16, 1.0);
  const PromptReuse turn = chained(1, 40, 99);  // group of 40 tokens: 32 cached (2 blocks)
  // Turn 1 ends with 300 tokens of context: the group's 32, the chain's [32, 288).
  CHECK(c.insert(turn, 300) == 288);
  CHECK(c.lookup(turn, 400) == 288);
  CHECK(c.lookup(turn, 289) == 288);
  CHECK(c.lookup(turn, 200) == 192);
  // Another conversation on the same system prompt shares the group only.
  CHECK(c.lookup(chained(1, 40, 100), 400) == 32);
  // Losing the group's last block cuts the chain off (its hashes chain from it).
  PrefixCache d(16, 1.0);
  CHECK(d.insert(chained(1, 40, 99), 300) == 288);
  // Evicting 16 bytes takes one block of the least recently used entry:
  // the chain (its group was used with it, last), its tail block.
  CHECK(d.evict(16) == 16);
  CHECK(d.blocks() == 17);
  CHECK(d.lookup(turn, 400) == 272);
}

TEST_CASE("pinned entries survive eviction; the least recently used goes first, its tail first") {
  PrefixCache c(16, 1.0);
  const PromptReuse a = group_only(1, 64), b = group_only(2, 64);
  CHECK(c.insert(a, 64) == 64);
  CHECK(c.insert(b, 64) == 64);
  // a used again: b is now the least recently used.
  PrefixCache::Pins pa = c.pin(a);
  c.unpin(a, pa);
  CHECK(c.evict(16) == 16);
  CHECK(c.lookup(b, 100) == 48);
  CHECK(c.lookup(a, 100) == 64);
  // Pinned, a cannot go: eviction stops at what is unpinned.
  pa = c.pin(a);
  CHECK(pa.group);
  CHECK(c.evictable_bytes() == 48);
  CHECK(c.evict(1000) == 48);
  CHECK(c.lookup(b, 100) == 0);
  CHECK(c.lookup(a, 100) == 64);
  CHECK(c.bytes() == 64);
  c.unpin(a, pa);
  CHECK(c.pins_consistent());
  CHECK(c.evict(1000) == 64);
  CHECK(c.blocks() == 0);
  // An unpin without its pin is a bookkeeping error the invariants see.
  PrefixCache::Pins fake{true, false};
  c.unpin(a, fake);
  CHECK_FALSE(c.pins_consistent());
}

TEST_CASE("a group is never evicted before its chains") {
  PrefixCache c(16, 1.0);
  const PromptReuse t1 = chained(1, 32, 11), t2 = chained(1, 32, 12);
  CHECK(c.insert(t1, 96) == 96);  // group 32 + chain 64
  CHECK(c.insert(t2, 64) == 32);  // its chain only
  // Both chains are older than their group (every use of a chain uses the
  // group after it), so they go first, whole, and the group stays.
  CHECK(c.evict(96) == 96);
  CHECK(c.lookup(group_only(1, 32), 100) == 32);
  CHECK(c.blocks() == 2);
}

TEST_CASE("clear drops every block and reports them freed") {
  PrefixCache c(16, 3.0);
  CHECK(c.insert(chained(5, 16, 6), 160) == 160 * 3.0);
  CHECK(c.clear() == 160 * 3.0);
  CHECK(c.bytes() == 0);
  CHECK(c.lookup(chained(5, 16, 6), 500) == 0);
}

TEST_CASE("the encoder cache keeps items within its token budget, the oldest unused going first") {
  EncoderCache e(100);
  e.insert(1, 40);
  e.insert(2, 40);
  CHECK(e.tokens() == 80);
  CHECK(e.use(1));      // 1 used again: 2 is the oldest
  e.insert(3, 40);      // needs room: 2 goes
  CHECK(e.contains(1));
  CHECK_FALSE(e.contains(2));
  CHECK(e.contains(3));
  CHECK(e.tokens() == 80);
  e.insert(4, 101);     // larger than the whole budget: never cached
  CHECK_FALSE(e.contains(4));
  CHECK_FALSE(e.use(4));
  e.clear();
  CHECK(e.tokens() == 0);
}
