// CSV and PDF rendering of tabular reports (see report_document.h).
#include "services/report_document.h"

#include <fmt/format.h>
#include <hpdf.h>

#include <filesystem>
#include <memory>

namespace ketachart {
namespace {

std::string CsvCell(const std::string& value) {
  // Cells starting with = + - @ are prefixed with ' so spreadsheet programs do
  // not run them as formulas (CSV injection).
  std::string text = value;
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '@' ||
                        (text[0] == '-' && text.find_first_not_of("-0123456789.") != std::string::npos))) {
    text.insert(0, "'");
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// libharu reports errors through a callback; keep the first.
void OnPdfError(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) {
  auto* message = static_cast<std::string*>(user_data);
  if (message->empty()) *message = fmt::format("libharu error 0x{:04X} (detail {})", error_no, detail_no);
}

struct DocDeleter {
  void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
};

// Cuts `text` (UTF-8) so it fits `width` points, adding "…" when cut.
std::string FitText(HPDF_Page page, const std::string& text, double width) {
  if (HPDF_Page_TextWidth(page, text.c_str()) <= width) return text;
  std::string cut = text;
  while (!cut.empty()) {
    // Drop one UTF-8 character from the end.
    size_t end = cut.size() - 1;
    while (end > 0 && (static_cast<unsigned char>(cut[end]) & 0xC0) == 0x80) --end;
    cut.resize(end);
    const std::string candidate = cut + "\u2026";
    if (HPDF_Page_TextWidth(page, candidate.c_str()) <= width) return candidate;
  }
  return "";
}

}  // namespace

std::string RenderCsv(const TabularReport& report) {
  std::string out;
  for (size_t i = 0; i < report.columns.size(); ++i) {
    if (i) out += ',';
    out += CsvCell(report.columns[i].heading);
  }
  out += "\r\n";
  for (const auto& row : report.rows) {
    for (size_t i = 0; i < report.columns.size(); ++i) {
      if (i) out += ',';
      out += CsvCell(i < row.size() ? row[i] : std::string());
    }
    out += "\r\n";
  }
  return out;
}

Result<std::string> RenderPdf(const TabularReport& report) {
  if (!std::filesystem::exists(kReportFontFile)) {
    return Error{ErrorCode::kUnavailable,
                 fmt::format("PDF reports need the font {} (Debian package fonts-dejavu-core)", kReportFontFile), {}};
  }
  std::string error;
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter> doc(HPDF_New(OnPdfError, &error));
  if (!doc) return Internal("libharu could not create a document");
  HPDF_SetCompressionMode(doc.get(), HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(doc.get());
  HPDF_SetCurrentEncoder(doc.get(), "UTF-8");
  const char* font_name = HPDF_LoadTTFontFromFile(doc.get(), kReportFontFile, HPDF_TRUE);
  if (!font_name) return Internal("libharu could not load the report font: " + error);
  HPDF_Font font = HPDF_GetFont(doc.get(), font_name, "UTF-8");
  if (!font) return Internal("libharu could not use the report font: " + error);
  HPDF_SetInfoAttr(doc.get(), HPDF_INFO_TITLE, report.title.c_str());
  HPDF_SetInfoAttr(doc.get(), HPDF_INFO_CREATOR, "KetaChart");

  constexpr double kMargin = 36, kTitleSize = 13, kTextSize = 7.5, kLine = 10.5;
  double total_weight = 0;
  for (const auto& c : report.columns) total_weight += c.width;
  HPDF_Page page = nullptr;
  double y = 0, page_width = 0;
  int page_number = 0;
  std::vector<double> widths;

  auto text_at = [&](double x, double yy, double size, const std::string& text) {
    HPDF_Page_SetFontAndSize(page, font, static_cast<HPDF_REAL>(size));
    HPDF_Page_BeginText(page);
    HPDF_Page_TextOut(page, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(yy), text.c_str());
    HPDF_Page_EndText(page);
  };
  auto row_out = [&](const std::vector<std::string>& cells) {
    HPDF_Page_SetFontAndSize(page, font, static_cast<HPDF_REAL>(kTextSize));
    double x = kMargin;
    for (size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < cells.size() ? cells[i] : std::string();
      text_at(x, y, kTextSize, FitText(page, cell, widths[i] - 3));
      x += widths[i];
    }
    y -= kLine;
  };
  auto new_page = [&] {
    page = HPDF_AddPage(doc.get());
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_LANDSCAPE);
    page_width = HPDF_Page_GetWidth(page);
    const double height = HPDF_Page_GetHeight(page);
    ++page_number;
    widths.clear();
    for (const auto& c : report.columns) widths.push_back((page_width - 2 * kMargin) * c.width / total_weight);
    y = height - kMargin - kTitleSize;
    text_at(kMargin, y, kTitleSize, report.title);
    text_at(page_width - kMargin - 60, y, kTextSize, fmt::format("page {}", page_number));
    y -= kLine * 1.5;
    if (page_number == 1) {
      for (const auto& line : report.heading_lines) {
        text_at(kMargin, y, kTextSize + 1, line);
        y -= kLine;
      }
      y -= kLine / 2;
    }
    std::vector<std::string> headings;
    for (const auto& c : report.columns) headings.push_back(c.heading);
    row_out(headings);
    HPDF_Page_SetLineWidth(page, 0.5);
    HPDF_Page_MoveTo(page, static_cast<HPDF_REAL>(kMargin), static_cast<HPDF_REAL>(y + kLine - 3));
    HPDF_Page_LineTo(page, static_cast<HPDF_REAL>(page_width - kMargin), static_cast<HPDF_REAL>(y + kLine - 3));
    HPDF_Page_Stroke(page);
  };

  new_page();
  if (report.rows.empty()) {
    text_at(kMargin, y, kTextSize, "No entries.");
  }
  for (const auto& row : report.rows) {
    if (y < kMargin) new_page();
    row_out(row);
  }
  if (!error.empty()) return Internal("libharu could not draw the report: " + error);
  if (HPDF_SaveToStream(doc.get()) != HPDF_OK) return Internal("libharu could not write the report: " + error);
  HPDF_ResetStream(doc.get());
  std::string bytes;
  for (;;) {
    HPDF_BYTE buffer[8192];
    HPDF_UINT32 size = sizeof(buffer);
    HPDF_STATUS status = HPDF_ReadFromStream(doc.get(), buffer, &size);
    bytes.append(reinterpret_cast<const char*>(buffer), size);
    if (status == HPDF_STREAM_EOF) break;
    if (status != HPDF_OK) return Internal("libharu could not read the report back: " + error);
  }
  return bytes;
}

}  // namespace ketachart
