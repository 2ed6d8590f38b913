;; Neuron kernels in WebAssembly SIMD (128-bit, 4 float32 lanes), for the hot loops of the
;; spiking layers. Built into neuron-kernels.wasm.ts by `npm run build:kernels`.
;;
;; Arrays are float32 (or int32) with one value per neuron, N neurons padded to a multiple of 4;
;; padded lanes carry θ = +inf and a zero current in every row (copyRows in arena.ts), so they
;; never fire. All arithmetic is float32, rounded after
;; every operation, so a scalar reference with Math.fround reproduces it bit for bit.
(module
  ;; The memory is imported: the thread's own (kernelArena) or, on the wasm backend, tfjs's heap
  ;; (heapKernels), where the kernels read tensors in place and write into tensors made for them.
  (import "env" "memory" (memory 1))

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

  ;; A convolution driven by the nonzero inputs (spike trains are mostly zeros): every input value
  ;; v ≠ 0 at (r, iy, ix, ci) adds v·W[ky, kx, ci, ·] to each output position it reaches,
  ;;   out[r, oy, ox, ·] += v · W[ky, kx, ci, ·]  where oy·sh + ky = iy + pt and ox·sw + kx = ix + pl,
  ;; which is the 'valid' convolution of the input padded by pt (top) and pl (left). Input NHWC
  ;; [rows, h, w, cin]; weights HWIO [kh, kw, cin, coutp]; output [rows, ho, wo, coutp], which
  ;; starts at the bias ($bias: coutp values); coutp a multiple of 4 (padded channels have zero
  ;; weights and bias). Each term is rounded as a dense convolution rounds it (float32 multiply,
  ;; then add); only the order of the sum differs (the bias comes first).
  ;; The (ky, oy) pairs an input row iy reaches are (ky0 + j·sh, oy0 − j) for j < cy, which the
  ;; caller lists in $tab (three int32 per row: ky0, oy0, cy), then the (kx, ox) pairs of each
  ;; input column (rows h…h + w − 1 of the table); oy·sh + ky = iy + pt holds along each list.
  (func (export "spike_conv")
    (param $in i32) (param $rows i32) (param $h i32) (param $w i32) (param $cin i32)
    (param $wts i32) (param $coutp i32) (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32)
    (param $ho i32) (param $wo i32) (param $out i32) (param $tab i32) (param $bias i32)
    (local $r i32) (local $o i32) (local $o_end i32) (local $j i32) (local $iy i32) (local $ix i32) (local $ci i32) (local $t i32)
    (local $ky0 i32) (local $oy0 i32) (local $cy i32) (local $kx0 i32) (local $ox0 i32) (local $cx i32)
    (local $cbytes i32) (local $row_out i32) (local $wstep_x i32) (local $wstep_y i32)
    (local $ostep_y i32) (local $ostep_rows i32) (local $base_o i32) (local $base_w i32) (local $quad v128)
    (local $mask i32) (local $lane i32)
    (local.set $cbytes (i32.shl (local.get $coutp) (i32.const 2)))
    (local.set $wstep_x (i32.mul (i32.mul (local.get $sw) (local.get $cin)) (local.get $cbytes)))
    (local.set $wstep_y (i32.mul (i32.mul (i32.mul (local.get $sh) (local.get $kw)) (local.get $cin)) (local.get $cbytes)))
    (local.set $ostep_y (i32.mul (local.get $wo) (local.get $cbytes)))
    (local.set $ostep_rows (i32.mul (local.get $ostep_y) (local.get $ho)))
    (block $rows_done (loop $rows_loop
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $row_out (i32.add (local.get $out)
        (i32.mul (i32.mul (i32.mul (local.get $r) (local.get $ho)) (local.get $wo)) (local.get $cbytes))))
      ;; every output position of the row starts at the bias
      (local.set $o (local.get $row_out))
      (local.set $o_end (i32.add (local.get $row_out) (local.get $ostep_rows)))
      (block $bias_done (loop $bias_loop
        (br_if $bias_done (i32.ge_u (local.get $o) (local.get $o_end)))
        (local.set $j (i32.const 0))
        (block $lanes_done (loop $lanes
          (br_if $lanes_done (i32.ge_u (local.get $j) (local.get $cbytes)))
          (v128.store (i32.add (local.get $o) (local.get $j)) (v128.load (i32.add (local.get $bias) (local.get $j))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $lanes)))
        (local.set $o (i32.add (local.get $o) (local.get $cbytes)))
        (br $bias_loop)))
      (local.set $iy (i32.const 0))
      (block $iy_done (loop $iy_loop
        (br_if $iy_done (i32.ge_u (local.get $iy) (local.get $h)))
        ;; the rows this input row reaches: (ky0 + j·sh, oy0 − j) for j < cy (table row iy)
        (local.set $t (i32.add (local.get $tab) (i32.mul (local.get $iy) (i32.const 12))))
        (local.set $ky0 (i32.load (local.get $t)))
        (local.set $oy0 (i32.load offset=4 (local.get $t)))
        (local.set $cy (i32.load offset=8 (local.get $t)))
        (local.set $ix (i32.const 0))
        (block $ix_done (loop $ix_loop
          (br_if $ix_done (i32.ge_u (local.get $ix) (local.get $w)))
          ;; the columns it reaches: table row h + ix
          (local.set $t (i32.add (local.get $tab) (i32.mul (i32.add (local.get $h) (local.get $ix)) (i32.const 12))))
          (local.set $kx0 (i32.load (local.get $t)))
          (local.set $ox0 (i32.load offset=4 (local.get $t)))
          (local.set $cx (i32.load offset=8 (local.get $t)))
          ;; output and weight addresses of the first pair, for channel 0
          (local.set $base_o (i32.add (local.get $row_out)
            (i32.mul (i32.add (i32.mul (local.get $oy0) (local.get $wo)) (local.get $ox0)) (local.get $cbytes))))
          (local.set $base_w (i32.add (local.get $wts)
            (i32.mul (i32.mul (i32.add (i32.mul (local.get $ky0) (local.get $kw)) (local.get $kx0)) (local.get $cin)) (local.get $cbytes))))
          ;; the channels of this position, four at a time when they come in fours: a group of
          ;; four zeros (nearly all of them) costs one compare
          (local.set $ci (i32.const 0))
          (if (i32.eqz (i32.and (local.get $cin) (i32.const 3)))
            (then
              (block $quads_done (loop $quads
                (br_if $quads_done (i32.ge_u (local.get $ci) (local.get $cin)))
                (local.set $quad (v128.load (local.get $in)))
                ;; the lanes that are not zero, one bit each, visited lowest first
                (local.set $mask (i32x4.bitmask (f32x4.ne (local.get $quad) (f32x4.splat (f32.const 0)))))
                (block $lanes_done (loop $lanes
                  (br_if $lanes_done (i32.eqz (local.get $mask)))
                  (local.set $lane (i32.ctz (local.get $mask)))
                  (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
                  (call $scatter (f32.load (i32.add (local.get $in) (i32.shl (local.get $lane) (i32.const 2)))) (local.get $base_o)
                    (i32.add (local.get $base_w) (i32.mul (i32.add (local.get $ci) (local.get $lane)) (local.get $cbytes)))
                    (local.get $cy) (local.get $cx) (local.get $cbytes) (local.get $ostep_y) (local.get $wstep_x) (local.get $wstep_y))
                  (br $lanes)))
                (local.set $in (i32.add (local.get $in) (i32.const 16)))
                (local.set $ci (i32.add (local.get $ci) (i32.const 4)))
                (br $quads))))
            (else
              (block $ci_done (loop $ci_loop
                (br_if $ci_done (i32.ge_u (local.get $ci) (local.get $cin)))
                (call $scatter (f32.load (local.get $in)) (local.get $base_o)
                  (i32.add (local.get $base_w) (i32.mul (local.get $ci) (local.get $cbytes)))
                  (local.get $cy) (local.get $cx) (local.get $cbytes) (local.get $ostep_y) (local.get $wstep_x) (local.get $wstep_y))
                (local.set $in (i32.add (local.get $in) (i32.const 4)))
                (local.set $ci (i32.add (local.get $ci) (i32.const 1)))
                (br $ci_loop)))))
          (local.set $ix (i32.add (local.get $ix) (i32.const 1)))
          (br $ix_loop)))
        (local.set $iy (i32.add (local.get $iy) (i32.const 1)))
        (br $iy_loop)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows_loop))))

  ;; One input value v (skipped when 0) into the cy × cx output positions it reaches: from the
  ;; first pair's output $o and weights $w, x steps move the output back one position and the
  ;; weights on by $wx bytes, y steps the output back one row ($oy bytes) and the weights on $wy.
  (func $scatter (param $v f32) (param $o i32) (param $w i32) (param $cy i32) (param $cx i32)
    (param $bytes i32) (param $oy i32) (param $wx i32) (param $wy i32)
    (local $vv v128) (local $j i32) (local $i i32) (local $oo i32) (local $ww i32) (local $end i32) (local $end4 i32)
    (if (f32.eq (local.get $v) (f32.const 0)) (then (return)))
    (local.set $vv (f32x4.splat (local.get $v)))
    (block $y_done (loop $y_loop
      (br_if $y_done (i32.ge_u (local.get $j) (local.get $cy)))
      (local.set $oo (local.get $o))
      (local.set $ww (local.get $w))
      (local.set $i (i32.const 0))
      (block $x_done (loop $x_loop
        (br_if $x_done (i32.ge_u (local.get $i) (local.get $cx)))
        (local.set $end (i32.add (local.get $oo) (local.get $bytes)))
        ;; four vectors at a time, then the rest one by one
        (local.set $end4 (i32.sub (local.get $end) (i32.and (local.get $bytes) (i32.const 48))))
        (block $quads_done (loop $quads
          (br_if $quads_done (i32.ge_u (local.get $oo) (local.get $end4)))
          (v128.store offset=0 (local.get $oo)
            (f32x4.add (v128.load offset=0 (local.get $oo)) (f32x4.mul (local.get $vv) (v128.load offset=0 (local.get $ww)))))
          (v128.store offset=16 (local.get $oo)
            (f32x4.add (v128.load offset=16 (local.get $oo)) (f32x4.mul (local.get $vv) (v128.load offset=16 (local.get $ww)))))
          (v128.store offset=32 (local.get $oo)
            (f32x4.add (v128.load offset=32 (local.get $oo)) (f32x4.mul (local.get $vv) (v128.load offset=32 (local.get $ww)))))
          (v128.store offset=48 (local.get $oo)
            (f32x4.add (v128.load offset=48 (local.get $oo)) (f32x4.mul (local.get $vv) (v128.load offset=48 (local.get $ww)))))
          (local.set $oo (i32.add (local.get $oo) (i32.const 64)))
          (local.set $ww (i32.add (local.get $ww) (i32.const 64)))
          (br $quads)))
        (block $lanes_done (loop $lanes
          (br_if $lanes_done (i32.ge_u (local.get $oo) (local.get $end)))
          (v128.store offset=0 (local.get $oo)
            (f32x4.add (v128.load offset=0 (local.get $oo)) (f32x4.mul (local.get $vv) (v128.load offset=0 (local.get $ww)))))
          (local.set $oo (i32.add (local.get $oo) (i32.const 16)))
          (local.set $ww (i32.add (local.get $ww) (i32.const 16)))
          (br $lanes)))
        ;; back to this position's start, then one position back and on to the next kx
        (local.set $oo (i32.sub (local.get $oo) (i32.shl (local.get $bytes) (i32.const 1))))
        (local.set $ww (i32.add (i32.sub (local.get $ww) (local.get $bytes)) (local.get $wx)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $x_loop)))
      (local.set $o (i32.sub (local.get $o) (local.get $oy)))
      (local.set $w (i32.add (local.get $w) (local.get $wy)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $y_loop))))

  (func $lane_sum (param $x v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $x)) (i32x4.extract_lane 1 (local.get $x)))
      (i32.add (i32x4.extract_lane 2 (local.get $x)) (i32x4.extract_lane 3 (local.get $x)))))
)
