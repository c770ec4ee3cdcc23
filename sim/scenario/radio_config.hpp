// platform.edges.N.radio: the radio energy model of a group's access links
// (docs/energy.md). `none` (the default), a platforms/radios catalog name
// (lte, wifi) or a path to such a file, or a map {type: NAME, PARAM: value}
// that overrides some of the entry's parameters.
#pragma once
#include "sim/config/yaml_section.hpp"
#include "sim/engine/radio_account.hpp"

namespace msao {

// Reads (and consumes) the group's `radio` key; absent: none.
RadioSpec read_radio(YamlSection& group);

}  // namespace msao
