import { NEURON_MULTIPLIER, WEYL } from '../../../common/random';

/**
 * The neuron kernels in WGSL: one invocation per neuron with the time loop inside, over a chunk
 * of neurons [n0, n0 + count) and steps [t0, t1) (gpu-kernels.ts plans the chunks under the
 * adapter's binding limits). Every array is time-major like on the host: value (t, i) of a layer
 * of N neurons at t·N + i; a binding is a window of its buffer, and `*_at` gives the element
 * where the chunk's first neuron (at its first step) sits inside the window.
 *
 * They reproduce the host kernels bit for bit: the same float32 + − × in the same order (WGSL
 * rounds these correctly; `/`, exp and log it does not, so the rules use reciprocals rounded on
 * the host), the same counter-based random streams (common/random.ts) in u32 arithmetic, and
 * `keep(x)`, an identity the compiler cannot see through, wherever a product feeds a sum (a
 * driver may otherwise fuse them into one fma, rounded once instead of twice).
 *
 * Spikes per step and first spikes per step are summed per workgroup in workgroup atomics (two
 * slots, by step parity, so one barrier per step suffices), then added to `hist` ([T] spikes,
 * then [T] first spikes) with one global atomic per workgroup and step.
 */
export const WORKGROUP = 256;

const COMMON = /* wgsl */ `
const WG: u32 = ${WORKGROUP}u;

fn mix32(x: u32) -> u32 {
  var h = x;
  h = h ^ (h >> 16u);
  h = h * 0x85ebca6bu;
  h = h ^ (h >> 13u);
  h = h * 0xc2b2ae35u;
  h = h ^ (h >> 16u);
  return h;
}

fn neuron_key(sample_key: u32, f: u32) -> u32 {
  return mix32(sample_key ^ ((f + 1u) * ${NEURON_MULTIPLIER}u));
}

fn draw_bits(key: u32, j: u32) -> u32 {
  var z = key + (j + 1u) * ${WEYL}u;
  z = (z ^ (z >> 15u)) * (z | 1u);
  z = z ^ (z + (z ^ (z >> 7u)) * (z | 61u));
  return z ^ (z >> 14u);
}

fn open_uniform(bits: u32) -> f32 {
  return (f32(bits >> 9u) + 0.5) * 1.1920928955078125e-7;
}

fn below(bits: u32, r: u32) -> u32 {
  return ((bits >> 16u) * r + (((bits & 0xffffu) * r) >> 16u)) >> 16u;
}

var<workgroup> wg_spikes: array<atomic<u32>, 2>;
var<workgroup> wg_first: array<atomic<u32>, 2>;

fn tally(t: u32, fired: bool, first: bool) {
  if (fired) { atomicAdd(&wg_spikes[t & 1u], 1u); }
  if (first) { atomicAdd(&wg_first[t & 1u], 1u); }
}

fn neuron_index(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
  return (wid.y * nwg.x + wid.x) * WG + lid;
}
`;

/** Adds the workgroup's tallies of step t to hist (call in uniform control flow, once per step). */
const FLUSH = /* wgsl */ `
    workgroupBarrier();
    if (lid == 0u) {
      let s = atomicExchange(&wg_spikes[t & 1u], 0u);
      let q = atomicExchange(&wg_first[t & 1u], 0u);
      if (s > 0u) { atomicAdd(&hist[t], s); }
      if (q > 0u) { atomicAdd(&hist[p.T + t], q); }
    }`;

/**
 * Integrate-and-fire (if-layer.ts, the `if_steps` SIMD kernel): v ← (v + I[t]) + shift; s = v ≥ θ;
 * out = s·θ; v ← v − θ (subtract) or 0 (zero); counts += s; first = 1 + step of the first spike.
 * `chan` holds θ[C], the shift θ/(2T) or 0 [C], the SNNC bias correction [Cb] (0 when none) and
 * potential correction [F] (0 when none); the per-step addend is fl(shift + bias) and v starts at
 * fl(v0 + offset) at t0 = 0, as if-layer.ts lays them out. (θ·½ is exact, so fusing it with the
 * add cannot change the result.)
 */
export const IF_KERNEL = /* wgsl */ `
${COMMON}
struct Params {
  N: u32, n0: u32, count: u32, t0: u32, t1: u32, T: u32, C: u32, hard: u32,
  temporal: u32, half: u32, cur_at: u32, out_at: u32, state_at: u32, Cb: u32, F: u32, zero: u32,
}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> cur: array<f32>;
@group(0) @binding(2) var<storage, read_write> outs: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<storage, read_write> counts: array<u32>;
@group(0) @binding(5) var<storage, read_write> first: array<u32>;
@group(0) @binding(6) var<storage, read> chan: array<f32>;
@group(0) @binding(7) var<storage, read_write> hist: array<atomic<u32>>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let j = neuron_index(wid, nwg, lid);
  let live = j < p.count;
  var vv = 0.0;
  var n = 0u;
  var f = 0u;
  var th = 0.0;
  var sh = 0.0;
  if (live) {
    let i = p.n0 + j;
    let c = i % p.C;
    th = chan[c];
    sh = chan[p.C + c] + chan[2u * p.C + i % p.Cb];
    if (p.t0 == 0u) {
      var v0 = 0.0;
      if (p.half == 1u) { v0 = th * 0.5; }
      vv = v0 + chan[2u * p.C + p.Cb + i % p.F];
    } else {
      vv = v[p.state_at + j];
      n = counts[p.state_at + j];
      f = first[p.state_at + j];
    }
  }
  for (var t = p.t0; t < p.t1; t = t + 1u) {
    var fired = false;
    var newly = false;
    if (live) {
      var x: f32;
      if (p.temporal == 1u) { x = cur[p.cur_at + (t - p.t0) * p.N + j]; } else { x = cur[p.cur_at + j]; }
      vv = (vv + x) + sh;
      fired = vv >= th;
      if (fired) {
        outs[p.out_at + (t - p.t0) * p.N + j] = th;
        if (p.hard == 1u) { vv = 0.0; } else { vv = vv - th; }
        n = n + 1u;
        if (f == 0u) { f = t + 1u; newly = true; }
      } else {
        outs[p.out_at + (t - p.t0) * p.N + j] = 0.0;
      }
    }
    tally(t, fired, newly);
${FLUSH}
  }
  if (live) {
    v[p.state_at + j] = vv;
    counts[p.state_at + j] = n;
    first[p.state_at + j] = f;
  }
}
`;

/**
 * TPP phase 1 (tpp-layer.ts `tppCharge`): acc ← Σ_t I[t] over the chunk's steps, from 0 at t0 = 0;
 * on the last chunk (or for a static current, acc = fl(T·I)), with a calibrated network's SNNC
 * corrections first added as acc + (fl(T·bias) + offset), ũ = keep(fl(acc·fl(1/θ))) + share,
 * subnormals taken as 0. `chan` holds fl(1/θ)[C], bias[Cb], offset[F].
 */
export const TPP_CHARGE_KERNEL = /* wgsl */ `
${COMMON}
struct Params {
  N: u32, n0: u32, count: u32, t0: u32, t1: u32, T: u32, C: u32, temporal: u32,
  last: u32, cur_at: u32, state_at: u32, zero: u32, share: f32, Cb: u32, F: u32, corrected: u32,
}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> cur: array<f32>;
@group(0) @binding(2) var<storage, read_write> acc: array<f32>;
@group(0) @binding(3) var<storage, read> chan: array<f32>;

fn keep(x: f32) -> f32 {
  return bitcast<f32>(bitcast<u32>(x) ^ p.zero);
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let j = neuron_index(wid, nwg, lid);
  if (j >= p.count) { return; }
  var a = 0.0;
  if (p.temporal == 1u) {
    if (p.t0 > 0u) { a = acc[p.state_at + j]; }
    for (var t = p.t0; t < p.t1; t = t + 1u) { a = a + cur[p.cur_at + (t - p.t0) * p.N + j]; }
  } else if (p.T == 1u) {
    a = cur[p.cur_at + j];
  } else {
    a = f32(p.T) * cur[p.cur_at + j];
  }
  if (p.last == 1u) {
    let i = p.n0 + j;
    if (p.corrected == 1u) { a = a + (keep(f32(p.T) * chan[p.C + i % p.Cb]) + chan[p.C + p.Cb + i % p.F]); }
    var x = keep(a * chan[i % p.C]) + p.share;
    if (abs(x) < 0x1p-126f) { x = 0.0; }
    a = x;
  }
  acc[p.state_at + j] = a;
}
`;

/**
 * TPP phase 2 (tpp-layer.ts `tppFire`) as a per-step state machine, so that it can stop at the end
 * of a chunk and resume: `stay` > 0 while waiting for the next spike (the running product
 * S = Π (1 − p_k), compared with the wait's uniform r = draw n), 0 between waits. `u0` holds the
 * charge ũ, `left` what has not fired yet, `counts` the spikes so far (the draw counter).
 * `consts` (u32): θ[C] (as float bits), fl(1/(T − k))[T], then the sample keys[B].
 */
export const TPP_FIRE_KERNEL = /* wgsl */ `
${COMMON}
struct Params {
  N: u32, n0: u32, count: u32, t0: u32, t1: u32, T: u32, C: u32, F: u32,
  iid: u32, out_at: u32, state_at: u32, inv_at: u32, keys_at: u32, zero: u32, pad0: u32, pad1: u32,
}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> u0: array<f32>;
@group(0) @binding(2) var<storage, read_write> left_: array<f32>;
@group(0) @binding(3) var<storage, read_write> counts: array<u32>;
@group(0) @binding(4) var<storage, read_write> stay_: array<f32>;
@group(0) @binding(5) var<storage, read_write> outs: array<f32>;
@group(0) @binding(6) var<storage, read> consts: array<u32>;
@group(0) @binding(7) var<storage, read_write> hist: array<atomic<u32>>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let j = neuron_index(wid, nwg, lid);
  let live = j < p.count;
  var charge = 0.0;
  var left = 0.0;
  var n = 0u;
  var stay = 0.0;
  var r = 0.0;
  var th = 0.0;
  var key = 0u;
  var stay_iid = 0.0;
  if (live) {
    let i = p.n0 + j;
    let b = i / p.F;
    th = bitcast<f32>(consts[i % p.C]);
    key = neuron_key(consts[p.keys_at + b], i - b * p.F);
    charge = u0[p.state_at + j];
    if (p.t0 == 0u) {
      left = charge;
    } else {
      left = left_[p.state_at + j];
      n = counts[p.state_at + j];
      stay = stay_[p.state_at + j];
    }
    if (stay > 0.0) { r = open_uniform(draw_bits(key, n)); }
    stay_iid = (f32(p.T) - charge) * bitcast<f32>(consts[p.inv_at]);
  }
  for (var t = p.t0; t < p.t1; t = t + 1u) {
    var fired = false;
    var newly = false;
    if (live) {
      if (p.iid == 1u) {
        if (charge > 0.0) {
          if (stay_iid > 0.0) {
            if (!(stay > 0.0)) { stay = 1.0; r = open_uniform(draw_bits(key, n)); }
            stay = stay * stay_iid;
            fired = stay <= r;
          } else {
            fired = true;
          }
        }
      } else if (left > 0.0) {
        let R = f32(p.T - t);
        if (!(left < R)) {
          fired = true;
        } else {
          if (!(stay > 0.0)) { stay = 1.0; r = open_uniform(draw_bits(key, n)); }
          stay = stay * ((R - left) * bitcast<f32>(consts[p.inv_at + t]));
          fired = stay <= r;
        }
      }
      if (fired) {
        outs[p.out_at + (t - p.t0) * p.N + j] = th;
        newly = n == 0u;
        n = n + 1u;
        left = left - 1.0;
        stay = 0.0;
      } else {
        outs[p.out_at + (t - p.t0) * p.N + j] = 0.0;
      }
    }
    tally(t, fired, newly);
${FLUSH}
  }
  if (live) {
    left_[p.state_at + j] = left;
    counts[p.state_at + j] = n;
    stay_[p.state_at + j] = stay;
  }
}
`;

/**
 * Permute, one permutation per neuron (permute.ts `permuteNeurons`): with r of its n spikes left
 * at step t, a neuron fires when r = T − t or below(draw t, T − t) < r. `counts` are the IF
 * counts n, `left` the spikes still to place. `consts` (u32): θ[C] (float bits), then keys[B].
 */
export const PERMUTE_NEURON_KERNEL = /* wgsl */ `
${COMMON}
struct Params {
  N: u32, n0: u32, count: u32, t0: u32, t1: u32, T: u32, C: u32, F: u32,
  out_at: u32, state_at: u32, keys_at: u32, zero: u32,
}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> counts: array<u32>;
@group(0) @binding(2) var<storage, read_write> left_: array<u32>;
@group(0) @binding(3) var<storage, read_write> outs: array<f32>;
@group(0) @binding(4) var<storage, read> consts: array<u32>;
@group(0) @binding(5) var<storage, read_write> hist: array<atomic<u32>>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let j = neuron_index(wid, nwg, lid);
  let live = j < p.count;
  var total = 0u;
  var left = 0u;
  var th = 0.0;
  var key = 0u;
  if (live) {
    let i = p.n0 + j;
    let b = i / p.F;
    th = bitcast<f32>(consts[i % p.C]);
    key = neuron_key(consts[p.keys_at + b], i - b * p.F);
    total = counts[p.state_at + j];
    if (p.t0 == 0u) { left = total; } else { left = left_[p.state_at + j]; }
  }
  for (var t = p.t0; t < p.t1; t = t + 1u) {
    var fired = false;
    var newly = false;
    if (live) {
      let R = p.T - t;
      fired = left > 0u && (left == R || below(draw_bits(key, t), R) < left);
      if (fired) {
        outs[p.out_at + (t - p.t0) * p.N + j] = th;
        newly = left == total;
        left = left - 1u;
      } else {
        outs[p.out_at + (t - p.t0) * p.N + j] = 0.0;
      }
    }
    tally(t, fired, newly);
${FLUSH}
  }
  if (live) { left_[p.state_at + j] = left; }
}
`;

/**
 * Permute, one permutation of the steps per sample (permute.ts `permuteLayer`): output step t of
 * neuron i takes its input step order[b·T + t]. `ins` is bound whole (every step is a source).
 */
export const PERMUTE_LAYER_KERNEL = /* wgsl */ `
${COMMON}
struct Params {
  N: u32, n0: u32, count: u32, t0: u32, t1: u32, T: u32, F: u32, in_at: u32,
  out_at: u32, zero: u32, pad0: u32, pad1: u32,
}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> ins: array<f32>;
@group(0) @binding(2) var<storage, read_write> outs: array<f32>;
@group(0) @binding(3) var<storage, read> order: array<u32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let j = neuron_index(wid, nwg, lid);
  if (j >= p.count) { return; }
  let b = (p.n0 + j) / p.F;
  for (var t = p.t0; t < p.t1; t = t + 1u) {
    outs[p.out_at + (t - p.t0) * p.N + j] = ins[p.in_at + order[b * p.T + t] * p.N + j];
  }
}
`;

/** Spikes per step and first spikes per step of a spike array (after Permute's layer mode).
 * `first` is 1 + the step of each neuron's first spike so far (0: none). */
export const TRAIN_STATS_KERNEL = /* wgsl */ `
${COMMON}
struct Params {
  N: u32, n0: u32, count: u32, t0: u32, t1: u32, T: u32, at: u32, state_at: u32,
}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> spikes: array<f32>;
@group(0) @binding(2) var<storage, read_write> first: array<u32>;
@group(0) @binding(3) var<storage, read_write> hist: array<atomic<u32>>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let j = neuron_index(wid, nwg, lid);
  let live = j < p.count;
  var f = 0u;
  if (live && p.t0 > 0u) { f = first[p.state_at + j]; }
  for (var t = p.t0; t < p.t1; t = t + 1u) {
    var fired = false;
    var newly = false;
    if (live) {
      fired = spikes[p.at + (t - p.t0) * p.N + j] != 0.0;
      if (fired && f == 0u) { f = t + 1u; newly = true; }
    }
    tally(t, fired, newly);
${FLUSH}
  }
  if (live) { first[p.state_at + j] = f; }
}
`;
