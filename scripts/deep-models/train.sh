#!/usr/bin/env bash
# Trains the deep models of assets/models (see train.py) in a Python venv outside git.
#   scripts/deep-models/train.sh [vgg|resnet|vgg-qcfs|resnet-qcfs|all] [train.py options]
# TPPW_VENV: the venv to use or create (default .venv/deep-models in the repository, gitignored); it gets torch 2.5.1,
# numpy < 2 and onnx 1.17 from PyPI when they are missing. Fashion-MNIST comes from Debian's
# dataset-fashion-mnist package (apt-get install dataset-fashion-mnist), or TPPW_FASHION_MNIST.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${TPPW_VENV:-$here/../../.venv/deep-models}"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
if ! "$venv/bin/python" -c 'import torch, numpy, onnx' 2>/dev/null; then
  "$venv/bin/pip" install --quiet torch==2.5.1 'numpy<2' onnx==1.17.0
fi
which="${1:-all}"
shift || true
if [ "$which" = all ]; then models=(vgg resnet vgg-qcfs resnet-qcfs); else models=("$which"); fi
for m in "${models[@]}"; do
  "$venv/bin/python" "$here/train.py" "$m" "$@"
done
