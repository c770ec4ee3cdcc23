#include "sim/metrics/staged_dir.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "sim/config/input_error.hpp"
#include "sim/util/atomic_file.hpp"

namespace fs = std::filesystem;

namespace msao {

namespace {

constexpr const char* kPartial = ".partial-";
constexpr const char* kOld = ".old-";

// A run's own file, or a named temporary of one (write_file_atomic's "<file>.tmp.<pid>").
bool is_run_file(const std::vector<std::string>& run_files, const std::string& name) {
  return std::any_of(run_files.begin(), run_files.end(),
                     [&](const std::string& f) { return name == f || name.rfind(f + ".tmp.", 0) == 0; });
}

// ".NAME<tag>PID" beside DIR (appended piece by piece: GCC 12 warns falsely on "." + name + ...).
fs::path sibling(const fs::path& dir, const char* tag) {
  std::string n(1, '.');
  n += dir.filename().string();
  n += tag;
  n += std::to_string(::getpid());
  return dir.parent_path() / n;
}

bool alive(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

// DIR is the working directory or one of its parents.
bool holds_cwd(const fs::path& dir) {
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (ec) return true;
  const fs::path rel = cwd.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

// A file-system root or mount point: it cannot be renamed.
bool is_mount_point(const fs::path& dir) {
  struct stat self{}, parent{};
  if (::stat(dir.c_str(), &self) != 0 || ::stat((dir / "..").c_str(), &parent) != 0) return true;
  return self.st_dev != parent.st_dev || self.st_ino == parent.st_ino;
}

// Moves the entries of `from` that are not run files into `to` (those it
// does not already have); the names moved, or, when one cannot be, those
// moved until then and ok = false.
std::vector<std::string> carry(const fs::path& from, const fs::path& to, const std::vector<std::string>& run_files, bool& ok) {
  std::vector<std::string> moved;
  ok = true;
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(from, ec), end; !ec && it != end; it.increment(ec)) names.push_back(it->path().filename().string());
  for (const auto& name : names) {
    if (is_run_file(run_files, name) || fs::symlink_status(to / name, ec).type() != fs::file_type::not_found) continue;
    if (::rename((from / name).c_str(), (to / name).c_str()) != 0) {
      ok = false;
      break;
    }
    moved.push_back(name);
  }
  return moved;
}

// Siblings left by runs into DIR that were killed: a staging folder (the
// entries other than run files it holds go back into DIR), or the previous
// run moved aside at the moment of a swap without RENAME_EXCHANGE (it is
// DIR again when DIR is missing or empty).
void clear_stale(const fs::path& dir, const std::vector<std::string>& run_files) {
  std::error_code ec;
  std::vector<fs::path> stale;
  // The siblings' names less their pid, made once: the parent may be a
  // crowded folder such as /tmp.
  std::vector<std::string> prefixes;
  for (const char* tag : {kPartial, kOld}) {
    prefixes.push_back(sibling(dir, tag).filename().string());
    prefixes.back().resize(prefixes.back().size() - std::to_string(::getpid()).size());
  }
  for (fs::directory_iterator it(dir.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string n = it->path().filename().string();
    for (const std::string& prefix : prefixes)
      if (n.size() > prefix.size() && n.rfind(prefix, 0) == 0 && !alive(std::atol(n.c_str() + prefix.size()))) stale.push_back(it->path());
  }
  for (const auto& s : stale) {
    const bool old = s.filename().string().find(kOld) != std::string::npos;
    if (old && (!fs::exists(dir, ec) || fs::is_empty(dir, ec))) {
      fs::remove(dir, ec);
      if (::rename(s.c_str(), dir.c_str()) == 0) continue;
    }
    bool ok = true;
    if (fs::is_directory(dir, ec)) carry(s, dir, run_files, ok);
    if (ok) fs::remove_all(s, ec);
  }
}

}  // namespace

StagedDir::StagedDir(const std::string& dir, std::vector<std::string> run_files) : dir_(dir), path_(dir), run_files_(std::move(run_files)) {
  std::error_code ec;
  fs::path real = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  const bool resolved = !ec && real.has_filename() && real.has_parent_path() && real.parent_path() != real;
  if (resolved) {
    clear_stale(real, run_files_);
    dir_ = real.string();
  }
  create_output_dir(dir_);
  path_ = dir_;
  if (resolved && !holds_cwd(real) && !is_mount_point(real)) {
    const fs::path stage = sibling(real, kPartial);
    fs::remove_all(stage, ec);
    if (::mkdir(stage.c_str(), 0777) == 0) {
      path_ = stage.string();
      staged_ = true;
      return;
    }
  }
  // In place: a rerun into DIR first removes the completeness marker.
  fs::remove(fs::path(dir_) / run_files_.back(), ec);
}

StagedDir::~StagedDir() {
  if (staged_ && !committed_) {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
}

void StagedDir::commit() {
  if (!staged_ || committed_) {
    committed_ = true;
    return;
  }
  std::error_code ec;
  const fs::path dir(dir_), stage(path_);
  // What else DIR holds goes with the new run.
  bool ok = true;
  const std::vector<std::string> moved = carry(dir, stage, run_files_, ok);
  if (ok) {
    struct stat st{};
    if (::stat(dir.c_str(), &st) == 0) ::chmod(stage.c_str(), st.st_mode & 07777);
    if (::renameat2(AT_FDCWD, stage.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) == 0) {
      committed_ = true;
      fs::remove_all(stage, ec);  // the previous run's files
      return;
    }
    // No RENAME_EXCHANGE on this file system: the previous run aside, the new one in.
    const fs::path old = sibling(dir, kOld);
    if (::rename(dir.c_str(), old.c_str()) == 0) {
      if (::rename(stage.c_str(), dir.c_str()) == 0) {
        committed_ = true;
        fs::remove_all(old, ec);
        return;
      }
      ::rename(old.c_str(), dir.c_str());
    }
  }
  for (const auto& name : moved) ::rename((stage / name).c_str(), (dir / name).c_str());
  commit_in_place();
}

void StagedDir::commit_in_place() {
  const fs::path dir(dir_), stage(path_);
  std::error_code ec;
  fs::remove(dir / run_files_.back(), ec);
  for (const auto& f : run_files_)
    if (fs::exists(stage / f, ec) && ::rename((stage / f).c_str(), (dir / f).c_str()) != 0)
      throw InputError(dir_, 0, "", std::string("a folder the run's files cannot be moved into (") + std::strerror(errno) + ")",
                       "a writable output folder");
  committed_ = true;
  fs::remove_all(stage, ec);
}

}  // namespace msao
