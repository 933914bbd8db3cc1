// CSV quoting and PDF output of tabular reports.
#include "services/report_document.h"

#include <gtest/gtest.h>

namespace ketachart {
namespace {

TabularReport Sample(size_t rows) {
  TabularReport report;
  report.title = "Controlled substance inventory";
  report.heading_lines = {"North River Ketamine Clinic (NRK)"};
  report.columns = {{"Name", 1}, {"Note", 2}};
  for (size_t i = 0; i < rows; ++i) report.rows.push_back({"Zoë Ångström " + std::to_string(i), "a, \"quoted\" note"});
  return report;
}

TEST(ReportDocument, CsvQuotesAndNeutralisesFormulas) {
  TabularReport report = Sample(1);
  report.rows.push_back({"=HYPERLINK(\"x\")", "-12.5"});
  EXPECT_EQ(RenderCsv(report),
            "Name,Note\r\n"
            "Zoë Ångström 0,\"a, \"\"quoted\"\" note\"\r\n"
            "\"'=HYPERLINK(\"\"x\"\")\",-12.5\r\n");
}

TEST(ReportDocument, PdfHasPagesAndUnicodeFont) {
  auto pdf = RenderPdf(Sample(120));  // more rows than fit one page
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  const std::string& bytes = pdf.value();
  EXPECT_EQ(bytes.substr(0, 5), "%PDF-");
  EXPECT_NE(bytes.find("%%EOF"), std::string::npos);
  EXPECT_NE(bytes.find("DejaVuSans"), std::string::npos);
  // Two or more pages.
  size_t pages = 0;
  for (size_t at = bytes.find("/Type /Page"); at != std::string::npos; at = bytes.find("/Type /Page", at + 1)) {
    if (bytes.compare(at, 12, "/Type /Pages") != 0) ++pages;
  }
  EXPECT_GE(pages, 2u);
}

}  // namespace
}  // namespace ketachart
