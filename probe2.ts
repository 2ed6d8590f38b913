function scan(cur: Float32Array, v: Float32Array, out: Float32Array, th: number): number {
  let cnt = 0;
  const N = v.length;
  for (let i = 0; i < N; i++) { const vi = v[i]! + cur[i]!; const s = vi >= th ? 1 : 0; v[i] = vi - s * th; out[i] = s * th; cnt += s; }
  return cnt;
}
function scanT(cur: Float32Array, T: number, N: number, v: Float32Array, out: Float32Array, th: number, hist: Float64Array): void {
  for (let t = 0; t < T; t++) {
    const o = t * N; let cnt = 0;
    for (let i = 0; i < N; i++) { const vi = v[i]! + cur[o + i]!; const s = vi >= th ? 1 : 0; v[i] = vi - s * th; out[o + i] = s * th; cnt += s; }
    hist[t] = cnt;
  }
}
const N = 200704;
const cur = new Float32Array(N).map(() => Math.random()); const v = new Float32Array(N); const out = new Float32Array(N);
for (let r = 0; r < 5; r++) scan(cur, v, out, 1);
const t3 = performance.now();
for (let rep = 0; rep < 50; rep++) scan(cur, v, out, 1);
console.log('scan', ((performance.now() - t3) / 50 / N * 1e6).toFixed(2), 'ns/elem');
const T = 32; const cT = new Float32Array(N * T).map(() => Math.random()); const oT = new Float32Array(N * T); const h = new Float64Array(T);
scanT(cT, T, N, v, oT, 1, h);
const t4 = performance.now();
for (let rep = 0; rep < 5; rep++) scanT(cT, T, N, v, oT, 1, h);
console.log('scanT', ((performance.now() - t4) / 5 / N / T * 1e6).toFixed(2), 'ns/elem');
