#!/usr/bin/env bash
# Builds the peers Debian does not package — implicit (ALS) and the LightGBM CLI — from the
# unmodified source archives in ../shared/peers (its README says what each is). The builds go to
# $AIFFEL_PEERS_DIR (default ~/.cache/aiffel/peers), outside the repository, so no peer source or
# binary ends up in a commit or a published package, and every clone on the machine shares them.
# A peer already built is kept (delete its folder to rebuild). A missing archive is a message and
# a skip, not a failure: the benchmarks then print "n/a" for that peer and say why.
# Needs Debian's toolchain; installs it with apt-get when missing (root or sudo).
# Usage: bash benchmarks/build-peers.sh [implicit] [lightgbm]   (both when none is named)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="${AIFFEL_PEER_SOURCES:-$here/../../shared/peers}"
out="${AIFFEL_PEERS_DIR:-$HOME/.cache/aiffel/peers}"
want=("$@")
[ ${#want[@]} -eq 0 ] && want=(implicit lightgbm)
mkdir -p "$out"

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "build-peers: installing ${missing[*]} with apt-get"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Unpacks into a scratch folder and moves the result into place only when the build succeeded,
# so an interrupted build never leaves a half-built peer that the benchmarks would pick up.
build_implicit() {
  local archive="$src/implicit-0.7.2.tar.gz" dest="$out/implicit-0.7.2"
  if compgen -G "$dest/implicit/cpu/_als*.so" >/dev/null; then
    echo "build-peers: implicit already built in $dest"; return 0
  fi
  if [ ! -f "$archive" ]; then echo "build-peers: skipping implicit: $archive not found"; return 0; fi
  # tqdm and threadpoolctl are what implicit imports at run time.
  apt_install python3-skbuild cython3 cmake ninja-build g++ python3-dev python3-scipy python3-numpy python3-tqdm python3-threadpoolctl
  local work; work="$(mktemp -d "$out/.implicit.XXXXXX")"
  tar xzf "$archive" -C "$work"
  echo "build-peers: building implicit 0.7.2 (CPU only; a few minutes on 2 cores)"
  (cd "$work/implicit-0.7.2" && IMPLICIT_DISABLE_CUDA=1 /usr/bin/python3 setup.py build_ext --inplace >"$work/build.log" 2>&1) || {
    echo "build-peers: implicit failed to build; the log is $work/build.log" >&2; return 1
  }
  rm -rf "$dest" && mv "$work/implicit-0.7.2" "$dest" && rm -rf "$work"
  echo "build-peers: implicit ready in $dest"
}

build_lightgbm() {
  local archive="$src/LightGBM-4.6.0.tar.gz" dest="$out/lightgbm-4.6.0"
  if [ -x "$dest/lightgbm" ]; then echo "build-peers: LightGBM already built in $dest"; return 0; fi
  for a in "$archive" "$src/fmt-8303d140.tar.gz" "$src/fast_double_parser-252029dd.tar.gz"; do
    if [ ! -f "$a" ]; then echo "build-peers: skipping LightGBM: $a not found"; return 0; fi
  done
  apt_install cmake g++ make libeigen3-dev
  local work; work="$(mktemp -d "$out/.lightgbm.XXXXXX")"
  tar xzf "$archive" -C "$work"
  local lgb="$work/LightGBM-4.6.0"
  # The archive's submodules are empty: the pinned snapshots go in their place, and Eigen comes
  # from Debian. LightGBM asks for CMake 3.28 but builds with Debian 12's 3.25 (only this line).
  rm -rf "$lgb/external_libs/fmt" "$lgb/external_libs/fast_double_parser" "$lgb/external_libs/eigen"
  tar xzf "$src/fmt-8303d140.tar.gz" -C "$lgb/external_libs"
  tar xzf "$src/fast_double_parser-252029dd.tar.gz" -C "$lgb/external_libs"
  ln -s /usr/include/eigen3 "$lgb/external_libs/eigen"
  sed -i 's/cmake_minimum_required(VERSION 3.28)/cmake_minimum_required(VERSION 3.25)/' "$lgb/CMakeLists.txt"
  echo "build-peers: building the LightGBM 4.6.0 CLI with OpenMP (several minutes on 2 cores)"
  (cd "$lgb" && cmake -DCMAKE_BUILD_TYPE=Release . >"$work/build.log" 2>&1 && make -j"$(nproc)" lightgbm >>"$work/build.log" 2>&1) || {
    echo "build-peers: LightGBM failed to build; the log is $work/build.log" >&2; return 1
  }
  mkdir -p "$dest" && cp "$lgb/lightgbm" "$dest/lightgbm" && cp "$lgb/LICENSE" "$dest/LICENSE" && rm -rf "$work"
  echo "build-peers: LightGBM ready: $dest/lightgbm"
}

for peer in "${want[@]}"; do
  case "$peer" in
    implicit) build_implicit ;;
    lightgbm) build_lightgbm ;;
    *) echo "build-peers: unknown peer \"$peer\" (expected implicit or lightgbm)" >&2; exit 2 ;;
  esac
done
