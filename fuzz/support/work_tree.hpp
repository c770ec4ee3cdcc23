// The loaders under test read files by path and resolve the files an input
// names (hardware, traces, profiles, a sweep's base scenario) from the
// input's folder. Each harness writes its input into a private temporary
// copy of the repository's layout (symlinks to platforms/ and traces/), so
// references to bundled files resolve as in the real tree and nothing is
// ever written into the source tree. The working directory is left alone
// (libFuzzer keeps relative corpus paths): scripts/fuzz runs from the
// repository root, where paths taken from the working directory resolve.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace msao::fuzz {

// Path of the bundled `relative` file (e.g. "platforms/scenarios/paper.yaml")
// inside the work tree, which is built on the first call and removed at exit.
std::string in_work_tree(const std::string& relative);

// Writes the fuzzer's bytes to `relative` in the work tree; returns its path.
std::string write_input(const uint8_t* data, size_t size, const std::string& relative);

}  // namespace msao::fuzz
