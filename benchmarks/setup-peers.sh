#!/usr/bin/env bash
# Installs the Python peers the benchmarks compare against, from Debian's packages (PyPI is not
# reachable here). They run with /usr/bin/python3. Needs root (or sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  python3-numpy python3-scipy python3-sklearn python3-xgboost python3-torch python3-opencv
/usr/bin/python3 -c "import numpy, scipy, sklearn, xgboost, torch, cv2; print('peers ok: numpy', numpy.__version__, 'torch', torch.__version__, 'sklearn', sklearn.__version__, 'xgboost', xgboost.__version__, 'opencv', cv2.__version__)"
