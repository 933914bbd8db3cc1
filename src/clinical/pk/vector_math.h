// Array forms of the transcendental functions the population fast path needs
// per virtual patient (exp, acos, sin/cos, Box-Muller), evaluated four lanes
// at a time with AVX2/FMA where the CPU has them (selected at run time) and
// with the C library otherwise. The vector forms are polynomial / series
// evaluations accurate to a few units in the last place (the tests hold them
// to the C library within 1e-15 relative, 2e-16 absolute for sin/cos), so
// results can differ from the scalar path in the last bits only. Pure; thread-safe.
#pragma once

#include <cstddef>

namespace ketachart::pk {

// x[i] <- e^{x[i]}, for x in [-708, 709] (outside: clamped to that range).
void ExpInPlace(double* x, size_t n);

// x[i] <- acos(x[i]) for x in [-1, 1] (outside: clamped).
void AcosInPlace(double* x, size_t n);

// s[i] = sin(x[i]), c[i] = cos(x[i]) for |x| <= pi (larger arguments: C library).
void SinCos(const double* x, double* s, double* c, size_t n);

// Box-Muller on (0, 1] uniforms u1 and [0, 1) uniforms u2: for each pair j,
// out[2j] = sqrt(-2 log u1[j]) cos(2 pi u2[j]) and out[2j+1] the sine.
void BoxMuller(const double* u1, const double* u2, double* out, size_t pairs);

// True when the AVX2/FMA forms are in use.
bool VectorMathHasAvx2();

}  // namespace ketachart::pk
