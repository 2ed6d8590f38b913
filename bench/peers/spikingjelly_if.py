"""SpikingJelly's ann2snn IF conversion of an ONNX model, timed (run by bench/peers/cpu-speed.sh).

The model is read with onnx2torch; SpikingJelly 0.0.0.0.14's Converter in 'max' mode, fed the
calibration images as one batch, sets each ReLU's scale to the maximum of its activations on them
(what `tppw convert --threshold max` computes) and replaces it by VoltageScaler(1/s) → IFNode
(threshold 1, soft reset) → VoltageScaler(s): IF with θ = s, subtract reset, v0 = 0. The SNN sees
the analog image at every step and the class is the argmax of the output summed over T. Prints
one JSON object: accuracies, the timed parts in seconds and the torch threads used.
"""
import argparse
import gzip
import json
import time

import numpy as np
import onnx
import onnx2torch
import torch
from spikingjelly.activation_based import ann2snn, functional


def idx(path):
    with (gzip.open if path.endswith('.gz') else open)(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', required=True)
    ap.add_argument('--images', required=True)
    ap.add_argument('--labels', required=True)
    ap.add_argument('--limit', type=int, default=500)
    ap.add_argument('--calibration', type=int, default=256)
    ap.add_argument('--timesteps', type=int, default=32)
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--threads', type=int, default=0)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    images = torch.from_numpy(idx(args.images).astype(np.float32) / 255.0).unsqueeze(1)
    labels = torch.from_numpy(idx(args.labels).astype(np.int64))
    test, test_labels = images[:args.limit], labels[:args.limit]
    calibration = images[-args.calibration:]  # the last samples, as tppw's default

    started = time.perf_counter()
    ann = onnx2torch.convert(onnx.load(args.model)).eval()
    with torch.no_grad():
        ann_correct = sum(int((ann(test[i:i + args.batch]).argmax(1) == test_labels[i:i + args.batch]).sum()) for i in range(0, len(test), args.batch))
        t0 = time.perf_counter()
        snn = ann2snn.Converter(dataloader=[(calibration, None)], mode='max', fuse_flag=False)(ann).eval()
        t1 = time.perf_counter()
        correct = 0
        for i in range(0, len(test), args.batch):
            x = test[i:i + args.batch]
            functional.reset_net(snn)
            out = sum(snn(x) for _ in range(args.timesteps))
            correct += int((out.argmax(1) == test_labels[i:i + args.batch]).sum())
        t2 = time.perf_counter()
    print(json.dumps({
        'annAccuracy': ann_correct / len(test),
        'snnAccuracy': correct / len(test),
        'conversionS': t1 - t0,
        'simulationS': t2 - t1,
        'jobS': t2 - started,
        'threads': torch.get_num_threads(),
        'torch': torch.__version__,
    }))


if __name__ == '__main__':
    main()
