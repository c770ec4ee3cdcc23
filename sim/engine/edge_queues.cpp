#include "sim/engine/edge_queues.hpp"

#include <cstring>
#include <stdexcept>

#include "sim/engine/spill_codec.hpp"

namespace msao {

namespace {

// A queue's storage is let go once it empties past this many requests (an
// edge that lagged far keeps no buffer of that size once caught up).
constexpr size_t kKeptCapacity = 16;
// Taken requests are cut from a queue's front once they are this many and
// at least half of it.
constexpr size_t kCutFront = 64;
// An entry in the file: the next entry's place (offset, length), the
// request's index, the request.
constexpr size_t kNextBytes = sizeof(long long) + sizeof(uint32_t);

}  // namespace

void EdgeQueues::push(int edge, IndexedRequest&& r) {
  Queue& q = queues_[edge];
  peak_ = std::max(peak_, ++size_);
  // An edge's requests in memory all come before its requests in the file.
  if (q.on_disk == 0 && in_memory_ < memory_limit_) {
    q.mem.push_back(std::move(r));
    peak_in_memory_ = std::max(peak_in_memory_, ++in_memory_);
    return;
  }
  const Place none;
  const uint64_t idx = r.idx;
  scratch_.clear();
  scratch_.append(reinterpret_cast<const char*>(&none.off), sizeof none.off);
  scratch_.append(reinterpret_cast<const char*>(&none.len), sizeof none.len);
  scratch_.append(reinterpret_cast<const char*>(&idx), sizeof idx);
  encode_request(r.req, scratch_);
  const Place at{file_.append(scratch_), static_cast<uint32_t>(scratch_.size())};
  if (q.on_disk == 0) {
    q.head = at;
  } else {
    file_.write_at(q.tail.off, &at.off, sizeof at.off);
    file_.write_at(q.tail.off + static_cast<long long>(sizeof at.off), &at.len, sizeof at.len);
  }
  q.tail = at;
  ++q.on_disk;
}

void EdgeQueues::load(Queue& q) {
  scratch_.resize(q.head.len);
  file_.read_at(q.head.off, scratch_.data(), q.head.len);
  file_.release(q.head.off, q.head.len);
  const char* p = scratch_.data();
  Place next;
  std::memcpy(&next.off, p, sizeof next.off);
  std::memcpy(&next.len, p + sizeof next.off, sizeof next.len);
  uint64_t idx = 0;
  std::memcpy(&idx, p + kNextBytes, sizeof idx);
  IndexedRequest r;
  r.idx = idx;
  if (!decode_request(p + kNextBytes + sizeof idx, p + scratch_.size(), r.req))
    throw std::runtime_error("a closed loop's requests read ahead: an entry of the temporary file is cut short");
  q.mem.push_back(std::move(r));
  peak_in_memory_ = std::max(peak_in_memory_, ++in_memory_);
  q.head = next;
  --q.on_disk;
}

const IndexedRequest& EdgeQueues::front(int edge) {
  Queue& q = queues_[edge];
  if (q.mem_head == q.mem.size()) load(q);
  return q.mem[q.mem_head];
}

IndexedRequest EdgeQueues::pop(int edge) {
  front(edge);
  Queue& q = queues_[edge];
  IndexedRequest r = std::move(q.mem[q.mem_head++]);
  --size_;
  --in_memory_;
  if (q.mem_head == q.mem.size()) {
    if (q.mem.capacity() > kKeptCapacity) {
      std::vector<IndexedRequest>().swap(q.mem);
    } else {
      q.mem.clear();
    }
    q.mem_head = 0;
  } else if (q.mem_head >= kCutFront && 2 * q.mem_head >= q.mem.size()) {
    q.mem.erase(q.mem.begin(), q.mem.begin() + static_cast<std::ptrdiff_t>(q.mem_head));
    q.mem_head = 0;
  }
  return r;
}

}  // namespace msao
