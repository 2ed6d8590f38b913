#!/usr/bin/env bash
# The GPU check for a machine with a hardware GPU (not part of npm test), as one script:
#   1. the GPU kernel tests and the whole-study test on the hardware adapter, which must not be a
#      fallback (TPPW_GPU_REQUIRED=1 turns "skipped" into a failure);
#   2. npm run bench:gpu: webgpu against wasm on the CIFAR-10-sized VGG-style network.
# Needs Node 20+ on PATH (or NODE=/path/to/node), this checkout with node_modules, and a Vulkan
# driver for the GPU (NVIDIA's ICD on an NVIDIA machine). Output goes to ${OUT:-out/device}.
set -euo pipefail
cd "$(dirname "$0")/.."
node="${NODE:-node}"
out="${OUT:-out/device}"
mkdir -p "$out"
export TPPW_GPU_REQUIRED=1
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
"$node" --version | tee "$out/node.txt"
"$node" node_modules/vitest/vitest.mjs run test/engine/neurons/gpu-kernels.test.ts test/engine/experiment/webgpu-study.test.ts 2>&1 | tee "$out/gpu-tests.txt"
"$node" --import tsx bench/gpu.ts --batch "${BATCH:-256}" --cpu-batch "${CPU_BATCH:-32}" --reps "${REPS:-3}" 2>&1 | tee "$out/bench-gpu.txt"
