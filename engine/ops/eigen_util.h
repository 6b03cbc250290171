// Eigen views of row-major float buffers, for kernels that use Eigen's GEMM.
#pragma once

#include <Eigen/Core>

namespace archscope::ops {

using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MapMat = Eigen::Map<RowMat>;
using CMapMat = Eigen::Map<const RowMat>;
using MapVec = Eigen::Map<Eigen::VectorXf>;
using CMapVec = Eigen::Map<const Eigen::VectorXf>;

}  // namespace archscope::ops
