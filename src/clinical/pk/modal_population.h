// The fast path of population simulation for mammillary IV models (Domino,
// Clements & Nimmo, Hijazi, Fanta, Simons) on a uniform time grid. Each
// virtual patient's plasma response is a sum of exponential modes
// c(t) = sum_i coef_i e^{-alpha_i t} per mg given, whose exponents are the
// closed-form roots of the model's characteristic polynomial (quadratic or
// cubic). Over one grid step each mode is then advanced exactly by
// y_i <- e^{-alpha_i h} y_i + input_i, which is the arithmetic minimum for
// an exact update: per step and mode one multiply, one add while a pump runs,
// and n - 1 adds for the plasma sum. Patients are processed in blocks of
// 256; with AVX2/FMA (checked at run time) 16 patients' modes stay in
// registers for the whole grid and each time point's 16 floats go out as one
// streaming-stored cache line; otherwise a portable loop the compiler
// vectorises across patients. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "clinical/pk/dosing_plan.h"
#include "clinical/pk/units.h"

namespace ketachart::pk {

// Plasma response of a 1-, 2- or 3-compartment mammillary model with
// elimination from the central compartment.
struct PlasmaModes {
  int count = 0;
  double alpha[3] = {0, 0, 0};  // 1/min, positive
  double coef[3] = {0, 0, 0};   // ng/mL per mg given into central
};

// The modes from micro rate constants (per minute) and V1 (L); k13 = k31 = 0
// for two compartments, k12 = k21 = 0 as well for one. Empty when two
// exponents (nearly) coincide, where the closed form is ill-conditioned.
std::optional<PlasmaModes> ModesFromMicroConstants(double v1_l, double k10, double k12, double k21, double k13,
                                                   double k31);

// ModesFromMicroConstants for n patients at once, micro[j][p] the j-th of
// (v1, k10, k12, k21, k13, k31) of patient p: out[p] is set and ok[p] true
// where ModesFromMicroConstants gives a value, ok[p] false where it is empty.
// With AVX2/FMA, cubics are solved four patients at a time with the
// vectorised acos and sin/cos of vector_math, so the exponents can differ
// from ModesFromMicroConstants in the last bits.
void ModesFromMicroConstantsMany(const double* const micro[6], size_t n, PlasmaModes* out, bool* ok);

// A plan laid on a uniform grid t_k = k h, k = 0..count-1: the infusion rate
// during each step and the bolus given at each grid point.
struct GridPlan {
  double step = 1;
  size_t count = 0;
  std::vector<double> rate_mg_per_min;  // during [t_k, t_k+1)
  std::vector<double> bolus_mg;         // at t_k
};

// The grid form of `plan` at `times`, or empty when `times` is not a uniform
// grid from 0, an event falls between grid points, or the plan has
// intranasal doses.
std::optional<GridPlan> LayOnGrid(const DosingPlan& plan, const std::vector<Minutes>& times);

// Simulates `patients` (one PlasmaModes each) through `grid`, writing the
// plasma concentration of patient p at point k to out[k * stride + p].
void SimulateModes(const std::vector<PlasmaModes>& patients, const GridPlan& grid, float* out, size_t stride);

// Flops the recursion needs for one patient on `grid` with `modes` modes:
// per step, one multiply per mode, one add per mode while input runs, and
// modes - 1 adds for the sum.
double RecursionFlopsPerPatient(const GridPlan& grid, int modes);

}  // namespace ketachart::pk
