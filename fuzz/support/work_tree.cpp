#include "fuzz/support/work_tree.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace msao::fuzz {

namespace fs = std::filesystem;

namespace {

// platforms/scenarios is a real folder (inputs are written there, beside
// links to the bundled scenarios); everything else links to the source tree.
fs::path build_tree() {
  const fs::path src = MSAO_SOURCE_DIR;
  const fs::path root = fs::temp_directory_path() / ("msao-fuzz-" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "platforms" / "scenarios");
  fs::create_directory_symlink(src / "traces", root / "traces");
  for (const char* kind : {"hardware", "models"})
    fs::create_directory_symlink(src / "platforms" / kind, root / "platforms" / kind);
  for (const auto& e : fs::directory_iterator(src / "platforms" / "scenarios"))
    fs::create_symlink(e.path(), root / "platforms" / "scenarios" / e.path().filename());
  // remove_all does not follow the links, so the source tree is safe.
  std::atexit([] {
    std::error_code ec;
    fs::remove_all(fs::temp_directory_path() / ("msao-fuzz-" + std::to_string(getpid())), ec);
  });
  return root;
}

const fs::path& root() {
  static const fs::path r = build_tree();
  return r;
}

}  // namespace

std::string in_work_tree(const std::string& relative) { return (root() / relative).string(); }

std::string write_input(const uint8_t* data, size_t size, const std::string& relative) {
  const std::string path = in_work_tree(relative);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
  out.close();
  if (!out) {
    std::perror(path.c_str());
    std::abort();  // a harness that cannot write its input would test nothing
  }
  return path;
}

}  // namespace msao::fuzz
