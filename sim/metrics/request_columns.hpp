// requests.csv's columns, as one table: each column's name and how its cell
// is written from a RequestRecord. The header and every row come from it,
// so a new column is one entry (docs/metrics.md describes each).
#pragma once
#include <span>
#include <string>

#include "sim/metrics/request_record.hpp"

namespace msao {

struct RequestColumn {
  const char* name;
  void (*write)(std::string& cell, const RequestRecord& r);  // appends the cell's text (empty: no value)
};

std::span<const RequestColumn> request_columns();

}  // namespace msao
