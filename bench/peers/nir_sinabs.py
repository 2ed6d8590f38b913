"""NIR interop proof: the NIR files the workbench exports, read by other tools.

1. `nir.read` (nir 1.0.4) reads every .nir file given, the reference file from sinabs included.
2. `sinabs.from_nir` (sinabs 3.1.3, with nirtorch's graph executor) builds the exported demo network and runs it on the same MNIST
   digits the workbench simulated: direct coding (the analog image x*scale + offset, from the
   file's metadata, at every one of T steps), the output summed over the steps, argmax. Its
   predictions are compared with the workbench's IF predictions (workbench-if.ts).
3. nir_reference.py, a plain reading of the NIR 1.0 equations in torch, does the same.

sinabs' IAF emits several spikes in one step when v reaches several thresholds (MultiSpike, its
default); the workbench's IF emits at most one spike per step (METHODS.md). Both are reported: as
loaded, and with SingleSpike (the workbench's rule), which is the like-for-like comparison.

    python nir_sinabs.py --network demo.nir --predictions if.json --images t10k-images.gz [--also A.nir ...]
"""

import argparse
import gzip
import json
import sys

import nir
import numpy as np
import sinabs
import sinabs.activation as sa
import torch
from nir_reference import simulate


def mnist_images(path: str, n: int) -> np.ndarray:
    with (gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")) as f:
        data = f.read()
    count, rows, cols = (int.from_bytes(data[i : i + 4], "big") for i in (4, 8, 12))
    images = np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows, cols)
    return images[:n].astype(np.float32)


def predict(graph: nir.NIRGraph, images: np.ndarray, timesteps: int, single_spike: bool) -> np.ndarray:
    scale = float(graph.metadata.get("input_scale", 1.0))
    offset = float(graph.metadata.get("input_offset", 0.0))
    batch = 50
    predictions = []
    for start in range(0, len(images), batch):
        x = torch.tensor(images[start : start + batch] * scale + offset).unsqueeze(1)  # [B, 1, H, W]
        b = x.shape[0]
        model = sinabs.from_nir(graph, batch_size=b)
        if single_spike:
            for module in model.modules():
                if isinstance(module, sinabs.layers.IAFSqueeze):
                    module.spike_fn = sa.SingleSpike
        model.eval()
        # IAFSqueeze takes [B*T, ...] batch-major: sample b's step t is row b*T + t.
        steps = x.unsqueeze(1).expand(b, timesteps, *x.shape[1:]).reshape(b * timesteps, *x.shape[1:])
        with torch.no_grad():
            out = model(steps)
        # nirtorch's graph executor answers (output, state); older sinabs versions the output alone.
        if isinstance(out, tuple):
            out = out[0]
        predictions.append(out.reshape(b, timesteps, -1).sum(1).argmax(1).numpy())
    return np.concatenate(predictions)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--network", required=True)
    p.add_argument("--predictions", required=True)
    p.add_argument("--images", required=True)
    p.add_argument("--labels")
    p.add_argument("--also", nargs="*", default=[])
    args = p.parse_args()

    for path in [args.network, *args.also]:
        g = nir.read(path)
        kinds = sorted({type(n).__name__ for n in g.nodes.values()})
        print(f"nir.read {path}: {len(g.nodes)} nodes ({', '.join(kinds)}), {len(g.edges)} edges")

    wb = json.load(open(args.predictions))
    timesteps, n = int(wb["T"]), int(wb["samples"])
    ours = np.array(wb["predictions"])
    graph = nir.read(args.network)
    images = mnist_images(args.images, n)
    labels = None
    if args.labels:
        with gzip.open(args.labels, "rb") as f:
            labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)[:n]
    result = {}
    for single in (True, False):
        theirs = predict(graph, images, timesteps, single)
        agree = float((theirs == ours).mean())
        name = "SingleSpike" if single else "MultiSpike (sinabs default)"
        line = f"sinabs {sinabs.__version__} from_nir, {name}, T = {timesteps}: agrees with the workbench's IF on {agree * 100:.2f}% of {n} digits"
        if labels is not None:
            line += f" (accuracy: sinabs {(theirs == labels).mean() * 100:.2f}%, workbench {(ours == labels).mean() * 100:.2f}%)"
        print(line)
        result[name] = agree
    # The plain reading of the specification (nir_reference.py), a second peer.
    scale = float(graph.metadata.get("input_scale", 1.0))
    offset = float(graph.metadata.get("input_offset", 0.0))
    x = torch.tensor((images * scale + offset).astype(np.float32)).unsqueeze(1)
    plain = np.concatenate([simulate(graph, x[i : i + 100], timesteps).argmax(1).numpy() for i in range(0, n, 100)])
    agree = float((plain == ours).mean())
    line = f"plain NIR 1.0 reading (nir_reference.py), T = {timesteps}: agrees with the workbench's IF on {agree * 100:.2f}% of {n} digits"
    if labels is not None:
        line += f" (accuracy {(plain == labels).mean() * 100:.2f}%)"
    print(line)
    result["plain NIR reading"] = agree
    print(json.dumps({"agreement": result, "samples": n, "T": timesteps}))
    return 0 if result["SingleSpike"] >= 0.99 and result["plain NIR reading"] >= 0.99 else 1


if __name__ == "__main__":
    sys.exit(main())
