#!/usr/bin/env bash
# The NIR interop proof (not part of npm test; needs Python 3 and PyPI): the workbench converts
# its demo CNN, exports it as NIR, and the Python peers read and run it. The venv is made once
# under out/peers/venv (torch CPU, nir 1.0.4, sinabs 3.1.3).
#
#   bash bench/peers/run.sh        (or npm run bench:peers)
set -euo pipefail
cd "$(dirname "$0")/../.."
fixtures="${TPPW_FIXTURES:-../shared/fixtures/real}"
images="$fixtures/images/mnist_t10k-images-idx3-ubyte.gz"
labels="$fixtures/images/mnist_t10k-labels-idx1-ubyte.gz"
out=out/peers
venv="$out/venv"
mkdir -p "$out"

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import nir, sinabs, torch' 2>/dev/null; then
  python3 -m venv "$venv"
  # The CPU wheel of torch when its index answers; PyPI's (larger) wheel otherwise.
  "$venv/bin/pip" install -q --index-url https://download.pytorch.org/whl/cpu torch 2>/dev/null || "$venv/bin/pip" install -q torch
  "$venv/bin/pip" install -q nir==1.0.4 sinabs==3.1.3
fi

tppw() { node --import tsx src-main/cli/main.ts "$@"; }
# IF at T = 32 on the first 500 test digits; thresholds p99.9 on 256 digits from the end of the set.
common=(--model assets/demo/mnist-cnn.tppw --images "$images" --labels "$labels" --method if --timesteps 32 --limit 500 --calibration 256 --seeds 1)
tppw convert "${common[@]}" --save-snn "$out/demo.tppw" >/dev/null
tppw convert "${common[@]}" --save-snn "$out/demo.nir" --json --out "$out/demo-run.json" >/dev/null
node --import tsx bench/peers/workbench-if.ts "$out/demo.tppw" "$images" "$out/workbench-if.json" 32 500
"$venv/bin/python" bench/peers/nir_sinabs.py --network "$out/demo.nir" --predictions "$out/workbench-if.json" --images "$images" --labels "$labels" --also "$fixtures/models/sinabs_scnn_mnist.nir"
