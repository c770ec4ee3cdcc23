#include "sim/engine/record_order.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <stdexcept>
#include <string>

#include "sim/engine/spill_codec.hpp"

namespace msao {

namespace {

// Bytes a run reads from the file at once: its head, and the records after it.
constexpr size_t kReadChunk = 64 << 10;
}  // namespace

// One sorted run in the file: [pos, end) still unread, `buf` the bytes read
// ahead of pos, `head` its smallest record not yet taken.
struct RecordOrder::Run {
  long long pos = 0, end = 0;
  std::string buf;
  size_t used = 0;  // bytes of buf already decoded
  size_t head_idx = 0;
  RequestRecord head;
  size_t left = 0;  // records not yet taken, head included

  // Decodes the next record into head (reading more of the file as needed).
  void advance(SpillFile& file) {
    while (true) {
      const char* p = buf.data() + used;
      uint64_t idx = 0;
      if (buf.size() - used >= sizeof idx) {
        std::memcpy(&idx, p, sizeof idx);
        if (const char* after = decode_record(p + sizeof idx, buf.data() + buf.size(), head)) {
          head_idx = idx;
          used = after - buf.data();
          return;
        }
      }
      // The record runs past the bytes read so far: read on.
      buf.erase(0, used);
      used = 0;
      const size_t n = static_cast<size_t>(std::min<long long>(kReadChunk, end - pos));
      if (n == 0) throw std::runtime_error("records waiting for their turn: the temporary file ends inside a run");
      const size_t old = buf.size();
      buf.resize(old + n);
      file.read_at(pos, buf.data() + old, n);
      file.release(pos, n);
      pos += static_cast<long long>(n);
    }
  }
};

RecordOrder::RecordOrder(Emit emit, size_t memory_limit)
    : emit_(std::move(emit)), memory_limit_(std::max<size_t>(memory_limit, 1)) {}

RecordOrder::~RecordOrder() = default;

void RecordOrder::put(size_t idx, RequestRecord&& rec) {
  if (idx == next_) {
    emit_(rec);
    ++next_;
    leave_ready();
    return;
  }
  uint32_t at = 0;
  if (free_.empty()) {
    at = static_cast<uint32_t>(store_.size());
    store_.push_back(std::move(rec));
  } else {
    at = free_.back();
    free_.pop_back();
    store_[at] = std::move(rec);
  }
  heap_.push_back({idx, at});
  std::push_heap(heap_.begin(), heap_.end(), after);
  peak_in_memory_ = std::max(peak_in_memory_, heap_.size());
  peak_waiting_ = std::max(peak_waiting_, waiting());
  if (heap_.size() >= memory_limit_) spill();
}

void RecordOrder::drain() {
  for (size_t idx; smallest(idx);) {
    next_ = idx;
    emit_(take(idx));
    ++next_;
  }
}

bool RecordOrder::smallest(size_t& idx) const {
  bool any = false;
  if (!heap_.empty()) idx = heap_.front().idx, any = true;
  for (const auto& r : runs_)
    if (!any || r->head_idx < idx) idx = r->head_idx, any = true;
  return any;
}

RequestRecord RecordOrder::take(size_t idx) {
  if (!heap_.empty() && heap_.front().idx == idx) {
    std::pop_heap(heap_.begin(), heap_.end(), after);
    const uint32_t at = heap_.back().at;
    heap_.pop_back();
    free_.push_back(at);
    return std::move(store_[at]);
  }
  for (size_t i = 0; i < runs_.size(); ++i) {
    Run& r = *runs_[i];
    if (r.head_idx != idx) continue;
    RequestRecord rec = std::move(r.head);
    --spilled_;
    if (--r.left > 0) {
      r.advance(file_);
    } else {
      runs_.erase(runs_.begin() + static_cast<std::ptrdiff_t>(i));
    }
    return rec;
  }
  throw std::logic_error("RecordOrder: no record waits with index " + std::to_string(idx));
}

void RecordOrder::leave_ready() {
  for (size_t idx; smallest(idx) && idx == next_; ++next_) emit_(take(idx));
}

// Every record waiting in memory goes to the file as one run, in index order.
void RecordOrder::spill() {
  std::sort(heap_.begin(), heap_.end(), [](const Waiting& a, const Waiting& b) { return a.idx < b.idx; });
  auto run = std::make_unique<Run>();
  run->pos = file_.size();
  std::string out;
  for (const Waiting& x : heap_) append(x.idx, store_[x.at], out);
  file_.append(out);
  run->end = file_.size();
  run->left = heap_.size();
  spilled_ += heap_.size();
  // (Their capacity stays: they fill up again.)
  heap_.clear();
  store_.clear();
  free_.clear();
  run->advance(file_);
  runs_.push_back(std::move(run));
  ++runs_written_;
  if (runs_.size() > kMaxRuns) merge_runs();
}

void RecordOrder::append(size_t idx, const RequestRecord& rec, std::string& out) {
  const uint64_t i = idx;
  out.append(reinterpret_cast<const char*>(&i), sizeof i);
  encode_record(rec, out);
  if (out.size() >= kWriteChunk) {
    file_.append(out);
    out.clear();
  }
}

// The smaller half of the runs (by records left) become one, a k-way merge
// written at the file's end, so that their read buffers stay few however
// many times records were spilled. Merging the smallest makes run sizes
// grow geometrically, so a record is rewritten O(log(spilled)) times, not
// once per merge.
void RecordOrder::merge_runs() {
  std::sort(runs_.begin(), runs_.end(), [](const auto& a, const auto& b) { return a->left < b->left; });
  const auto half = runs_.begin() + static_cast<std::ptrdiff_t>(runs_.size() / 2 + 1);
  std::vector<std::unique_ptr<Run>> old(std::make_move_iterator(runs_.begin()), std::make_move_iterator(half));
  runs_.erase(runs_.begin(), half);
  auto run = std::make_unique<Run>();
  run->pos = file_.size();
  std::string out;
  while (!old.empty()) {
    size_t m = 0;
    for (size_t i = 1; i < old.size(); ++i)
      if (old[i]->head_idx < old[m]->head_idx) m = i;
    Run& r = *old[m];
    append(r.head_idx, r.head, out);
    ++run->left;
    if (--r.left > 0) {
      r.advance(file_);
    } else {
      old.erase(old.begin() + static_cast<std::ptrdiff_t>(m));
    }
  }
  file_.append(out);
  run->end = file_.size();
  run->advance(file_);
  runs_.push_back(std::move(run));
}

}  // namespace msao
