#include "sim/engine/closed_loop.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/engine/request_lifecycle.hpp"
#include "sim/engine/world.hpp"

namespace sg4 = simgrid::s4u;

namespace msao {

namespace {

// Runs the user's next claimed turn, in a slot at the turn's index.
void run_turn(World& w, ClaimedTurns& mine) {
  IndexedRequest& t = mine.turns[mine.next++];
  RequestSlot& slot = w.slots->add_at(t.idx, std::move(t.req));
  run_request(w, slot.req, slot.rec);
  w.slots->finish(slot);
}

}  // namespace

std::string bad_edge_error(const Request& r, size_t edges) {
  return "request " + std::to_string(r.id) + " names edge " + std::to_string(r.edge) + " but the platform has " +
         std::to_string(edges);
}

bool EdgeCensus::next(Request& out) {
  if (!source_.next(out)) return false;
  if (out.edge >= 0 && static_cast<size_t>(out.edge) < seen_.size()) {
    seen_[out.edge] = true;
  } else if (error_.empty()) {
    error_ = bad_edge_error(out, seen_.size());
  }
  return true;
}

bool ClosedLoopFeed::fill(int edge) {
  while (queues_.empty(edge)) {
    Request r;
    if (ended_ || !source_.next(r)) return ended_ = true, false;
    if (r.edge < 0 || static_cast<size_t>(r.edge) >= queues_.edges()) {
      // Not thrown here: an exception cannot leave an actor cleanly.
      error_ = bad_edge_error(r, queues_.edges());
      return ended_ = true, false;
    }
    const int to = r.edge;
    queues_.push(to, {read_++, std::move(r)});
  }
  return true;
}

bool ClosedLoopFeed::take(int edge, IndexedRequest& out) {
  if (!fill(edge)) return false;
  out = queues_.pop(edge);
  return true;
}

bool ClosedLoopFeed::continues(int edge, uint64_t session) {
  return session != 0 && fill(edge) && queues_.front(edge).req.session == session;
}

void start_users(World& w, RequestSource& source, const std::vector<bool>& edges_with_requests) {
  const SimSetup& setup = *w.setup;
  w.closed = std::make_unique<ClosedLoop>(source, w.edges.size(), setup.held_in_memory);
  ClosedLoop& cl = *w.closed;
  // Sized once: each user refers to its own entry.
  cl.users.resize(static_cast<size_t>(std::count(edges_with_requests.begin(), edges_with_requests.end(), true)) *
                  setup.users_per_edge);
  size_t next_user = 0;
  for (size_t ei = 0; ei < w.edges.size(); ++ei) {
    if (!edges_with_requests[ei]) continue;
    for (int u = 0; u < setup.users_per_edge; ++u) {
      auto think = setup.make_think(static_cast<int>(ei), u);
      ClaimedTurns* mine = &cl.users[next_user++];
      const int edge = static_cast<int>(ei);
      sg4::Actor::create("user", w.edges[ei].host, [&w, mine, edge, think] {
        ClosedLoopFeed& feed = w.closed->feed;
        while (true) {
          sg4::this_actor::sleep_for(think());
          IndexedRequest first;
          if (!feed.take(edge, first)) return;
          // Its session's later turns are claimed with it.
          const uint64_t session = first.req.session;
          mine->turns.push_back(std::move(first));
          for (IndexedRequest t; feed.continues(edge, session);) {
            feed.take(edge, t);
            mine->turns.push_back(std::move(t));
          }
          mine->turns.shrink_to_fit();  // held for the session: 10,000 users' growth slack is tens of MB
          run_turn(w, *mine);
          while (mine->next < mine->turns.size()) {
            sg4::this_actor::sleep_for(think());
            run_turn(w, *mine);
          }
          std::vector<IndexedRequest>().swap(mine->turns);
          mine->next = 0;
        }
      });
    }
  }
}

void pass_unstarted(World& w) {
  RequestSlots& slots = *w.slots;
  ClosedLoop& cl = *w.closed;
  slots.flush_started();
  for (const ClaimedTurns& u : cl.users)
    for (size_t k = u.next; k < u.turns.size(); ++k) slots.pass(u.turns[k].idx, u.turns[k].req);
  cl.feed.for_each_queued([&slots](size_t idx, const Request& r) { slots.pass(idx, r); });
  // Every request read is in the order now: what was never read follows.
  slots.drain();
  cl.feed.for_each_unread([&slots](size_t idx, const Request& r) { slots.pass(idx, r); });
  slots.drain();
}

}  // namespace msao
