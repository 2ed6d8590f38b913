"""Trains the workbench's own deep models on Fashion-MNIST and exports them to ONNX.

Four networks, each small enough to train in about 10-15 minutes of CPU on 2 cores:
  vgg      VGG-style: 6 conv 3x3 (16, 16, 32, 32, 64, 64; BN, ReLU; avg pool after each pair),
           dense 128, dense 128, dense 10: 8 spiking layers in a chain.
  resnet   ResNet-style: a conv stem (16) and three basic blocks (16, 32/2, 64/2; BN, ReLU,
           identity or 1x1-conv shortcuts, ReLU after the add), global average pool, dense 10:
           7 spiking layers, 7 on the longest path.
  vgg-qcfs, resnet-qcfs: the same with every ReLU replaced by QCFS (Bu et al., ICLR 2022):
           λ·clip(floor(z·L/λ + 1/2)/L, 0, 1) with a trained λ per layer, L levels, floor's
           gradient passed straight through. The export spells it as the workbench's importer
           recognises it (Div λ, Mul L, Add ½, Floor, Div L, Clip 0..1, Mul λ).

Inputs are x/255 in [0, 1] (NCHW [N, 1, 28, 28]); convert with --scale 0.00392156862745098.
Writes assets/models/<name>.onnx and assets/models/<name>.json (settings, per-epoch accuracy on
the 10,000 test images, accuracy on the first 1,000, and the logits of the first 32 test images
for the workbench's import test). Run through scripts/deep-models/train.sh, which makes the venv.
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
OUT = os.path.join(ROOT, 'assets', 'models')
DATA = os.environ.get('TPPW_FASHION_MNIST', '/usr/share/datasets/fashion-mnist')


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(split):
    prefix = 'train' if split == 'train' else 't10k'
    x = read_idx(os.path.join(DATA, f'{prefix}-images-idx3-ubyte.gz')).astype(np.float32) / 255.0
    y = read_idx(os.path.join(DATA, f'{prefix}-labels-idx1-ubyte.gz')).astype(np.int64)
    return torch.from_numpy(x[:, None, :, :].copy()), torch.from_numpy(y.copy())


class Qcfs(nn.Module):
    """QCFS activation with a trained λ (one per layer) and L levels."""

    def __init__(self, levels, lam):
        super().__init__()
        self.levels = levels
        self.lam = nn.Parameter(torch.tensor([lam], dtype=torch.float32))
        self.exporting = False

    def forward(self, x):
        y = x / self.lam
        y = y * self.levels
        y = y + 0.5
        # Straight-through floor while training; a plain Floor in the exported graph.
        y = torch.floor(y) if self.exporting else y + (torch.floor(y) - y).detach()
        y = y / self.levels
        y = torch.clamp(y, 0.0, 1.0)
        return y * self.lam


def activation(kind, levels, lam):
    return Qcfs(levels, lam) if kind == 'qcfs' else nn.ReLU()


def conv_bn(cin, cout, stride=1, kernel=3):
    return [nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2, bias=False), nn.BatchNorm2d(cout)]


class Vgg(nn.Module):
    def __init__(self, act, levels, lam):
        super().__init__()
        layers = []
        cin = 1
        for i, cout in enumerate([16, 16, 32, 32, 64, 64]):
            layers += conv_bn(cin, cout) + [activation(act, levels, lam)]
            if i % 2 == 1:
                layers.append(nn.AvgPool2d(2))
            cin = cout
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(64 * 3 * 3, 128), activation(act, levels, lam), nn.Linear(128, 128), activation(act, levels, lam), nn.Linear(128, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


class Block(nn.Module):
    def __init__(self, cin, cout, stride, act, levels, lam):
        super().__init__()
        self.body = nn.Sequential(*conv_bn(cin, cout, stride), activation(act, levels, lam), *conv_bn(cout, cout))
        self.shortcut = nn.Sequential(*conv_bn(cin, cout, stride, kernel=1)) if stride != 1 or cin != cout else nn.Identity()
        self.act = activation(act, levels, lam)

    def forward(self, x):
        return self.act(self.body(x) + self.shortcut(x))


class ResNet(nn.Module):
    def __init__(self, act, levels, lam):
        super().__init__()
        self.stem = nn.Sequential(*conv_bn(1, 16), activation(act, levels, lam))
        self.blocks = nn.Sequential(Block(16, 16, 1, act, levels, lam), Block(16, 32, 2, act, levels, lam), Block(32, 64, 2, act, levels, lam))
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        y = self.blocks(self.stem(x))
        return self.head(torch.flatten(F.adaptive_avg_pool2d(y, 1), 1))


def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('model', choices=['vgg', 'resnet', 'vgg-qcfs', 'resnet-qcfs'])
    parser.add_argument('--epochs', type=int, default=3)
    parser.add_argument('--batch', type=int, default=128)
    parser.add_argument('--lr', type=float, default=2e-3)
    parser.add_argument('--levels', type=int, default=4, help='QCFS quantisation levels L')
    parser.add_argument('--lambda-init', type=float, default=3.0, help='QCFS initial λ')
    parser.add_argument('--seed', type=int, default=20250214)
    parser.add_argument('--threads', type=int, default=2)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    arch, _, act = args.model.partition('-')
    act = act or 'relu'
    net = (Vgg if arch == 'vgg' else ResNet)(act, args.levels, args.lambda_init)
    x_train, y_train = load('train')
    x_test, y_test = load('test')
    optimiser = torch.optim.Adam(net.parameters(), lr=args.lr)
    steps = args.epochs * ((len(x_train) + args.batch - 1) // args.batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=args.lr, total_steps=steps)
    generator = torch.Generator().manual_seed(args.seed)
    history = []
    started = time.time()
    for epoch in range(args.epochs):
        net.train()
        order = torch.randperm(len(x_train), generator=generator)
        for i in range(0, len(x_train), args.batch):
            idx = order[i:i + args.batch]
            loss = F.cross_entropy(net(x_train[idx]), y_train[idx])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
        accuracy = evaluate(net, x_test, y_test)
        history.append({'epoch': epoch + 1, 'testAccuracy': accuracy, 'seconds': round(time.time() - started, 1)})
        print(json.dumps(history[-1]), flush=True)

    net.eval()
    for m in net.modules():
        if isinstance(m, Qcfs):
            m.exporting = True
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, f'{args.model}.onnx')
    torch.onnx.export(net, torch.zeros(1, 1, 28, 28), path, opset_version=13, input_names=['x'], output_names=['logits'],
                      dynamic_axes={'x': {0: 'batch'}, 'logits': {0: 'batch'}}, do_constant_folding=True, dynamo=False)
    with torch.no_grad():
        logits = net(x_test[:32]).numpy()
    record = {
        'model': args.model,
        'file': f'{args.model}.onnx',
        'data': 'Fashion-MNIST (Debian dataset-fashion-mnist), inputs x/255, NCHW [N, 1, 28, 28]',
        'settings': {'epochs': args.epochs, 'batch': args.batch, 'optimiser': 'Adam, one-cycle lr', 'lr': args.lr, 'seed': args.seed, 'threads': args.threads,
                     **({'qcfsLevels': args.levels, 'qcfsLambdaInit': args.lambda_init} if act == 'qcfs' else {})},
        'params': sum(p.numel() for p in net.parameters()),
        'torch': torch.__version__,
        'history': history,
        'testAccuracy': history[-1]['testAccuracy'],
        'first1000Accuracy': evaluate(net, x_test[:1000], y_test[:1000]),
        'trainSeconds': round(time.time() - started, 1),
        'qcfsLambda': [round(float(m.lam.item()), 6) for m in net.modules() if isinstance(m, Qcfs)],
        'referenceLogits': [[round(float(v), 6) for v in row] for row in logits],
    }
    with open(os.path.join(OUT, f'{args.model}.json'), 'w') as f:
        json.dump(record, f, indent=1)
        f.write('\n')
    print(json.dumps({k: record[k] for k in ('model', 'testAccuracy', 'first1000Accuracy', 'trainSeconds', 'params')}))


if __name__ == '__main__':
    main()
