// Timeline: an optional Chrome trace (JSON "traceEvents", opened by Perfetto
// or chrome://tracing) with one track per device and link and one span per
// exec or transfer; work that overlaps on a track (a batch on a GPU,
// transfers sharing a link) is split over lanes of that track ("cloud-0",
// "cloud-0 #2", ...) so that no two slices of one lane overlap
// (docs/metrics.md, "Timeline"). Bounded: after max_events spans it stops recording and
// says so in the file's metadata, so a long run cannot fill the disk.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/engine/engine_signals.hpp"

namespace msao {

class Timeline {
 public:
  explicit Timeline(size_t max_events) : max_(max_events) {}
  void span(const std::string& track, const char* name, uint64_t request, double t0, double t1);
  // Records a span for every activity the engine announces: on the track of
  // its device ("edge-0", "cloud-1"), its link ("edge-0-up", "edge-0-down")
  // or its token session ("edge-0-collab").
  void connect(EngineSignals& signals);
  void write(const std::string& path) const;  // atomic (temp file + rename)
  size_t size() const { return events_.size(); }
  size_t dropped() const { return dropped_; }

 private:
  struct Event {
    int track;
    const char* name;
    uint64_t request;
    double t0, t1;
  };
  // Each event's lane (an index into lane_names, which it fills).
  std::vector<int> assign_lanes(std::vector<std::string>& lane_names) const;
  size_t max_;
  size_t dropped_ = 0;
  std::map<std::string, int> tracks_;
  std::vector<Event> events_;
};

}  // namespace msao
