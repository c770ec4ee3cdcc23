#include "sim/engine/timeline.hpp"

#include <algorithm>
#include <cstdio>
#include <queue>
#include <sstream>

#include <simgrid/s4u/Host.hpp>

#include "sim/util/atomic_file.hpp"

namespace msao {

void Timeline::connect(EngineSignals& signals) {
  signals.activity_end.connect([this](const ActivityEvent& a) {
    static constexpr const char* kSuffix[] = {"", "-up", "-down", "-collab"};  // by ActivityPlace
    span(a.host->get_name() + kSuffix[static_cast<int>(a.place)], a.label, a.request, a.t0, a.t1);
  });
}

void Timeline::span(const std::string& track, const char* name, uint64_t request, double t0, double t1) {
  if (events_.size() >= max_) {
    ++dropped_;
    return;
  }
  auto it = tracks_.try_emplace(track, static_cast<int>(tracks_.size())).first;
  events_.push_back({it->second, name, request, t0, t1});
}

std::vector<int> Timeline::assign_lanes(std::vector<std::string>& lane_names) const {
  // Work that overlaps on one device or link (a batch's requests on a GPU,
  // transfers sharing a link) goes to separate lanes of its track, so that
  // slices on one lane never overlap: viewers draw X events of one thread
  // as a stack and mis-draw partial overlaps. Each track's spans, by start,
  // take the lane that freed earliest, or a new one.
  std::vector<std::string> track_names(tracks_.size());
  for (const auto& [name, id] : tracks_) track_names[id] = name;
  std::vector<size_t> order(events_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Event &x = events_[a], &y = events_[b];
    return x.track != y.track ? x.track < y.track : x.t0 < y.t0;
  });
  std::vector<int> lane(events_.size());
  using Free = std::pair<double, int>;  // (end of its last span, lane id)
  std::priority_queue<Free, std::vector<Free>, std::greater<>> free;
  int track = -1, lanes_here = 0;
  for (size_t i : order) {
    const Event& e = events_[i];
    if (e.track != track) {
      track = e.track;
      lanes_here = 0;
      free = {};
    }
    int id;
    if (!free.empty() && free.top().first <= e.t0) {
      id = free.top().second;
      free.pop();
    } else {
      id = static_cast<int>(lane_names.size());
      lane_names.push_back(lanes_here == 0 ? track_names[track]
                                           : track_names[track] + " #" + std::to_string(lanes_here + 1));
      ++lanes_here;
    }
    lane[i] = id;
    free.push({std::max(e.t0, e.t1), id});
  }
  return lane;
}

void Timeline::write(const std::string& path) const {
  std::vector<std::string> lane_names;
  const std::vector<int> lane = assign_lanes(lane_names);
  std::ostringstream os;
  os << "{\"displayTimeUnit\":\"ms\",\"otherData\":{\"dropped_events\":" << dropped_ << "},\"traceEvents\":[\n";
  bool first = true;
  auto sep = [&] {
    if (!first) os << ",\n";
    first = false;
  };
  // Lanes are numbered by track name, then lane, so the viewer lists a track's lanes together.
  std::vector<int> by_name(lane_names.size());
  for (size_t i = 0; i < by_name.size(); ++i) by_name[i] = static_cast<int>(i);
  std::sort(by_name.begin(), by_name.end(), [&](int a, int b) { return lane_names[a] < lane_names[b]; });
  std::vector<int> tid(lane_names.size());
  for (size_t k = 0; k < by_name.size(); ++k) tid[by_name[k]] = static_cast<int>(k) + 1;
  for (int id : by_name) {
    sep();
    os << "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":" << tid[id] << ",\"args\":{\"name\":\""
       << lane_names[id] << "\"}}";
  }
  char buf[256];
  for (size_t i = 0; i < events_.size(); ++i) {
    const Event& e = events_[i];
    sep();
    std::snprintf(buf, sizeof buf,
                  "{\"ph\":\"X\",\"name\":\"%s\",\"pid\":1,\"tid\":%d,\"ts\":%.3f,\"dur\":%.3f,\"args\":{\"request\":%llu}}",
                  e.name, tid[lane[i]], e.t0 * 1e6, (e.t1 - e.t0) * 1e6, static_cast<unsigned long long>(e.request));
    os << buf;
  }
  os << "\n]}\n";
  write_file_atomic(path, os.str());
}

}  // namespace msao
