// The counter-based hash behind the simulator's randomness: a value is a
// function of (seed, patient, channel, key) alone, with no generator state,
// so simulated vitals are reproducible for a seed and can be computed in any
// order. Not for cryptography. Pure; thread-safe.
#pragma once

#include <cstdint>

namespace ketachart::sim {

// SplitMix64's finaliser (Steele, Lea and Flood, "Fast splittable
// pseudorandom number generators", OOPSLA 2014): a bijective 64-bit mix
// whose outputs pass BigCrush when fed a counter.
inline uint64_t SplitMix64(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

inline uint64_t CounterHash(uint64_t seed, uint32_t patient, uint32_t channel, int64_t key) {
  uint64_t h = SplitMix64(seed);
  h = SplitMix64(h ^ patient);
  h = SplitMix64(h ^ channel);
  return SplitMix64(h ^ static_cast<uint64_t>(key));
}

// A uniform value in the open interval (0, 1) from the top 53 bits.
inline double UnitInterval(uint64_t bits) {
  return (static_cast<double>(bits >> 11) + 0.5) / 9007199254740992.0;  // 2^53
}

}  // namespace ketachart::sim
