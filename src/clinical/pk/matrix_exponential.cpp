// Padé(13) scaling-and-squaring matrix exponential (see matrix_exponential.h).
#include "clinical/pk/matrix_exponential.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ketachart::pk {

SquareMatrix SquareMatrix::Identity(size_t n) {
  SquareMatrix m(n);
  for (size_t i = 0; i < n; ++i) m(i, i) = 1.0;
  return m;
}

SquareMatrix SquareMatrix::operator*(const SquareMatrix& other) const {
  SquareMatrix out(n_);
  for (size_t i = 0; i < n_; ++i) {
    for (size_t k = 0; k < n_; ++k) {
      const double a = (*this)(i, k);
      if (a == 0.0) continue;
      for (size_t j = 0; j < n_; ++j) out(i, j) += a * other(k, j);
    }
  }
  return out;
}

SquareMatrix SquareMatrix::operator+(const SquareMatrix& other) const {
  SquareMatrix out(*this);
  for (size_t i = 0; i < data_.size(); ++i) out.data_[i] += other.data_[i];
  return out;
}

SquareMatrix SquareMatrix::operator-(const SquareMatrix& other) const {
  SquareMatrix out(*this);
  for (size_t i = 0; i < data_.size(); ++i) out.data_[i] -= other.data_[i];
  return out;
}

SquareMatrix SquareMatrix::Scaled(double factor) const {
  SquareMatrix out(*this);
  for (double& v : out.data_) v *= factor;
  return out;
}

std::vector<double> SquareMatrix::Apply(const std::vector<double>& x) const {
  std::vector<double> y(n_, 0.0);
  for (size_t i = 0; i < n_; ++i) {
    double sum = 0;
    for (size_t j = 0; j < n_; ++j) sum += (*this)(i, j) * x[j];
    y[i] = sum;
  }
  return y;
}

double SquareMatrix::OneNorm() const {
  double best = 0;
  for (size_t j = 0; j < n_; ++j) {
    double sum = 0;
    for (size_t i = 0; i < n_; ++i) sum += std::fabs((*this)(i, j));
    best = std::max(best, sum);
  }
  return best;
}

namespace {

// Solves Q X = P for X by Gaussian elimination with partial pivoting.
SquareMatrix Solve(SquareMatrix q, SquareMatrix p) {
  const size_t n = q.size();
  for (size_t col = 0; col < n; ++col) {
    size_t pivot = col;
    for (size_t r = col + 1; r < n; ++r) {
      if (std::fabs(q(r, col)) > std::fabs(q(pivot, col))) pivot = r;
    }
    if (q(pivot, col) == 0.0) throw std::logic_error("MatrixExponential: singular Padé denominator");
    if (pivot != col) {
      for (size_t j = 0; j < n; ++j) {
        std::swap(q(col, j), q(pivot, j));
        std::swap(p(col, j), p(pivot, j));
      }
    }
    for (size_t r = col + 1; r < n; ++r) {
      const double f = q(r, col) / q(col, col);
      if (f == 0.0) continue;
      for (size_t j = col; j < n; ++j) q(r, j) -= f * q(col, j);
      for (size_t j = 0; j < n; ++j) p(r, j) -= f * p(col, j);
    }
  }
  for (size_t col = n; col-- > 0;) {
    for (size_t j = 0; j < n; ++j) {
      double v = p(col, j);
      for (size_t k = col + 1; k < n; ++k) v -= q(col, k) * p(k, j);
      p(col, j) = v / q(col, col);
    }
  }
  return p;
}

}  // namespace

SquareMatrix MatrixExponential(const SquareMatrix& input) {
  // Higham, "The scaling and squaring method for the matrix exponential
  // revisited", SIAM J Matrix Anal Appl 2005;26:1179 (Padé degree 13).
  static constexpr double b[] = {64764752532480000.0, 32382376266240000.0, 7771770303897600.0,
                                 1187353796428800.0,  129060195264000.0,   10559470521600.0,
                                 670442572800.0,      33522128640.0,       1323241920.0,
                                 40840800.0,          960960.0,            16380.0,
                                 182.0,               1.0};
  constexpr double kTheta13 = 5.371920351148152;
  const size_t n = input.size();
  const double norm = input.OneNorm();
  int squarings = 0;
  if (norm > kTheta13) squarings = static_cast<int>(std::ceil(std::log2(norm / kTheta13)));
  const SquareMatrix a = input.Scaled(std::ldexp(1.0, -squarings));
  const SquareMatrix id = SquareMatrix::Identity(n);
  const SquareMatrix a2 = a * a;
  const SquareMatrix a4 = a2 * a2;
  const SquareMatrix a6 = a4 * a2;
  const SquareMatrix u_inner = a6 * (a6.Scaled(b[13]) + a4.Scaled(b[11]) + a2.Scaled(b[9])) + a6.Scaled(b[7]) +
                               a4.Scaled(b[5]) + a2.Scaled(b[3]) + id.Scaled(b[1]);
  const SquareMatrix u = a * u_inner;
  const SquareMatrix v = a6 * (a6.Scaled(b[12]) + a4.Scaled(b[10]) + a2.Scaled(b[8])) + a6.Scaled(b[6]) +
                         a4.Scaled(b[4]) + a2.Scaled(b[2]) + id.Scaled(b[0]);
  SquareMatrix result = Solve(v - u, v + u);
  for (int i = 0; i < squarings; ++i) result = result * result;
  return result;
}

}  // namespace ketachart::pk
