"""A plain reading of a NIR graph, written from the NIR 1.0 specification, independent of the
workbench and of sinabs: each node's equation in torch, the graph in topological order of its
edges, one time step after another.

  Input, Output: identity.  Conv2d: cross-correlation with weight [out, in, kh, kw], bias, stride,
  padding, dilation, groups.  Affine: W·x + b.  Linear: W·x.  SumPool2d: sum over the window.
  AvgPool2d: mean over the window.  Flatten: the dims start_dim..end_dim of one sample joined.
  IF: v ← v + r·I; spike = (v > θ); v ← v − θ·spike (NIR 1.0's subtractive reset).
  Several edges into one node add up.

Used by nir_sinabs.py as a second peer: when sinabs and this reading disagree, the question is
which of them reads the file differently, not whether the file is right.
"""

import nir
import numpy as np
import torch
import torch.nn.functional as F


def _order(graph: nir.NIRGraph) -> list[str]:
    incoming = {k: [] for k in graph.nodes}
    for src, dst in graph.edges:
        incoming[dst].append(src)
    done: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for s in incoming[name]:
            visit(s)
        done.append(name)

    for name in graph.nodes:
        visit(name)
    return done


def simulate(graph: nir.NIRGraph, x: torch.Tensor, timesteps: int, threshold_strict: bool = True) -> torch.Tensor:
    """x: [B, C, H, W], the same analog input at every step; answers the output summed over steps."""
    incoming = {k: [] for k in graph.nodes}
    for src, dst in graph.edges:
        incoming[dst].append(src)
    order = _order(graph)
    state: dict[str, torch.Tensor] = {}
    total = None
    for _ in range(timesteps):
        values: dict[str, torch.Tensor] = {}
        for name in order:
            node = graph.nodes[name]
            kind = type(node).__name__
            if kind == "Input":
                values[name] = x
                continue
            inputs = [values[s] for s in incoming[name]]
            h = inputs[0]
            for other in inputs[1:]:
                h = h + other
            if kind == "Output":
                out = h
            elif kind == "Conv2d":
                w = torch.tensor(np.asarray(node.weight), dtype=torch.float32)
                b = torch.tensor(np.asarray(node.bias), dtype=torch.float32)
                padding = node.padding if isinstance(node.padding, str) else tuple(int(p) for p in np.atleast_1d(node.padding))
                out = F.conv2d(h, w, b, stride=tuple(int(s) for s in np.atleast_1d(node.stride)), padding=padding, dilation=tuple(int(d) for d in np.atleast_1d(node.dilation)), groups=int(node.groups))
            elif kind in ("Affine", "Linear"):
                w = torch.tensor(np.asarray(node.weight), dtype=torch.float32)
                out = h @ w.T
                if kind == "Affine":
                    out = out + torch.tensor(np.asarray(node.bias), dtype=torch.float32)
            elif kind in ("SumPool2d", "AvgPool2d"):
                k = tuple(int(v) for v in np.atleast_1d(node.kernel_size))
                s = tuple(int(v) for v in np.atleast_1d(node.stride))
                p = tuple(int(v) for v in np.atleast_1d(node.padding))
                out = F.avg_pool2d(h, k, s, p, count_include_pad=True)
                if kind == "SumPool2d":
                    out = out * (k[0] * k[1])
            elif kind == "Flatten":
                # NIR's dims count within one sample; torch's include the batch.
                start = int(node.start_dim)
                end = int(node.end_dim)
                out = torch.flatten(h, start + 1 if start >= 0 else start, end + 1 if end >= 0 else end)
            elif kind == "IF":
                theta = torch.tensor(np.asarray(node.v_threshold), dtype=torch.float32)
                r = torch.tensor(np.asarray(node.r), dtype=torch.float32)
                v = state.get(name, torch.zeros_like(h)) + r * h
                spikes = ((v > theta) if threshold_strict else (v >= theta)).to(torch.float32)
                state[name] = v - theta * spikes
                out = spikes
            else:
                raise ValueError(f"node {name}: {kind} is not read here")
            values[name] = out
        final = values[order[-1]] if "output" not in values else values["output"]
        total = final if total is None else total + final
    return total
