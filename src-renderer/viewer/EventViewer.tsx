import { useEffect, useMemo, useRef, useState } from 'react';
import { base64Bytes, base64Float64, base64Uint16 } from '../api/base64';
import { useCall } from '../api/hooks';
import { ErrorBox, Loading, formatCount } from '../ui/states';
import type { FromFrameWorker, ToFrameWorker } from './frame-worker';
import type { ColorMode, ViewerEvents } from './frames';
import { FramePreview } from './FramePreview';
import { SampleStats } from './SampleStats';
import { defaultWindowUs, formatSpanUs } from './timing';

/**
 * Plays one event sample: an accumulation window sliding over the recording at a chosen speed,
 * polarity or time colours, scrubbing and frame stepping. Frames are drawn by a worker and put
 * on a canvas; `data-frames` on the canvas counts frames shown (the end-to-end test reads it).
 */
const SPEEDS = [0.01, 0.1, 0.25, 0.5, 1, 2, 5];

export function EventViewer({ datasetId, index, classes }: { datasetId: number; index: number; classes: readonly string[] }) {
  const [denoiseUs, setDenoiseUs] = useState<number | null>(null);
  const [refractoryUs, setRefractoryUs] = useState<number | null>(null);
  const sample = useCall('datasets.events', { id: datasetId, index, ...(denoiseUs !== null ? { denoiseUs } : {}), ...(refractoryUs !== null ? { refractoryUs } : {}) });
  const events = useMemo((): ViewerEvents | undefined => {
    const d = sample.data;
    // While another sample's answer is still shown (a new dataset, same index), wait for this one.
    if (d === undefined || d.index !== index || sample.loading) return undefined;
    return { x: base64Uint16(d.x), y: base64Uint16(d.y), p: base64Bytes(d.p), tUs: base64Float64(d.tUs) };
  }, [sample.data, sample.loading, index]);
  if (sample.error) return <ErrorBox error={sample.error} onRetry={sample.reload} />;
  if (sample.data === undefined || events === undefined) return <Loading what={`sample ${index}`} />;
  const d = sample.data;
  return (
    <div className="viewer">
      <h4>
        Sample #{d.index}: {classes[d.label] ?? d.label} <span className="muted">({d.file}, {formatCount(d.count)} events, sensor {d.sensor.width}×{d.sensor.height})</span>
      </h4>
      {d.truncated && <p className="warning">Showing the first {formatCount(events.x.length + d.filteredOut)} of {formatCount(d.count)} events.</p>}
      <fieldset className="controls filters">
        <legend>Filters (the engine&apos;s own)</legend>
        <FilterToggle label="Denoise: keep events with a neighbour event within" value={denoiseUs} fallback={1000} onChange={setDenoiseUs} />
        <FilterToggle label="Refractory: drop events within" value={refractoryUs} fallback={1000} onChange={setRefractoryUs} />
        {d.filteredOut > 0 && <span className="muted">{formatCount(d.filteredOut)} events filtered out</span>}
      </fieldset>
      {events.x.length === 0 ? <p className="empty">This sample has no events{d.filteredOut > 0 ? ' left after filtering' : ''}.</p> : <Player key={`${datasetId}:${index}:${d.file}:${d.count}:${denoiseUs}:${refractoryUs}`} events={events} width={d.sensor.width} height={d.sensor.height} />}
      <SampleStats events={events} width={d.sensor.width} height={d.sensor.height} />
      <FramePreview datasetId={datasetId} index={index} />
    </div>
  );
}

function Player({ events, width, height }: { events: ViewerEvents; width: number; height: number }) {
  const startUs = events.tUs[0]!;
  const endUs = events.tUs[events.tUs.length - 1]! + 1;
  const span = endUs - startUs;
  const canvas = useRef<HTMLCanvasElement>(null);
  const [windowMs, setWindowMs] = useState(() => defaultWindowUs(events.x.length, span, width * height) / 1000);
  const [cursor, setCursor] = useState<{ x: number; y: number } | null>(null);
  const [speed, setSpeed] = useState(span > 5e6 ? 1 : 0.1);
  const [mode, setMode] = useState<ColorMode>('polarity');
  const [playing, setPlaying] = useState(false);
  const [t, setT] = useState(() => Math.min(endUs, startUs + windowMs * 1000));
  const state = useRef({ t, windowUs: windowMs * 1000, mode, inFlight: false, frames: 0, nextId: 0, wanted: -1 });
  state.current.windowUs = windowMs * 1000;
  state.current.mode = mode;
  const worker = useRef<Worker | undefined>(undefined);

  useEffect(() => {
    const w = new Worker(new URL('./frame-worker.ts', import.meta.url), { type: 'module' });
    // Copies go to the worker, so the stats panel keeps its arrays.
    const copy: ViewerEvents = { x: events.x.slice(), y: events.y.slice(), p: events.p.slice(), tUs: events.tUs.slice() };
    w.postMessage({ kind: 'load', events: copy, width, height } satisfies ToFrameWorker, [copy.x.buffer, copy.y.buffer, copy.p.buffer, copy.tUs.buffer]);
    w.onmessage = (e: MessageEvent<FromFrameWorker>) => {
      const s = state.current;
      s.inFlight = false;
      const ctx = canvas.current?.getContext('2d');
      if (ctx) {
        ctx.putImageData(new ImageData(e.data.pixels as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
        s.frames++;
        canvas.current!.dataset['frames'] = String(s.frames);
        canvas.current!.dataset['drawn'] = String(e.data.drawn);
      }
      if (s.wanted >= 0) request(s.wanted);
    };
    worker.current = w;
    // A frame asked of a previous worker will never come back.
    state.current.inFlight = false;
    request(state.current.t);
    return () => w.terminate();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [events, width, height]);

  /** Asks for the frame ending at `at`; with one already in flight, remembers only the newest wish. */
  const request = (at: number): void => {
    const s = state.current;
    if (s.inFlight) {
      s.wanted = at;
      return;
    }
    s.wanted = -1;
    s.inFlight = true;
    worker.current?.postMessage({ kind: 'frame', id: s.nextId++, endUs: at, windowUs: s.windowUs, mode: s.mode } satisfies ToFrameWorker);
  };

  const seek = (at: number): void => {
    const clamped = Math.min(endUs, Math.max(startUs + 1, at));
    state.current.t = clamped;
    setT(clamped);
    request(clamped);
  };

  useEffect(() => request(state.current.t), [windowMs, mode]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    let raf = 0;
    let shown = 0;
    const tick = (now: number): void => {
      const s = state.current;
      s.t += (now - last) * 1000 * speed;
      last = now;
      if (s.t > endUs) s.t = startUs + s.windowUs;
      request(s.t);
      // The scrub bar follows at a gentler pace than the frames.
      if (now - shown > 100) {
        shown = now;
        setT(s.t);
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [playing, speed, startUs, endUs]);

  // Small sensors are magnified by whole pixels; large ones shrink to fit the page.
  const scale = Math.max(width, height) <= 480 ? Math.max(1, Math.floor(480 / Math.max(width, height))) : 640 / Math.max(width, height);
  const onMove = (e: React.MouseEvent<HTMLCanvasElement>): void => {
    const box = e.currentTarget.getBoundingClientRect();
    const x = Math.floor(((e.clientX - box.left) / box.width) * width);
    const y = Math.floor(((e.clientY - box.top) / box.height) * height);
    setCursor(x >= 0 && y >= 0 && x < width && y < height ? { x, y } : null);
  };
  return (
    <div>
      <canvas
        ref={canvas}
        width={width}
        height={height}
        className="pixelated event-canvas"
        style={{ width: width * scale, height: height * scale }}
        aria-label="event frame"
        data-frames="0"
        onMouseMove={onMove}
        onMouseLeave={() => setCursor(null)}
      />
      <p className="muted readout" aria-live="polite">
        {cursor ? `x ${cursor.x}, y ${cursor.y}` : `${width}×${height} sensor; point at a pixel for its coordinates`}
      </p>
      <div className="controls">
        <button type="button" onClick={() => setPlaying(!playing)} aria-pressed={playing}>
          {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" onClick={() => seek(t - windowMs * 1000)}>
          <span aria-hidden="true">◀</span> Previous frame
        </button>
        <button type="button" onClick={() => seek(t + windowMs * 1000)}>
          Next frame <span aria-hidden="true">▶</span>
        </button>
        <label>
          Window (ms)
          <input type="number" min={0.1} step={0.1} value={windowMs} onChange={(e) => Number(e.target.value) > 0 && setWindowMs(Number(e.target.value))} />
        </label>
        <label>
          Speed
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <label>
          Colours
          <select value={mode} onChange={(e) => setMode(e.target.value as ColorMode)}>
            <option value="polarity">polarity (ON orange, OFF blue)</option>
            <option value="time">time (newer brighter)</option>
          </select>
        </label>
      </div>
      <label className="scrub">
        Time {formatSpanUs(t - startUs)} / {formatSpanUs(span)}
        <input type="range" min={startUs} max={endUs} step={Math.max(1, span / 1000)} value={t} onChange={(e) => seek(Number(e.target.value))} />
      </label>
    </div>
  );
}

/** A filter that is off, or on with a time in µs. */
function FilterToggle(props: { label: string; value: number | null; fallback: number; onChange: (v: number | null) => void }) {
  const [us, setUs] = useState(props.value ?? props.fallback);
  return (
    <label>
      <input type="checkbox" checked={props.value !== null} onChange={(e) => props.onChange(e.target.checked ? us : null)} />
      {props.label}
      <input
        type="number"
        min={1}
        step={100}
        value={us}
        aria-label={`${props.label} (µs)`}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (!(v > 0)) return;
          setUs(v);
          if (props.value !== null) props.onChange(v);
        }}
      />
      µs
    </label>
  );
}
