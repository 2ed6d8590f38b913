;; Event decoding kernels in WebAssembly, for the formats whose word loops dominate decoding time
;; (EVT 2.0, DAT, AEDAT 4.0 with its LZ4 blocks). Built into event-kernels.wasm.ts by
;; `npm run build:kernels`. The arrays live in this module's memory (EventArena lays them out):
;; event columns t (float64, µs), x and y (uint16), p (uint8), written from index k on, and the
;; input bytes. Every function checks its own bounds against the limits it is given, so corrupt
;; input returns an error code and never traps or writes outside its regions.
(module
  (memory (export "memory") 1)

  ;; EVT 2.0 words in[0, n): CD_OFF/CD_ON (types 0, 1) become events; EVT_TIME_HIGH (8) sets the
  ;; high time, with a wrap of 2^34 µs whenever it steps back. The state at $s (float64 slots):
  ;;   0 high time (wraps and t0 in)   1 last raw TIME_HIGH   2 wraps so far (µs)   3 t0 (µs)
  ;;   4 1 once a TIME_HIGH was seen   5 EXT_TRIGGER (0xA)    6 OTHERS/CONTINUED (0xE, 0xF)
  ;;   7 other types
  ;; (5–7 are the counts of this call). Returns k after the last event.
  (func (export "evt2")
    (param $in i32) (param $n i32) (param $t i32) (param $x i32) (param $y i32) (param $p i32)
    (param $k i32) (param $s i32) (result i32)
    (local $end i32) (local $w i32) (local $type i32) (local $next i32) (local $raw i32)
    (local $high f64) (local $wrap f64) (local $t0 f64) (local $saw f64)
    (local $triggers i32) (local $others i32) (local $unknown i32)
    (local.set $high (f64.load (local.get $s)))
    (local.set $raw (i32.trunc_sat_f64_u (f64.load offset=8 (local.get $s))))
    (local.set $wrap (f64.load offset=16 (local.get $s)))
    (local.set $t0 (f64.load offset=24 (local.get $s)))
    (local.set $saw (f64.load offset=32 (local.get $s)))
    (local.set $end (i32.add (local.get $in) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $words
        (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
        (local.set $w (i32.load (local.get $in)))
        (local.set $in (i32.add (local.get $in) (i32.const 4)))
        (local.set $type (i32.shr_u (local.get $w) (i32.const 28)))
        (if (i32.le_u (local.get $type) (i32.const 1))
          (then
            (f64.store (i32.add (local.get $t) (i32.shl (local.get $k) (i32.const 3)))
              (f64.add (local.get $high)
                (f64.convert_i32_u (i32.and (i32.shr_u (local.get $w) (i32.const 22)) (i32.const 0x3f)))))
            (i32.store16 (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 1)))
              (i32.and (i32.shr_u (local.get $w) (i32.const 11)) (i32.const 0x7ff)))
            (i32.store16 (i32.add (local.get $y) (i32.shl (local.get $k) (i32.const 1)))
              (i32.and (local.get $w) (i32.const 0x7ff)))
            (i32.store8 (i32.add (local.get $p) (local.get $k)) (local.get $type))
            (local.set $k (i32.add (local.get $k) (i32.const 1))))
          (else
            (if (i32.eq (local.get $type) (i32.const 8))
              (then
                (local.set $next (i32.and (local.get $w) (i32.const 0x0fffffff)))
                (if (i32.lt_u (local.get $next) (local.get $raw))
                  (then (local.set $wrap (f64.add (local.get $wrap) (f64.const 17179869184)))))
                (local.set $raw (local.get $next))
                (local.set $high
                  (f64.add (f64.add (f64.mul (f64.convert_i32_u (local.get $next)) (f64.const 64)) (local.get $wrap))
                    (local.get $t0)))
                (local.set $saw (f64.const 1)))
              (else
                (if (i32.eq (local.get $type) (i32.const 0xa))
                  (then (local.set $triggers (i32.add (local.get $triggers) (i32.const 1))))
                  (else
                    (if (i32.ge_u (local.get $type) (i32.const 0xe))
                      (then (local.set $others (i32.add (local.get $others) (i32.const 1))))
                      (else (local.set $unknown (i32.add (local.get $unknown) (i32.const 1)))))))))))
        (br $words)))
    (f64.store (local.get $s) (local.get $high))
    (f64.store offset=8 (local.get $s) (f64.convert_i32_u (local.get $raw)))
    (f64.store offset=16 (local.get $s) (local.get $wrap))
    (f64.store offset=32 (local.get $s) (local.get $saw))
    (f64.store offset=40 (local.get $s) (f64.convert_i32_u (local.get $triggers)))
    (f64.store offset=48 (local.get $s) (f64.convert_i32_u (local.get $others)))
    (f64.store offset=56 (local.get $s) (f64.convert_i32_u (local.get $unknown)))
    (local.get $k))

  ;; Prophesee DAT records in[0, 8n): uint32 time (plus $t0), uint32 data whose layout $v1 picks:
  ;; version 2 x bits 0–13, y 14–27, polarity 28–31; version 1 x bits 0–8, y 9–16, polarity 17–31.
  ;; Polarity is 1 when its bits are not all zero. Returns k after the last event.
  (func (export "dat")
    (param $in i32) (param $n i32) (param $t0 f64) (param $v1 i32)
    (param $t i32) (param $x i32) (param $y i32) (param $p i32) (param $k i32) (result i32)
    (local $end i32) (local $d i32) (local $xs i32) (local $ys i32) (local $ps i32) (local $xm i32) (local $ym i32)
    (if (local.get $v1)
      (then (local.set $xm (i32.const 0x1ff)) (local.set $ys (i32.const 9)) (local.set $ym (i32.const 0xff)) (local.set $ps (i32.const 17)))
      (else (local.set $xm (i32.const 0x3fff)) (local.set $ys (i32.const 14)) (local.set $ym (i32.const 0x3fff)) (local.set $ps (i32.const 28))))
    (local.set $end (i32.add (local.get $in) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $records
        (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
        (local.set $d (i32.load offset=4 (local.get $in)))
        (f64.store (i32.add (local.get $t) (i32.shl (local.get $k) (i32.const 3)))
          (f64.add (f64.convert_i32_u (i32.load (local.get $in))) (local.get $t0)))
        (i32.store16 (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 1)))
          (i32.and (local.get $d) (local.get $xm)))
        (i32.store16 (i32.add (local.get $y) (i32.shl (local.get $k) (i32.const 1)))
          (i32.and (i32.shr_u (local.get $d) (local.get $ys)) (local.get $ym)))
        (i32.store8 (i32.add (local.get $p) (local.get $k))
          (i32.ne (i32.shr_u (local.get $d) (local.get $ps)) (i32.const 0)))
        (local.set $in (i32.add (local.get $in) (i32.const 8)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $records)))
    (local.get $k))

  ;; AEDAT 4.0 event structs in[0, 16n) {int64 t µs, int16 x, int16 y, bool on, 3 bytes pad}.
  ;; Returns k after the last event.
  (func (export "aedat4")
    (param $in i32) (param $n i32) (param $t i32) (param $x i32) (param $y i32) (param $p i32)
    (param $k i32) (result i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $in) (i32.shl (local.get $n) (i32.const 4))))
    (block $done
      (loop $events
        (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
        (f64.store (i32.add (local.get $t) (i32.shl (local.get $k) (i32.const 3)))
          (f64.convert_i64_s (i64.load (local.get $in))))
        (i32.store16 (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 1))) (i32.load16_u offset=8 (local.get $in)))
        (i32.store16 (i32.add (local.get $y) (i32.shl (local.get $k) (i32.const 1))) (i32.load16_u offset=10 (local.get $in)))
        (i32.store8 (i32.add (local.get $p) (local.get $k)) (i32.ne (i32.load8_u offset=12 (local.get $in)) (i32.const 0)))
        (local.set $in (i32.add (local.get $in) (i32.const 16)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $events)))
    (local.get $k))

  ;; One LZ4 block (lz4_Block_format.md) src[$p, $end) into the output at $o, whose frame starts at
  ;; $base (matches reach back to it, never before) and whose block may not pass $limit. Returns
  ;; the output position after the block, or −1…−6 (the error list in event-arena.ts). Copies are
  ;; "wild": 16 bytes at a time, so they may read up to 15 bytes past a literal run when the block
  ;; has that many left and write up to 15 bytes past $limit (the caller leaves 16 spare bytes).
  (func (export "lz4_block")
    (param $p i32) (param $end i32) (param $base i32) (param $o i32) (param $limit i32) (result i32)
    (local $token i32) (local $lit i32) (local $len i32) (local $off i32) (local $b i32)
    (local $from i32) (local $stop i32) (local $at i32)
    (block $done
      (loop $sequences
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $token (i32.load8_u (local.get $p)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        ;; literal length: the high nibble, 15 continued by bytes while they are 255
        (local.set $lit (i32.shr_u (local.get $token) (i32.const 4)))
        (if (i32.eq (local.get $lit) (i32.const 15))
          (then
            (loop $more
              (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
              (local.set $b (i32.load8_u (local.get $p)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (local.set $lit (i32.add (local.get $lit) (local.get $b)))
              (br_if $more (i32.eq (local.get $b) (i32.const 255))))))
        (if (i32.or (i32.gt_u (local.get $lit) (i32.sub (local.get $end) (local.get $p)))
                    (i32.gt_u (local.get $lit) (i32.sub (local.get $limit) (local.get $o))))
          (then (return (i32.const -2))))
        (if (i32.and (i32.le_u (local.get $lit) (i32.const 16))
                     (i32.ge_u (i32.sub (local.get $end) (local.get $p)) (i32.const 16)))
          (then (v128.store (local.get $o) (v128.load (local.get $p))))
          (else (memory.copy (local.get $o) (local.get $p) (local.get $lit))))
        (local.set $p (i32.add (local.get $p) (local.get $lit)))
        (local.set $o (i32.add (local.get $o) (local.get $lit)))
        ;; the last sequence has literals only
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (if (i32.gt_u (i32.add (local.get $p) (i32.const 2)) (local.get $end)) (then (return (i32.const -3))))
        (local.set $off (i32.load16_u (local.get $p)))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (if (i32.or (i32.eqz (local.get $off)) (i32.gt_u (local.get $off) (i32.sub (local.get $o) (local.get $base))))
          (then (return (i32.const -4))))
        (local.set $len (i32.add (i32.and (local.get $token) (i32.const 15)) (i32.const 4)))
        (if (i32.eq (local.get $len) (i32.const 19))
          (then
            (loop $more
              (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -5))))
              (local.set $b (i32.load8_u (local.get $p)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (local.set $len (i32.add (local.get $len) (local.get $b)))
              (br_if $more (i32.eq (local.get $b) (i32.const 255))))))
        (if (i32.gt_u (local.get $len) (i32.sub (local.get $limit) (local.get $o))) (then (return (i32.const -6))))
        (local.set $from (i32.sub (local.get $o) (local.get $off)))
        (local.set $stop (i32.add (local.get $o) (local.get $len)))
        (if (i32.ge_u (local.get $off) (i32.const 16))
          (then
            ;; 16-byte steps read only bytes already written (offset ≥ 16), so overlap repeats correctly
            (local.set $at (local.get $o))
            (loop $copy
              (v128.store (local.get $at) (v128.load (local.get $from)))
              (local.set $at (i32.add (local.get $at) (i32.const 16)))
              (local.set $from (i32.add (local.get $from) (i32.const 16)))
              (br_if $copy (i32.lt_u (local.get $at) (local.get $stop)))))
          (else
            (if (i32.ge_u (local.get $off) (i32.const 8))
              (then
                (local.set $at (local.get $o))
                (loop $copy
                  (i64.store (local.get $at) (i64.load (local.get $from)))
                  (local.set $at (i32.add (local.get $at) (i32.const 8)))
                  (local.set $from (i32.add (local.get $from) (i32.const 8)))
                  (br_if $copy (i32.lt_u (local.get $at) (local.get $stop)))))
              (else
                ;; short offsets repeat their own output: byte by byte
                (local.set $at (local.get $o))
                (loop $copy
                  (i32.store8 (local.get $at) (i32.load8_u (local.get $from)))
                  (local.set $at (i32.add (local.get $at) (i32.const 1)))
                  (local.set $from (i32.add (local.get $from) (i32.const 1)))
                  (br_if $copy (i32.lt_u (local.get $at) (local.get $stop))))))))
        (local.set $o (local.get $stop))
        (br $sequences)))
    (local.get $o))
)
