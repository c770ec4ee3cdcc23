// Requests and records as bytes and back (internal to sim/engine): how the
// closed loop's read-ahead (EdgeQueues) and the records waiting for their
// turn (RecordOrder) go to temporary files. Every field round-trips
// exactly (doubles bit for bit, NaN included).
#pragma once
#include <string>

#include "sim/metrics/request_record.hpp"
#include "sim/request.hpp"

namespace msao {

// Appends `x` to `out`.
void encode_record(const RequestRecord& x, std::string& out);
void encode_request(const Request& x, std::string& out);
// Reads one from [p, end) into `x`; returns the first byte after it, or
// nullptr if the bytes end before it does.
const char* decode_record(const char* p, const char* end, RequestRecord& x);
const char* decode_request(const char* p, const char* end, Request& x);

}  // namespace msao
