// Checks a YAML text holds one document before it is loaded, without
// yaml-cpp's LoadAll: in yaml-cpp 0.7 a ',' outside any [..] or {..} (", a"
// or '"x" ,') makes LoadAll loop forever, allocating an empty document per
// turn (found by fuzz/fuzz_scenario). Its parser ends each document without
// consuming the ',' and starts the next at it; this scan walks at most two
// documents, so it always ends.
#pragma once
#include <string>

namespace msao {

// InputError naming `path` and the line: a stray ',' or a second document.
// yaml-cpp's ParserException passes through for other malformed YAML.
void check_single_document(const std::string& text, const std::string& path);

}  // namespace msao
