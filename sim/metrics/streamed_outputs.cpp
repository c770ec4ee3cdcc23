#include "sim/metrics/streamed_outputs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "sim/config/input_error.hpp"
#include "sim/metrics/iterations_csv.hpp"
#include "sim/metrics/outputs.hpp"

namespace msao {

namespace {
constexpr size_t kRowBuffer = 256 << 10;

[[noreturn]] void spool_failed(const std::string& dir) {
  throw InputError(dir, 0, "", std::string("a folder where a spool file cannot be written (") + std::strerror(errno) + ")",
                   "a writable output folder");
}
}  // namespace

// One replica's iteration rows until the end of the run: an unnamed file
// in the output folder (or the system's temporary folder without O_TMPFILE).
struct StreamedOutputs::Spool {
  explicit Spool(const std::string& dir) {
    fd = ::open(dir.c_str(), O_RDWR | O_TMPFILE, 0600);
    if (fd < 0) {
      file = std::tmpfile();
      if (!file) spool_failed(dir);
      fd = ::fileno(file);
    }
  }
  ~Spool() {
    if (file)
      std::fclose(file);
    else if (fd >= 0)
      ::close(fd);
  }
  void write(const std::string& dir) {
    for (size_t off = 0; off < rows.size();) {
      const ssize_t n = ::write(fd, rows.data() + off, rows.size() - off);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) spool_failed(dir);
      off += static_cast<size_t>(n);
    }
    rows.clear();
  }
  int fd = -1;
  std::FILE* file = nullptr;
  std::string rows;
};

StreamedOutputs::StreamedOutputs(const std::string& dir, ReplicaGpus replica_gpus)
    : stage_(dir, run_output_files()),
      dir_(stage_.path()),
      replica_gpus_(std::move(replica_gpus)),
      requests_(dir_ + "/requests.csv"),
      iterations_(dir_ + "/iterations.csv") {
  requests_.append(requests_csv_header());
  iterations_.append(iterations_csv_header());
}

StreamedOutputs::~StreamedOutputs() = default;

void StreamedOutputs::request(const RequestRecord& r) {
  append_request_row(rows_, r);
  if (rows_.size() >= kRowBuffer) {
    requests_.append(rows_);
    rows_.clear();
  }
}

void StreamedOutputs::iteration(int replica, const IterationRecord& it) {
  if (replica == 0) {
    row_.clear();  // reused: a row per batching iteration
    append_iteration_row(row_, 0, replica_gpus_, it);
    iterations_.append(row_);
    return;
  }
  const auto k = static_cast<size_t>(replica);
  while (spools_.size() < k) spools_.push_back(std::make_unique<Spool>(dir_));
  Spool& s = *spools_[k - 1];
  append_iteration_row(s.rows, k, replica_gpus_, it);
  if (s.rows.size() >= kRowBuffer) s.write(dir_);
}

void StreamedOutputs::finish(const std::string& resolved_yaml, const std::string& summary_json) {
  requests_.append(rows_);
  rows_.clear();
  requests_.commit();
  for (auto& s : spools_) {
    s->write(dir_);
    iterations_.append_file(s->fd);
  }
  iterations_.commit();
  write_file_atomic(dir_ + "/scenario.resolved.yaml", resolved_yaml);
  write_file_atomic(dir_ + "/summary.json", summary_json);
  stage_.commit();
}

}  // namespace msao
