#include "sim/engine/timeline.hpp"

#include <cstdio>
#include <sstream>

#include "sim/metrics/atomic_file.hpp"

namespace msao {

void Timeline::span(const std::string& track, const char* name, uint64_t request, double t0, double t1) {
  if (events_.size() >= max_) {
    ++dropped_;
    return;
  }
  auto it = tracks_.try_emplace(track, static_cast<int>(tracks_.size()) + 1).first;
  events_.push_back({it->second, name, request, t0, t1});
}

void Timeline::write(const std::string& path) const {
  std::ostringstream os;
  os << "{\"displayTimeUnit\":\"ms\",\"otherData\":{\"dropped_events\":" << dropped_ << "},\"traceEvents\":[\n";
  bool first = true;
  auto sep = [&] {
    if (!first) os << ",\n";
    first = false;
  };
  for (const auto& [name, id] : tracks_) {
    sep();
    os << "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":" << id << ",\"args\":{\"name\":\"" << name << "\"}}";
  }
  char buf[256];
  for (const auto& e : events_) {
    sep();
    std::snprintf(buf, sizeof buf,
                  "{\"ph\":\"X\",\"name\":\"%s\",\"pid\":1,\"tid\":%d,\"ts\":%.3f,\"dur\":%.3f,\"args\":{\"request\":%llu}}",
                  e.name, e.track, e.t0 * 1e6, (e.t1 - e.t0) * 1e6, static_cast<unsigned long long>(e.request));
    os << buf;
  }
  os << "\n]}\n";
  write_file_atomic(path, os.str());
}

}  // namespace msao
