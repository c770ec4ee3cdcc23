// MAS trace v1: the CSV file format that carries requests (what each input
// contains, its MAS parts, the models' ground-truth correctness) from a
// generator or a real kernel run into the simulator. Line 1 is the version
// line, line 2 the column header, then one request per line. Every column is
// documented in traces/README.md; reader and writer share the column list
// below so they cannot drift apart.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/request.hpp"

namespace msao {

inline constexpr const char* kMasTraceVersionLine = "# msao-mas-trace v1";
// The latest arrival_s a trace may hold (about 32 years).
inline constexpr double kMaxMasTraceArrival_s = 1e9;
// The largest trace file read: kMaxRequests rows of up to 400 bytes (a
// bundled trace's rows are about 260).
inline constexpr uint64_t kMaxMasTraceBytes = uint64_t{4} << 30;

// Column names in file order (modality columns repeat per image, video, audio).
// Two groups at the end are optional on reading:
//  - draft_acceptance, token_seed (kMasTraceOptionalColumns): files written
//    before them still read, with draft_acceptance =
//    gen::draft_acceptance_rule(dataset, edge_confidence) (the generators'
//    rule without noise) and token_seed = splitmix64(id);
//  - the conversation columns (kMasTraceSessionColumns: session, turn,
//    history_tokens, prefix_group, prefix_tokens, media_id), present only
//    after the first group; absent, every request is on its own.
const std::vector<std::string>& mas_trace_columns();
inline constexpr size_t kMasTraceOptionalColumns = 2;
inline constexpr size_t kMasTraceSessionColumns = 6;
enum class MasTraceLayout { Required, WithDraft, WithSessions };
// The columns, comma-separated: the file's header line.
std::string mas_trace_header(MasTraceLayout layout);
// Required only, or with the draft columns (the writer's default).
inline std::string mas_trace_header(bool with_optional = true) {
  return mas_trace_header(with_optional ? MasTraceLayout::WithDraft : MasTraceLayout::Required);
}
// Whether a request carries conversation data (the writer then adds the columns).
bool has_session_fields(const Request& r);

// Reads and validates every field; any problem is an InputError naming
// file, line, column, what was found and what was expected.
std::vector<Request> read_mas_trace(const std::string& path);
// The same, shared with the per-process cache of parsed files
// (sim/config/parsed_file_cache.hpp) instead of copied out of it.
std::shared_ptr<const std::vector<Request>> read_mas_trace_shared(const std::string& path);

// Writes atomically (temp file + rename); same requests give the same bytes.
// The conversation columns are written when any request has them.
void write_mas_trace(const std::string& path, const std::vector<Request>& requests);
// The same for requests made one at a time: `next` fills its argument and
// returns true, or returns false when there are no more. Rows are written
// as they come (memory does not grow with the trace); the file appears
// whole at the end. Returns the number of requests written.
size_t write_mas_trace(const std::string& path, const std::function<bool(Request&)>& next, bool sessions = false);

// Text of one request's row, no newline (the writer's format, exposed for tests).
std::string mas_trace_row(const Request& r, bool sessions = false);

// Rounds to the precision the trace stores a fraction with (6 decimals), so
// values computed before writing equal the values read back.
double quantize_fraction(double x);

}  // namespace msao
