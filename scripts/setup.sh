#!/usr/bin/env bash
# Installs the Debian packages xbar needs (only those missing), as root or through sudo.
set -euo pipefail

packages=(
  build-essential cmake
  ngspice libngspice0-dev        # the reference simulator: program and shared library
  libeigen3-dev                  # dense/sparse linear algebra
  libsuitesparse-dev             # CHOLMOD (supernodal Cholesky, METIS ordering): the native solver on large arrays
  libopenblas0-pthread           # CHOLMOD's dense kernels: ~1.5x reference BLAS on 1024x1024, same bits for any thread count
  libboost-graph-dev             # circuit connectivity checks
  libyaml-cpp-dev                # spec files
  doctest-dev                    # tests
  nlohmann-json3-dev             # JSON reports
  coinor-libcbc-dev pkg-config   # the MIP solver the solver benchmark compares with
  gnuplot-nox                    # Monte Carlo plots (PNG, SVG)
  libopenmpi-dev openmpi-bin     # xbar mc over MPI ranks (mpirun)
  libonnx-dev libprotobuf-dev    # ONNX models and tensors (CNN layers)
  zlib1g-dev                     # gzip-compressed IDX datasets (Fashion-MNIST as Debian ships it)
  dataset-fashion-mnist          # the thesis' dataset (§4.3); the IDX reader's test reads it
  libonnx-testdata               # ONNX's own Conv test cases, run by the tests
  python3                        # the tests unpack .npz archives; header recipes are extracted by a script
  clang libclang-rt-14-dev       # libFuzzer for the fuzz targets (scripts/fuzz.sh), run by CI
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
