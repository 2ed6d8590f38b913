import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { Method, RunResult } from '../src-main/common/results';
import { AccuracyChart } from './results/AccuracyChart';
import { SpikeHeatMap } from './results/SpikeHeatMap';
import { asRunResult } from './results/series';

/**
 * The results viewer: open a run result written by `tppw convert --out FILE` (or `demo --out`)
 * and see accuracy against T and the layer × step spike heat map. The workbench GUI grows from
 * these screens.
 */
function App() {
  const [result, setResult] = useState<RunResult>();
  const [error, setError] = useState<string>();
  const [method, setMethod] = useState<Method>('if');

  const open = async (file: File | undefined): Promise<void> => {
    if (file === undefined) return;
    try {
      const parsed = asRunResult(JSON.parse(await file.text()));
      setResult(parsed);
      setMethod(parsed.results[0]?.method ?? 'if');
      setError(undefined);
    } catch (e) {
      setError(`${file.name}: ${(e as Error).message}`);
    }
  };

  const Tmax = result ? Math.max(...result.config.timesteps) : 0;
  return (
    <main>
      <h1>TPP Workbench results</h1>
      <label>
        Run result (JSON) <input type="file" accept="application/json,.json" onChange={(e) => void open(e.target.files?.[0])} />
      </label>
      {error && <p role="alert">{error}</p>}
      {!result && !error && <p>Open a file written by <code>tppw convert --out FILE</code>.</p>}
      {result && (
        <>
          <p>
            {result.model} on {result.dataset}, {result.samples} samples, thresholds {result.config.threshold}, v0 {result.config.v0 === 'half' ? 'θ/2' : '0'},
            backend {result.backend}; ANN {(100 * result.ann.accuracy).toFixed(2)}%
          </p>
          <AccuracyChart result={result} />
          <label>
            Heat map for{' '}
            <select value={method} onChange={(e) => setMethod(e.target.value as Method)}>
              {[...new Set(result.results.map((r) => r.method))].map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>{' '}
            at T = {Tmax}
          </label>
          <SpikeHeatMap result={result} method={method} T={Tmax} />
        </>
      )}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
