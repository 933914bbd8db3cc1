// A tabular report (title, a few heading lines, columns and rows of text)
// and its two renderings: CSV (RFC 4180 quoting, UTF-8) and PDF (libharu,
// landscape US Letter, DejaVu Sans for full Unicode, the column headings
// repeated on every page, page numbers). Used by the controlled-substance
// reports; no clinical logic here. Thread-safe (no shared state; each PDF
// has its own libharu document).
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace ketachart {

struct ReportColumn {
  std::string heading;
  double width = 1.0;  // relative width in the PDF
};

struct TabularReport {
  std::string title;
  std::vector<std::string> heading_lines;  // clinic, period, generated at/by...
  std::vector<ReportColumn> columns;
  std::vector<std::vector<std::string>> rows;  // each row has columns.size() cells
  std::string file_stem;                       // e.g. "dispensing-record-2026-03"
};

std::string RenderCsv(const TabularReport& report);
// The PDF bytes; kUnavailable when the font file is missing.
Result<std::string> RenderPdf(const TabularReport& report);

// Where RenderPdf loads its font (Debian fonts-dejavu-core).
inline constexpr const char* kReportFontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

}  // namespace ketachart
