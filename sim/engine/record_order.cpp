#include "sim/engine/record_order.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "sim/engine/record_codec.hpp"

namespace msao {

namespace {

// Bytes a run reads from the file at once: its head, and the records after it.
constexpr size_t kReadChunk = 64 << 10;
// Bytes gathered before one write while a run is written.
constexpr size_t kWriteChunk = 1 << 20;

[[noreturn]] void io_failed(const char* what) {
  throw std::runtime_error(std::string("records waiting for their turn: cannot ") + what +
                           " the temporary file: " + std::strerror(errno));
}

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
  void advance(int fd) {
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
      if (pread(fd, buf.data() + old, n, pos) != static_cast<ssize_t>(n)) io_failed("read");
      pos += static_cast<long long>(n);
    }
  }
};

RecordOrder::RecordOrder(Emit emit, size_t memory_limit)
    : emit_(std::move(emit)), memory_limit_(std::max<size_t>(memory_limit, 1)) {}

RecordOrder::~RecordOrder() {
  if (file_) std::fclose(file_);
}

void RecordOrder::put(size_t idx, RequestRecord&& rec) {
  if (idx == next_) {
    emit_(rec);
    ++next_;
    leave_ready();
    return;
  }
  in_memory_.push_back({idx, std::move(rec)});
  std::push_heap(in_memory_.begin(), in_memory_.end(), after);
  peak_in_memory_ = std::max(peak_in_memory_, in_memory_.size());
  peak_waiting_ = std::max(peak_waiting_, waiting());
  if (in_memory_.size() >= memory_limit_) spill();
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
  if (!in_memory_.empty()) idx = in_memory_.front().idx, any = true;
  for (const auto& r : runs_)
    if (!any || r->head_idx < idx) idx = r->head_idx, any = true;
  return any;
}

RequestRecord RecordOrder::take(size_t idx) {
  if (!in_memory_.empty() && in_memory_.front().idx == idx) {
    std::pop_heap(in_memory_.begin(), in_memory_.end(), after);
    RequestRecord rec = std::move(in_memory_.back().rec);
    in_memory_.pop_back();
    return rec;
  }
  for (size_t i = 0; i < runs_.size(); ++i) {
    Run& r = *runs_[i];
    if (r.head_idx != idx) continue;
    RequestRecord rec = std::move(r.head);
    --spilled_;
    if (--r.left > 0) {
      r.advance(fileno(file_));
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

void RecordOrder::write_at_end(int fd, std::string& bytes) {
  if (bytes.empty()) return;
  if (pwrite(fd, bytes.data(), bytes.size(), file_end_) != static_cast<ssize_t>(bytes.size())) io_failed("write");
  file_end_ += static_cast<long long>(bytes.size());
  bytes.clear();
}

// Every record waiting in memory goes to the file as one run, in index order.
void RecordOrder::spill() {
  if (!file_ && !(file_ = std::tmpfile())) io_failed("create");
  const int fd = fileno(file_);
  std::sort(in_memory_.begin(), in_memory_.end(), [](const Waiting& a, const Waiting& b) { return a.idx < b.idx; });
  auto run = std::make_unique<Run>();
  run->pos = file_end_;
  std::string out;
  for (const Waiting& x : in_memory_) {
    const uint64_t idx = x.idx;
    out.append(reinterpret_cast<const char*>(&idx), sizeof idx);
    encode_record(x.rec, out);
    if (out.size() >= kWriteChunk) write_at_end(fd, out);
  }
  write_at_end(fd, out);
  run->end = file_end_;
  run->left = in_memory_.size();
  spilled_ += in_memory_.size();
  in_memory_.clear();  // (its capacity stays: it fills up again)
  run->advance(fd);
  runs_.push_back(std::move(run));
  ++runs_written_;
  if (runs_.size() > kMaxRuns) merge_runs();
}

// The runs become one (a k-way merge into the file's end), so that their
// read buffers stay few however many times records were spilled.
void RecordOrder::merge_runs() {
  const int fd = fileno(file_);
  std::vector<std::unique_ptr<Run>> old = std::move(runs_);
  runs_.clear();
  auto run = std::make_unique<Run>();
  run->pos = file_end_;
  std::string out;
  while (!old.empty()) {
    size_t m = 0;
    for (size_t i = 1; i < old.size(); ++i)
      if (old[i]->head_idx < old[m]->head_idx) m = i;
    Run& r = *old[m];
    const uint64_t idx = r.head_idx;
    out.append(reinterpret_cast<const char*>(&idx), sizeof idx);
    encode_record(r.head, out);
    ++run->left;
    if (--r.left > 0) {
      r.advance(fd);
    } else {
      old.erase(old.begin() + static_cast<std::ptrdiff_t>(m));
    }
    if (out.size() >= kWriteChunk) write_at_end(fd, out);
  }
  write_at_end(fd, out);
  run->end = file_end_;
  run->advance(fd);
  runs_.push_back(std::move(run));
}

}  // namespace msao
