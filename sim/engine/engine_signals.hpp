// Engine signals: what the engine announces as it runs requests, for
// observers that keep their own books (the timeline's spans, the radios'
// energy), as SimGrid's s4u signals are for its energy plugins. The engine
// emits them and knows nothing of who listens; a signal nobody subscribed
// to costs a test of an empty list.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

namespace simgrid::s4u {
class Host;
}

namespace msao {

struct RequestRecord;

// A list of subscribers to one kind of event, called in subscription order.
template <class Event>
class Signal {
 public:
  void connect(std::function<void(Event&)> slot) { slots_.push_back(std::move(slot)); }
  void operator()(Event& e) const {
    for (const auto& s : slots_) s(e);
  }

 private:
  std::vector<std::function<void(Event&)>> slots_;
};

// Where an activity ran: on a device, or on an edge's link in one direction,
// or as one interaction of a token-level session.
enum class ActivityPlace : uint8_t { Device, Uplink, Downlink, Collab };

// An activity ended: `host`'s work (edge execs, a GPU's service of one
// job), a transfer on `host`'s link, or a token session's interaction.
struct ActivityEvent {
  ActivityPlace place;
  simgrid::s4u::Host* host;
  const char* label;
  uint64_t request;
  double t0, t1;
};

// A transfer of one request on its edge's access link. At its start
// `data_start` is the time it asks for the link; a subscriber may put it
// later (a radio promoting first), and the data waits until then. At its
// end `moved` is what moved before it ended, done, cancelled or failed.
struct TransferEvent {
  int edge;
  RequestRecord& rec;
  bool up;
  double data_start;
  double t_end = 0;
  double moved = 0;
};

struct EngineSignals {
  Signal<const ActivityEvent> activity_end;
  Signal<TransferEvent> transfer_start;
  Signal<const TransferEvent> transfer_end;
};

}  // namespace msao
