import { useEffect, useMemo, useRef, useState } from 'react';
import { base64Float32 } from '../api/base64';
import { useCall } from '../api/hooks';
import { ErrorBox, Loading } from '../ui/states';
import { renderCountFrame } from './frames';

type Polarity = 'two-channels' | 'signed' | 'merged';

/**
 * The frames a conversion would feed for this sample, computed by the service with the engine's
 * own code (datasets.frames): one accumulated frame (summed input) or T frames (per-step input),
 * with the polarity and frame split the Convert form offers. One colour scale for all frames.
 */
export function FramePreview({ datasetId, index }: { datasetId: number; index: number }) {
  const [input, setInput] = useState<'summed' | 'steps'>('steps');
  const [T, setT] = useState(8);
  const [polarity, setPolarity] = useState<Polarity>('two-channels');
  const [split, setSplit] = useState<'count' | 'time'>('count');
  const frames = useCall('datasets.frames', { id: datasetId, index, input, T, polarity, split });
  const data = useMemo(() => (frames.data ? base64Float32(frames.data.data) : undefined), [frames.data]);
  return (
    <section aria-label="conversion frames" className="card">
      <h4>Frames the conversion feeds</h4>
      <div className="controls">
        <label>
          Event input
          <select value={input} onChange={(e) => setInput(e.target.value as 'summed' | 'steps')}>
            <option value="steps">per step (frame t at step t)</option>
            <option value="summed">summed (one accumulated frame)</option>
          </select>
        </label>
        {input === 'steps' && (
          <label>
            T
            <select value={T} onChange={(e) => setT(Number(e.target.value))}>
              {[1, 2, 4, 8, 16].map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Polarity
          <select value={polarity} onChange={(e) => setPolarity(e.target.value as Polarity)}>
            <option value="two-channels">two channels (OFF, ON)</option>
            <option value="signed">signed (ON − OFF)</option>
            <option value="merged">merged</option>
          </select>
        </label>
        {input === 'steps' && (
          <label>
            Frame split
            <select value={split} onChange={(e) => setSplit(e.target.value as 'count' | 'time')}>
              <option value="count">equal event counts</option>
              <option value="time">equal time spans</option>
            </select>
          </label>
        )}
      </div>
      {frames.error && <ErrorBox error={frames.error} onRetry={frames.reload} />}
      {!frames.error && (frames.data === undefined || data === undefined) && <Loading what="frames" />}
      {frames.data && data && (
        <div className="frame-strip">
          {Array.from({ length: frames.data.frames }, (_, t) => (
            <Frame key={`${frames.data!.shape.join('x')}-${polarity}-${t}`} data={data} t={t} shape={frames.data!.shape} peak={frames.data!.peak} polarity={polarity} label={frames.data!.frames === 1 ? 'accumulated frame' : `step ${t + 1}`} />
          ))}
        </div>
      )}
    </section>
  );
}

function Frame(props: { data: Float32Array; t: number; shape: readonly [number, number, number]; peak: number; polarity: Polarity; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h, w, c] = props.shape;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(w, h);
    renderCountFrame(props.data, props.t * h * w * c, props.shape, props.peak, props.polarity, image.data);
    ctx.putImageData(image, 0, 0);
  }, [props.data, props.t, props.shape, props.peak, props.polarity, h, w, c]);
  const scale = Math.min(4, 120 / Math.max(w, h));
  return (
    <figure className="frame">
      <canvas ref={ref} width={w} height={h} className="pixelated" style={{ width: w * scale, height: h * scale }} aria-label={props.label} />
      <figcaption>{props.label}</figcaption>
    </figure>
  );
}
