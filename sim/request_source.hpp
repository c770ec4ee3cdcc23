// RequestSource: a workload's requests handed out one at a time, in arrival
// order, as simulated time reaches them, so that a run holds the requests in
// flight rather than the whole workload (workloads/workload_config.hpp opens
// one for a scenario; tests and traces can hand over a vector).
#pragma once
#include <cstddef>
#include <utility>
#include <vector>

#include "sim/request.hpp"

namespace msao {

class RequestSource {
 public:
  virtual ~RequestSource() = default;
  // Writes the next request into `out`; false when there are no more.
  virtual bool next(Request& out) = 0;
  // How many requests it hands out in all.
  virtual size_t size() const = 0;
};

// Requests already in memory, handed out in their order.
class VectorSource final : public RequestSource {
 public:
  explicit VectorSource(std::vector<Request> rs) : rs_(std::move(rs)) {}
  bool next(Request& out) override {
    if (pos_ >= rs_.size()) return false;
    out = std::move(rs_[pos_++]);
    return true;
  }
  size_t size() const override { return rs_.size(); }

 private:
  std::vector<Request> rs_;
  size_t pos_ = 0;
};

}  // namespace msao
