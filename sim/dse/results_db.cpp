#include "sim/dse/results_db.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "sim/config/input_error.hpp"

namespace msao::dse {

std::string quote_ident(const std::string& name) {
  std::string q = "\"";
  for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

namespace {

struct Stmt {
  sqlite3_stmt* s = nullptr;
  Stmt(sqlite3* db, const std::string& sql) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db) + " in " + sql);
  }
  ~Stmt() { sqlite3_finalize(s); }
};

}  // namespace

ResultsDb::ResultsDb(const std::string& path, const std::vector<std::string>& axes) : axes_(axes) {
  metrics_ = metric_names();
  // The one column list, in table order: identity, axes, metrics, the latency CDF.
  std::vector<std::pair<std::string, std::string>> columns{
      {"hash", "TEXT PRIMARY KEY"}, {"point", "INTEGER"}, {"replica", "INTEGER"}, {"seed", "INTEGER"},
      {"status", "TEXT"},           {"error", "TEXT"},    {"overrides", "TEXT"}};
  for (const auto& a : axes_) columns.push_back({a, "TEXT"});
  for (const auto& m : metrics_) columns.push_back({m, "REAL"});
  columns.push_back({"latency_cdf_ms", "TEXT"});
  std::string names, marks;
  for (const auto& [name, type] : columns) {
    const std::string sep = names.empty() ? "" : ", ";
    names += sep + quote_ident(name);
    marks += sep + "?";
  }
  insert_sql_ = "INSERT OR REPLACE INTO runs (" + names + ") VALUES (" + marks + ")";
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK)
    throw InputError(path, 0, "", sqlite3_errmsg(db_), "a writable SQLite database path");
  sqlite3_busy_timeout(db_, 10000);
  try {
    open_tables(path, columns);
  } catch (const InputError&) {
    throw;
  } catch (const std::runtime_error& e) {  // not a database, or a corrupt one
    throw InputError(path, 0, "", std::string("a database SQLite cannot use (") + e.what() + ")",
                     "a sweep's intact results.sqlite, or an empty --out directory");
  }
}

void ResultsDb::open_tables(const std::string& path, const std::vector<std::pair<std::string, std::string>>& columns) {
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  {  // A corrupt database must stop the sweep here, as bad input, not midway.
    Stmt st(db_, "PRAGMA quick_check");
    const int rc = sqlite3_step(st.s);
    const unsigned char* t = rc == SQLITE_ROW ? sqlite3_column_text(st.s, 0) : nullptr;
    std::string verdict = t ? reinterpret_cast<const char*>(t) : sqlite3_errmsg(db_);
    std::replace(verdict.begin(), verdict.end(), '\n', ' ');  // the error is one line
    if (verdict.size() > 160) verdict = verdict.substr(0, 160) + "...";
    if (verdict != "ok") throw std::runtime_error("sqlite: " + verdict);
  }
  exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)");
  // An existing table must have exactly these columns: resuming another sweep into it would mix rows.
  std::vector<std::string> have;
  {
    Stmt st(db_, "SELECT name FROM pragma_table_info('runs')");
    while (sqlite3_step(st.s) == SQLITE_ROW) have.push_back(reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0)));
  }
  if (!have.empty()) {
    std::vector<std::string> want;
    for (const auto& c : columns) want.push_back(c.first);
    if (have != want)
      throw InputError(path, 0, "runs", "a results table with other axes or metrics",
                       "the same sweep axes to resume (or another --out directory)");
  }
  std::string create;
  for (const auto& [name, type] : columns) create += (create.empty() ? "" : ", ") + quote_ident(name) + " " + type;
  exec("CREATE TABLE IF NOT EXISTS runs (" + create + ")");
}

ResultsDb::~ResultsDb() { sqlite3_close(db_); }

void ResultsDb::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string e = err ? err : "unknown";
    sqlite3_free(err);
    throw std::runtime_error("sqlite: " + e + " in " + sql);
  }
}

void ResultsDb::set_meta(const std::string& key, const std::string& value) {
  Stmt st(db_, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
  sqlite3_bind_text(st.s, 1, key.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st.s, 2, value.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(st.s) != SQLITE_DONE) throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
}

std::string ResultsDb::meta(const std::string& key) {
  Stmt st(db_, "SELECT value FROM meta WHERE key = ?");
  sqlite3_bind_text(st.s, 1, key.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(st.s) != SQLITE_ROW || sqlite3_column_type(st.s, 0) == SQLITE_NULL) return "";
  return reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0));
}

std::set<std::string> ResultsDb::finished_hashes() {
  std::set<std::string> out;
  Stmt st(db_, "SELECT hash FROM runs WHERE status = 'ok'");
  while (sqlite3_step(st.s) == SQLITE_ROW) out.insert(reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0)));
  return out;
}

size_t ResultsDb::recorded_runs() {
  Stmt st(db_, "SELECT COUNT(*) FROM runs");
  return sqlite3_step(st.s) == SQLITE_ROW ? static_cast<size_t>(sqlite3_column_int64(st.s, 0)) : 0;
}

void ResultsDb::for_each_run(const std::function<void(const RecordedRun&)>& f) {
  Stmt st(db_, "SELECT point, replica, hash, overrides FROM runs ORDER BY point, replica");
  RecordedRun r;
  auto text = [&st](int col) {
    const unsigned char* t = sqlite3_column_text(st.s, col);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  while (sqlite3_step(st.s) == SQLITE_ROW) {
    r.point = sqlite3_column_int(st.s, 0);
    r.replica = sqlite3_column_int(st.s, 1);
    r.hash = text(2);
    r.overrides = text(3);
    f(r);
  }
}

void ResultsDb::record(const RunPoint& p, const std::string& status, const std::string& error, const RunMetrics& m) {
  std::string overrides;
  for (const auto& o : p.overrides) overrides += (overrides.empty() ? "" : "; ") + o;
  exec("BEGIN IMMEDIATE");
  try {
    Stmt st(db_, insert_sql_);
    int i = 1;
    sqlite3_bind_text(st.s, i++, p.hash.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st.s, i++, p.point);
    sqlite3_bind_int(st.s, i++, p.replica);
    sqlite3_bind_int64(st.s, i++, static_cast<sqlite3_int64>(p.seed));
    sqlite3_bind_text(st.s, i++, status.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st.s, i++, error.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st.s, i++, overrides.c_str(), -1, SQLITE_TRANSIENT);
    for (size_t k = 0; k < axes_.size(); ++k)
      sqlite3_bind_text(st.s, i++, k < p.axis_values.size() ? p.axis_values[k].c_str() : "", -1, SQLITE_TRANSIENT);
    for (const auto& name : metrics_) {
      bool found = false;
      for (const auto& [k, v] : m.metrics)
        if (k == name) {
          sqlite3_bind_double(st.s, i, v);
          found = true;
          break;
        }
      if (!found) sqlite3_bind_null(st.s, i);
      ++i;
    }
    if (m.latency_cdf_ms.empty()) sqlite3_bind_null(st.s, i++);
    else sqlite3_bind_text(st.s, i++, m.latency_cdf_ms.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st.s) != SQLITE_DONE) throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
  } catch (...) {
    exec("ROLLBACK");
    throw;
  }
  exec("COMMIT");
}

namespace {
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}
}  // namespace

std::string export_csv(const std::string& db_path) {
  if (std::string why; !std::filesystem::exists(lookup_path(db_path, &why)))
    throw InputError(db_path, 0, "", why, "a sweep's results.sqlite");
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw InputError(db_path, 0, "", "a file SQLite cannot open", "a sweep's results.sqlite");
  }
  std::string out;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT * FROM runs ORDER BY point, replica, hash", -1, &st, nullptr) != SQLITE_OK) {
    const std::string why = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw InputError(db_path, 0, "runs", "no readable runs table (" + why + ")", "a sweep's results.sqlite");
  }
  int n = sqlite3_column_count(st);
  for (int c = 0; c < n; ++c) {
    if (c) out += ",";
    out += csv_field(sqlite3_column_name(st, c));
  }
  out += "\n";
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    for (int c = 0; c < n; ++c) {
      if (c) out += ",";
      if (sqlite3_column_type(st, c) == SQLITE_FLOAT) out += format_number(sqlite3_column_double(st, c));
      else if (sqlite3_column_type(st, c) != SQLITE_NULL) out += csv_field(reinterpret_cast<const char*>(sqlite3_column_text(st, c)));
    }
    out += "\n";
  }
  const std::string why = sqlite3_errmsg(db);
  sqlite3_finalize(st);
  sqlite3_close(db);
  // A read that stops early (a corrupt page) must not pass for a short table.
  if (rc != SQLITE_DONE) throw InputError(db_path, 0, "runs", "a database SQLite cannot read (" + why + ")", "an intact sweep results.sqlite");
  return out;
}

}  // namespace msao::dse
