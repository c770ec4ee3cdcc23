// A RequestRecord as bytes and back (internal to sim/engine): how
// RecordOrder writes records that wait for their turn to a temporary file.
// Every field round-trips exactly (doubles bit for bit, NaN included).
#pragma once
#include <cstddef>
#include <string>

#include "sim/metrics/request_record.hpp"

namespace msao {

// Appends `r` to `out`.
void encode_record(const RequestRecord& r, std::string& out);
// Reads one record from [p, end) into `r`; returns the first byte after it,
// or nullptr if the bytes end before the record does.
const char* decode_record(const char* p, const char* end, RequestRecord& r);

}  // namespace msao
