;; Neuron kernels in WebAssembly SIMD (128-bit, 4 float32 lanes), for the hot loops of the
;; spiking layers. Built into neuron-kernels.wasm.ts by `npm run build:kernels`.
;;
;; Arrays are float32 (or int32) with one value per neuron, N neurons padded to a multiple of 4;
;; padded lanes carry θ = +inf and a zero current in every row (copyRows in arena.ts), so they
;; never fire. All arithmetic is float32, rounded after
;; every operation, so a scalar reference with Math.fround reproduces it bit for bit.
(module
  (memory (export "memory") 1)

  ;; Integrate-and-fire over steps [t0, t1):
  ;;   v ← v + I[t] + shift;  s = v ≥ θ;  out[t] = s·θ;  v ← v − s·θ (subtract) or v·(1 − s) (zero)
  ;; and per neuron: counts += s, fired |= s; per step: hist[t] = Σ s, first[t] = Σ s·¬fired.
  ;; `cur_step` is the byte distance between steps of the current (0 for a static current).
  (func (export "if_steps")
    (param $cur i32) (param $cur_step i32) (param $v i32) (param $theta i32) (param $shift i32)
    (param $out i32) (param $counts i32) (param $fired i32) (param $hist i32) (param $first i32)
    (param $n i32) (param $t0 i32) (param $t1 i32) (param $hard i32)
    (local $t i32) (local $i i32) (local $bytes i32) (local $cur_t i32) (local $out_t i32)
    (local $vv v128) (local $th v128) (local $m v128) (local $s v128) (local $f v128)
    (local $acc_s v128) (local $acc_f v128)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $t (local.get $t0))
    (block $steps_done
      (loop $steps
        (br_if $steps_done (i32.ge_u (local.get $t) (local.get $t1)))
        (local.set $cur_t (i32.add (local.get $cur) (i32.mul (local.get $t) (local.get $cur_step))))
        (local.set $out_t (i32.add (local.get $out) (i32.mul (local.get $t) (local.get $bytes))))
        (local.set $acc_s (v128.const i32x4 0 0 0 0))
        (local.set $acc_f (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $neurons_done
          (loop $neurons
            (br_if $neurons_done (i32.ge_u (local.get $i) (local.get $bytes)))
            (local.set $vv
              (f32x4.add
                (f32x4.add
                  (v128.load (i32.add (local.get $v) (local.get $i)))
                  (v128.load (i32.add (local.get $cur_t) (local.get $i))))
                (v128.load (i32.add (local.get $shift) (local.get $i)))))
            (local.set $th (v128.load (i32.add (local.get $theta) (local.get $i))))
            ;; m: all ones in the lanes that fire
            (local.set $m (f32x4.ge (local.get $vv) (local.get $th)))
            (local.set $s (v128.and (local.get $m) (local.get $th)))
            (v128.store (i32.add (local.get $out_t) (local.get $i)) (local.get $s))
            (v128.store (i32.add (local.get $v) (local.get $i))
              (if (result v128) (local.get $hard)
                (then (v128.andnot (local.get $vv) (local.get $m)))
                (else (f32x4.sub (local.get $vv) (local.get $s)))))
            ;; a set lane is −1 as an integer, so subtracting the mask counts the spike
            (v128.store (i32.add (local.get $counts) (local.get $i))
              (i32x4.sub (v128.load (i32.add (local.get $counts) (local.get $i))) (local.get $m)))
            (local.set $f (v128.load (i32.add (local.get $fired) (local.get $i))))
            (local.set $acc_f (i32x4.sub (local.get $acc_f) (v128.andnot (local.get $m) (local.get $f))))
            (v128.store (i32.add (local.get $fired) (local.get $i)) (v128.or (local.get $f) (local.get $m)))
            (local.set $acc_s (i32x4.sub (local.get $acc_s) (local.get $m)))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $neurons)))
        (i32.store (i32.add (local.get $hist) (i32.shl (local.get $t) (i32.const 2))) (call $lane_sum (local.get $acc_s)))
        (i32.store (i32.add (local.get $first) (i32.shl (local.get $t) (i32.const 2))) (call $lane_sum (local.get $acc_f)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $steps))))

  ;; acc[i] ← acc[i] + Σ_{t < T} cur[t][i], summed step by step (TPP phase 1).
  (func (export "sum_steps")
    (param $cur i32) (param $cur_step i32) (param $acc i32) (param $n i32) (param $steps i32)
    (local $t i32) (local $i i32) (local $bytes i32) (local $cur_t i32)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (block $steps_done
      (loop $step
        (br_if $steps_done (i32.ge_u (local.get $t) (local.get $steps)))
        (local.set $cur_t (i32.add (local.get $cur) (i32.mul (local.get $t) (local.get $cur_step))))
        (local.set $i (i32.const 0))
        (block $neurons_done
          (loop $neurons
            (br_if $neurons_done (i32.ge_u (local.get $i) (local.get $bytes)))
            (v128.store (i32.add (local.get $acc) (local.get $i))
              (f32x4.add
                (v128.load (i32.add (local.get $acc) (local.get $i)))
                (v128.load (i32.add (local.get $cur_t) (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $neurons)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $step))))

  (func $lane_sum (param $x v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $x)) (i32x4.extract_lane 1 (local.get $x)))
      (i32.add (i32x4.extract_lane 2 (local.get $x)) (i32x4.extract_lane 3 (local.get $x)))))
)
