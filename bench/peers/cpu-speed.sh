#!/usr/bin/env bash
# CPU speed against SpikingJelly (not part of npm test; needs Python 3, PyPI and Debian's
# dataset-fashion-mnist): the same ONNX model, images, thresholds (the maximum activation on the
# same 256 calibration images), IF with subtract reset and v0 = 0, and T, on the same cores. Both
# do the same job after loading: the ANN on the test images, the calibration, the conversion and
# the SNN at T. Prints both accuracies (which must agree), image·steps/s of the simulation alone
# (the workbench's simulateMs, SpikingJelly's timed loop over the batches) and of the whole job on
# each side, and the ratios workbench / SpikingJelly.
#
#   bash bench/peers/cpu-speed.sh [--model assets/models/resnet.onnx] [--limit 500] [--timesteps 32] [--reps 2]
set -euo pipefail
cd "$(dirname "$0")/../.."
model=assets/models/resnet.onnx limit=500 timesteps=32 reps=2
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --limit) limit="$2"; shift 2 ;;
    --timesteps) timesteps="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
data=/usr/share/datasets/fashion-mnist
images="$data/t10k-images-idx3-ubyte.gz"
labels="$data/t10k-labels-idx1-ubyte.gz"
[ -f "$images" ] || { echo "needs Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist)" >&2; exit 1; }
out=out/peers
venv="$out/venv"
mkdir -p "$out"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
if ! "$venv/bin/python" -c 'import torch' 2>/dev/null; then
  "$venv/bin/pip" install -q --index-url https://download.pytorch.org/whl/cpu torch 2>/dev/null || "$venv/bin/pip" install -q torch
fi
if ! "$venv/bin/python" -c 'import spikingjelly.activation_based.ann2snn, onnx2torch' 2>/dev/null; then
  "$venv/bin/pip" install -q "spikingjelly==0.0.0.0.14" onnx onnx2torch tqdm scipy requests
fi

# the workbench as users run it: the tppw command, from the build (bin/tppw.js runs it when fresh)
npm run -s build > /dev/null
cores=$(nproc)
common=(--model "$model" --images "$images" --labels "$labels" --limit "$limit" --calibration 256)
best_sj="" best_wb=""
for rep in $(seq "$reps"); do
  "$venv/bin/python" -W ignore bench/peers/spikingjelly_if.py "${common[@]}" --timesteps "$timesteps" --threads "$cores" > "$out/sj-$rep.json" 2>/dev/null
  node bin/tppw.js convert "${common[@]}" --scale 0.00392156862745098 --method if --timesteps "$timesteps" \
    --threshold max --seeds 1 --workers "$cores" --json --out "$out/wb-$rep.json" > /dev/null 2>&1
done
"$venv/bin/python" - "$out" "$reps" "$limit" "$timesteps" "$cores" <<'EOF'
import json, sys
out, reps, n, T, cores = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
sj = [json.load(open(f'{out}/sj-{r}.json')) for r in range(1, reps + 1)]
wb = [json.load(open(f'{out}/wb-{r}.json')) for r in range(1, reps + 1)]
s = min(sj, key=lambda r: r['jobS'])
w = min(wb, key=lambda r: r['wallMs'])
wacc = w['results'][0]['accuracy']['mean']
print(f"{n} images, T = {T}, IF (max thresholds, subtract reset, v0 = 0), {cores} cores; best of {reps}")
print(f"accuracy   ANN: SpikingJelly {100 * s['annAccuracy']:.1f}%  workbench {100 * w['ann']['accuracy']:.1f}%   SNN: SpikingJelly {100 * s['snnAccuracy']:.1f}%  workbench {100 * wacc:.1f}%")
print(f"workbench {w['backend']}, SpikingJelly on torch {s['torch']} ({s['threads']} threads)")
for what, sj_s, wb_s in [('simulation', s['simulationS'], w['simulateMs'] / 1000), ('whole job', s['jobS'], w['wallMs'] / 1000)]:
    sj_rate, wb_rate = n * T / sj_s, n * T / wb_s
    print(f"{what:11} SpikingJelly {sj_s:6.2f} s {sj_rate:7.0f} image·steps/s   workbench {wb_s:6.2f} s {wb_rate:7.0f} image·steps/s   ratio {wb_rate / sj_rate:.2f}")
if abs(s['snnAccuracy'] - wacc) * n > 1 or abs(s['annAccuracy'] - w['ann']['accuracy']) * n > 1:
    sys.exit('the accuracies differ by more than one image: not the same computation')
EOF
