// A small dense square matrix and its exponential, the exact propagator of a
// linear compartment system over one constant-input interval: for
// x' = A x + u, x(t+h) = e^{Ah} x(t) + (integral_0^h e^{As} ds) u, both read
// off e^{Mh} of the augmented matrix M = [[A, u], [0, 0]]. Padé(13) with
// scaling and squaring (Higham 2005), accurate to a few ulps of the norm for
// the well-conditioned, small (n <= 16) matrices of pharmacokinetic models.
// Values; thread-safe.
#pragma once

#include <cstddef>
#include <vector>

namespace ketachart::pk {

class SquareMatrix {
 public:
  SquareMatrix() = default;
  explicit SquareMatrix(size_t n) : n_(n), data_(n * n, 0.0) {}
  static SquareMatrix Identity(size_t n);

  size_t size() const { return n_; }
  double& operator()(size_t row, size_t column) { return data_[row * n_ + column]; }
  double operator()(size_t row, size_t column) const { return data_[row * n_ + column]; }
  const double* data() const { return data_.data(); }

  SquareMatrix operator*(const SquareMatrix& other) const;
  SquareMatrix operator+(const SquareMatrix& other) const;
  SquareMatrix operator-(const SquareMatrix& other) const;
  SquareMatrix Scaled(double factor) const;
  // y = this * x.
  std::vector<double> Apply(const std::vector<double>& x) const;
  double OneNorm() const;

 private:
  size_t n_ = 0;
  std::vector<double> data_;
};

// e^{A}.
SquareMatrix MatrixExponential(const SquareMatrix& a);

}  // namespace ketachart::pk
