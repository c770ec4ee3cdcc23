// The MAS trace reader rejects every kind of damage with an InputError that
// names file:line and the column, and `msao trace check` turns it into exit
// status 2; good traces round-trip exactly.
#include <doctest/doctest.h>

#include "sim/config/input_error.hpp"
#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"
#include "workloads/gen_common.hpp"
#include "workloads/generator.hpp"
#include "workloads/mas_trace.hpp"
#include "workloads/rng.hpp"

using namespace msao;

namespace {

// A valid 3-row trace as text.
std::string good_text() {
  const std::string p = test::scratch_path("good.csv");
  write_mas_trace(p, generate_requests("video-qa", 3, 5));
  return test::slurp(p);
}

// Replaces field `col` (1-based) of data row `row` (1-based) with `value`.
std::string with_field(std::string text, int row, int col, const std::string& value) {
  size_t pos = 0;
  for (int l = 0; l < row + 1; ++l) pos = text.find('\n', pos) + 1;
  for (int c = 1; c < col; ++c) pos = text.find(',', pos) + 1;
  size_t end = text.find_first_of(",\n", pos);
  return text.replace(pos, end - pos, value);
}

// The message of the InputError reading `text` raises ("" if none).
std::string read_error(const std::string& text) {
  const std::string p = test::scratch_path("bad.csv");
  test::spit(p, text);
  return test::input_error_of([&] { read_mas_trace(p); });
}

}  // namespace

TEST_CASE("mas trace round-trips field by field") {
  const auto rs = generate_requests("video-qa", 50, 9);
  const std::string p = test::scratch_path("rt.csv");
  write_mas_trace(p, rs);
  const auto back = read_mas_trace(p);
  REQUIRE(back.size() == rs.size());
  for (size_t i = 0; i < rs.size(); ++i) CHECK(mas_trace_row(back[i]) == mas_trace_row(rs[i]));
  CHECK(read_error(good_text()).empty());
}

TEST_CASE("mas trace reader rejects a wrong version") {
  std::string t = good_text();
  t.replace(0, t.find('\n'), "# msao-mas-trace v2");
  CHECK(read_error(t).find("bad.csv:1:") != std::string::npos);
}

TEST_CASE("mas trace reader rejects missing columns and truncated lines") {
  std::string t = good_text();
  // Cut row 2 in the middle: fewer fields than the header.
  size_t l3 = t.find('\n', t.find('\n', t.find('\n') + 1) + 1) + 1;  // start of row 2 (line 4)
  size_t cut = t.find(',', l3 + 1);
  cut = t.find(',', cut + 1);
  std::string missing = t.substr(0, cut) + t.substr(t.find('\n', cut));
  std::string e = read_error(missing);
  CHECK(e.find("bad.csv:4:") != std::string::npos);
  INFO(e);
  CHECK(e.find("column 3 (edge)") != std::string::npos);
  // File ends without a newline in the middle of a row.
  e = read_error(t.substr(0, t.size() - 10));
  CHECK(e.find("bad.csv:5:") != std::string::npos);
  CHECK(e.find("newline") != std::string::npos);
  // Extra field.
  e = read_error(with_field(t, 1, 43, "1.000000,7"));
  CHECK(e.find("bad.csv:3:") != std::string::npos);
}

TEST_CASE("mas trace reader rejects NaN and out of range values") {
  const std::string t = good_text();
  std::string e = read_error(with_field(t, 1, 8, "nan"));
  CHECK(e.find("bad.csv:3:") != std::string::npos);
  CHECK(e.find("column 8 (edge_confidence)") != std::string::npos);
  CHECK(e.find("'nan'") != std::string::npos);
  e = read_error(with_field(t, 2, 8, "1.5"));
  CHECK(e.find("bad.csv:4:") != std::string::npos);
  e = read_error(with_field(t, 3, 9, "2"));
  CHECK(e.find("column 9 (edge_correct_full)") != std::string::npos);
  e = read_error(with_field(t, 1, 2, "-1"));
  CHECK(e.find("column 2 (arrival_s)") != std::string::npos);
  e = read_error(with_field(t, 1, 4, "vq a"));
  CHECK(e.find("column 4 (dataset)") != std::string::npos);
}

TEST_CASE("mas trace reader cross-checks MAS and takes the correctness columns as given") {
  const std::string t = good_text();
  // video columns start at 24: present,width,height,frames,seconds,bytes,mas(30)
  std::string e = read_error(with_field(t, 1, 30, "0.999000"));
  CHECK(e.find("column 30 (video_mas)") != std::string::npos);
  // Absent image with a width.
  e = read_error(with_field(t, 1, 15, "640"));
  CHECK(e.find("column 15 (image_width)") != std::string::npos);
  // A recorded trace carries its own correctness under pruning: a flipped
  // edge_correct_pruned (which the generators' model would not give) is
  // read as given, and both pruned columns may disagree with the model.
  const auto rs = read_mas_trace(test::scratch_path("good.csv"));
  const std::string flipped = test::scratch_path("flipped.csv");
  test::spit(flipped, with_field(with_field(t, 1, 11, rs[0].edge_correct_pruned ? "0" : "1"), 1, 12,
                                 rs[0].cloud_correct_pruned ? "0" : "1"));
  const auto fs = read_mas_trace(flipped);
  CHECK(fs[0].edge_correct_pruned == !rs[0].edge_correct_pruned);
  CHECK(fs[0].cloud_correct_pruned == !rs[0].cloud_correct_pruned);
  CHECK(fs[0].edge_correct_full == rs[0].edge_correct_full);
  // Malformed correctness columns are still errors naming the column.
  for (const char* bad : {"2", "yes", "", "0.5"}) {
    CAPTURE(bad);
    e = read_error(with_field(t, 1, 11, bad));
    CHECK(e.find("column 11 (edge_correct_pruned)") != std::string::npos);
    CHECK(e.find("0 or 1") != std::string::npos);
    e = read_error(with_field(t, 1, 10, bad));
    CHECK(e.find("column 10 (cloud_correct_full)") != std::string::npos);
  }
}

TEST_CASE("msao trace check exits 2 on a bad trace and 0 on a good one") {
  const std::string good = test::scratch_path("cli-good.csv"), bad = test::scratch_path("cli-bad.csv");
  test::spit(good, good_text());
  test::spit(bad, with_field(good_text(), 2, 8, "nan"));
  auto ok = test::run_msao("trace check " + good);
  CHECK(ok.status == 0);
  auto r = test::run_msao("trace check " + bad);
  CHECK(r.status == 2);
  CHECK(r.out.find("cli-bad.csv:4:") != std::string::npos);
  // A malformed correctness column is exit 2 naming it (recorded values are used as given, not re-derived).
  const std::string bad_flag = test::scratch_path("cli-bad-flag.csv");
  test::spit(bad_flag, with_field(good_text(), 3, 12, "x"));
  auto rf = test::run_msao("trace check " + bad_flag);
  CHECK(rf.status == 2);
  CHECK(rf.out.find("cli-bad-flag.csv:5:") != std::string::npos);
  CHECK(rf.out.find("cloud_correct_pruned") != std::string::npos);
  auto st = test::run_msao("trace stats " + good);
  CHECK(st.status == 0);
  CHECK(st.out.find("calibration") != std::string::npos);
}

TEST_CASE("mas trace carries draft_acceptance and token_seed, and reads files written without them") {
  const auto rs = generate_requests("mmbench", 40, 3);
  const std::string p = test::scratch_path("spec.csv");
  write_mas_trace(p, rs);
  const std::string text = test::slurp(p);
  CHECK(text.find(",draft_acceptance,token_seed\n") != std::string::npos);
  auto back = read_mas_trace(p);
  REQUIRE(back.size() == rs.size());
  for (size_t i = 0; i < rs.size(); ++i) {
    CHECK(back[i].draft_acceptance == rs[i].draft_acceptance);
    CHECK(back[i].token_seed == rs[i].token_seed);
  }
  // The same file without its two last columns (the format before them).
  std::string old;
  size_t pos = 0;
  for (int line = 1; pos < text.size(); ++line) {
    const size_t nl = text.find('\n', pos);
    std::string l = text.substr(pos, nl - pos);
    if (line >= 2) l = test::drop_last_fields(l, kMasTraceOptionalColumns);
    old += l + "\n";
    pos = nl + 1;
  }
  CHECK(old.find("audio_modal\n") != std::string::npos);
  const std::string po = test::scratch_path("old.csv");
  test::spit(po, old);
  back = read_mas_trace(po);
  REQUIRE(back.size() == rs.size());
  for (size_t i = 0; i < rs.size(); ++i) {
    // Everything else as written; the new fields from the noise-free rule and the id.
    CHECK(test::drop_last_fields(mas_trace_row(back[i]), kMasTraceOptionalColumns) ==
          test::drop_last_fields(mas_trace_row(rs[i]), kMasTraceOptionalColumns));
    CHECK(back[i].draft_acceptance == gen::draft_acceptance_rule("mmbench", rs[i].edge_confidence));
    CHECK(back[i].token_seed == splitmix64(rs[i].id));
  }
}

TEST_CASE("mas trace reader rejects bad draft_acceptance and token_seed values") {
  const std::string t = good_text();
  std::string e = read_error(with_field(t, 2, 44, "1.5"));
  INFO(e);
  CHECK(e.find("bad.csv:4:") != std::string::npos);
  CHECK(e.find("column 44 (draft_acceptance)") != std::string::npos);
  CHECK(e.find("'1.5'") != std::string::npos);
  CHECK(read_error(with_field(t, 1, 44, "-0.1")).find("column 44 (draft_acceptance)") != std::string::npos);
  CHECK(read_error(with_field(t, 1, 44, "nan")).find("column 44 (draft_acceptance)") != std::string::npos);
  for (const char* seed : {"-3", "1.5", "", "18446744073709551616", "12x"}) {
    e = read_error(with_field(t, 3, 45, seed));
    CAPTURE(seed);
    CHECK(e.find("bad.csv:5:") != std::string::npos);
    CHECK(e.find("column 45 (token_seed)") != std::string::npos);
  }
  CHECK(read_error(with_field(t, 1, 45, "18446744073709551615")).empty());
  // A header with only one of the two optional columns is neither format.
  std::string one = t;
  one.replace(one.find(",token_seed"), std::string(",token_seed").size(), "");
  CHECK(read_error(one).find("bad.csv:2:") != std::string::npos);
}
