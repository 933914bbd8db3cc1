// SVG concentration chart (see svg_chart.h).
#include "clinical/pk/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace ketachart::pk {
namespace {

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

double NiceStep(double range) {
  const double raw = range / 6;
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  for (double f : {1.0, 2.0, 5.0, 10.0}) {
    if (raw <= f * magnitude) return f * magnitude;
  }
  return 10 * magnitude;
}

}  // namespace

std::string ConcentrationChartSvg(const std::string& title, const std::vector<ChartSeries>& series,
                                  const std::vector<ChartBand>& bands) {
  constexpr double width = 720, height = 400, left = 70, right = 20, top = 40, bottom = 50;
  double x_max = 1, y_max = kDissociationBandHighNgPerMl * 1.1;
  for (const auto& s : series) {
    for (const auto& [x, y] : s.points) x_max = std::max(x_max, x), y_max = std::max(y_max, y * 1.05);
  }
  for (const auto& b : bands) {
    for (const auto& p : b.points) x_max = std::max(x_max, p.minute), y_max = std::max(y_max, p.high * 1.05);
  }
  auto sx = [&](double x) { return left + x / x_max * (width - left - right); };
  auto sy = [&](double y) { return height - bottom - y / y_max * (height - top - bottom); };
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n<title>{2}</title>\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{3}\" y=\"22\" font-size=\"15\">{2}</text>\n",
      width, height, Escape(title), left);
  svg += fmt::format(
      "<rect class=\"dissociation-band\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#f4c542\" "
      "fill-opacity=\"0.25\"><title>100-250 ng/mL: plasma range associated with dissociation (Krystal 1994; "
      "Zanos 2018 Table 1)</title></rect>\n",
      sx(0), sy(kDissociationBandHighNgPerMl), sx(x_max) - sx(0),
      sy(kDissociationBandLowNgPerMl) - sy(kDissociationBandHighNgPerMl));
  const double x_step = NiceStep(x_max), y_step = NiceStep(y_max);
  for (double x = 0; x <= x_max + 1e-9; x += x_step) {
    svg += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\" stroke=\"#ddd\"/>"
                       "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4:g}</text>\n",
                       sx(x), sy(0), sy(y_max), sy(0) + 18, x);
  }
  for (double y = 0; y <= y_max + 1e-9; y += y_step) {
    svg += fmt::format("<line x1=\"{0:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#ddd\"/>"
                       "<text x=\"{3:.1f}\" y=\"{4:.1f}\" text-anchor=\"end\">{5:g}</text>\n",
                       sx(0), sx(x_max), sy(y), sx(0) - 6, sy(y) + 4, y);
  }
  svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">minutes</text>\n", (left + width - right) / 2,
                     height - 10);
  svg += fmt::format("<text x=\"16\" y=\"{:.1f}\" transform=\"rotate(-90 16 {:.1f})\" text-anchor=\"middle\">plasma "
                     "ng/mL</text>\n",
                     (top + height - bottom) / 2, (top + height - bottom) / 2);
  for (const auto& b : bands) {
    std::string path;
    for (const auto& p : b.points) path += fmt::format("{}{:.2f},{:.2f}", path.empty() ? "M" : " L", sx(p.minute), sy(p.high));
    for (auto it = b.points.rbegin(); it != b.points.rend(); ++it) path += fmt::format(" L{:.2f},{:.2f}", sx(it->minute), sy(it->low));
    svg += fmt::format("<path class=\"band\" d=\"{} Z\" fill=\"#4a7bd0\" fill-opacity=\"0.2\"><title>{}</title></path>\n",
                       path, Escape(b.name));
  }
  const char* colours[] = {"#1f4e9c", "#b23a48", "#2a8c55"};
  for (size_t i = 0; i < series.size(); ++i) {
    std::string points;
    for (const auto& [x, y] : series[i].points) points += fmt::format("{:.2f},{:.2f} ", sx(x), sy(y));
    svg += fmt::format("<polyline class=\"series\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\">"
                       "<title>{}</title></polyline>\n",
                       colours[i % 3], points, Escape(series[i].name));
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"{}\">{}</text>\n", width - right - 220,
                       top + 16 + 16 * static_cast<double>(i), colours[i % 3], Escape(series[i].name));
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace ketachart::pk
