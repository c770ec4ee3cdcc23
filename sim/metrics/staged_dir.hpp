// StagedDir: a run's output folder replaced whole, so that DIR always holds
// either the whole previous run or the whole new one. The new files are
// written into a fresh sibling folder, ".NAME.partial-PID" beside DIR, and
// commit() swaps it in with one rename (renameat2 RENAME_EXCHANGE: DIR is
// never missing), after moving into it whatever else DIR held (a timeline,
// plots, notes: anything not named in `run_files`); the previous run's files
// are then deleted. A run killed before commit() leaves DIR as it was; its
// sibling is cleared by the next run into DIR (entries other than run files
// go back into DIR first).
//
// Where a swap cannot be made the files are written in DIR itself, each
// atomically with the completeness marker (the last of `run_files`) removed
// first and written last: when DIR is the working directory or one of its
// parents (a swap would leave the shell in a deleted folder), a file-system
// root or mount point, in a folder whose parent cannot be written, or when
// the file system refuses the renames.
#pragma once
#include <string>
#include <vector>

namespace msao {

class StagedDir {
 public:
  // `run_files`: the names a run writes, the completeness marker last.
  StagedDir(const std::string& dir, std::vector<std::string> run_files);
  ~StagedDir();  // without commit(): the sibling is removed, DIR untouched
  StagedDir(const StagedDir&) = delete;
  StagedDir& operator=(const StagedDir&) = delete;

  // Where to write the run's files now.
  const std::string& path() const { return path_; }
  // Every file is written: make them DIR's.
  void commit();

 private:
  void commit_in_place();
  std::string dir_;    // the folder the user named (resolved through links)
  std::string path_;   // the staging sibling, or dir_ in place
  std::vector<std::string> run_files_;
  bool staged_ = false, committed_ = false;
};

}  // namespace msao
