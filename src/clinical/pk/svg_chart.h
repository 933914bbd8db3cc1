// A self-contained SVG chart of predicted concentration over time, with the
// 100-250 ng/mL plasma range associated with dissociation after 0.5 mg/kg
// over 40 min (Krystal 1994 via Zanos 2018 Table 1, clinical-reference.md A4)
// shaded as a reference band. Pure; thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ketachart::pk {

struct ChartSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (minute, ng/mL)
};
struct ChartBandPoint {
  double minute, low, high;
};
struct ChartBand {
  std::string name;
  std::vector<ChartBandPoint> points;
};

// Dissociation range from clinical-reference.md A4 (ng/mL).
inline constexpr double kDissociationBandLowNgPerMl = 100;
inline constexpr double kDissociationBandHighNgPerMl = 250;

std::string ConcentrationChartSvg(const std::string& title, const std::vector<ChartSeries>& series,
                                  const std::vector<ChartBand>& bands);

}  // namespace ketachart::pk
