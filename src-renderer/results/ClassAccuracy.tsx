import { useState } from 'react';
import { METHOD_LABELS, type Method } from '../../src-main/common/methods';
import type { RunResult } from '../../src-main/common/results';
import { classBreakdown } from './classes';

/** Classes beyond which the confusion matrix is left out (the per-class table stays). */
const MAX_MATRIX_CLASSES = 20;

/**
 * Where the SNN loses accuracy by class: each class's accuracy for the ANN and for the SNN at the
 * chosen method and T, and the SNN's confusion matrix (rows: the label, columns: the prediction;
 * each cell shaded by its share of the row, at most half opaque so its count keeps its contrast in
 * both themes).
 */
export function ClassAccuracy({ result, method, T }: { result: RunResult; method: Method; T: number }) {
  const [of, setOf] = useState<'snn' | 'ann'>('snn');
  const breakdown = classBreakdown(result, method, T);
  if (breakdown === undefined) return <p role="status">No per-class counts for {METHOD_LABELS[method]} at T = {T} (this run was stored before they were counted).</p>;
  const { rows, classes: K } = breakdown;
  const seeds = of === 'snn' ? breakdown.seeds : 1;
  const confusion = of === 'snn' ? breakdown.confusion : result.ann.confusion!;
  const name = of === 'snn' ? `${METHOD_LABELS[method]} at T = ${T}` : 'the ANN';
  const shown = rows.map((r) => r.label);
  return (
    <div className="class-accuracy">
      <table className="table compact auto-width" aria-label={`accuracy per class, ANN and ${METHOD_LABELS[method]} at T = ${T}`}>
        <caption>Accuracy per class: ANN and {METHOD_LABELS[method]} at T = {T}{seeds > 1 ? ` (${seeds} seeds pooled)` : ''}</caption>
        <thead>
          <tr>
            <th scope="col">class</th>
            <th scope="col" className="num">samples</th>
            <th scope="col" className="num">ANN %</th>
            <th scope="col" className="num">SNN %</th>
            <th scope="col" className="num">Δ points</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label} className={r.snn < r.ann - 0.2 ? 'warn-row' : undefined}>
              <th scope="row">{r.label}</th>
              <td className="num">{r.samples}</td>
              <td className="num">{(100 * r.ann).toFixed(1)}</td>
              <td className="num">{(100 * r.snn).toFixed(1)}</td>
              <td className="num">{(100 * (r.snn - r.ann)).toFixed(1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {K <= MAX_MATRIX_CLASSES ? (
        <>
        <div className="controls"><label>
          Confusion matrix of
          <select value={of} onChange={(e) => setOf(e.target.value as 'snn' | 'ann')}>
            <option value="snn">{METHOD_LABELS[method]} at T = {T}</option>
            <option value="ann">the ANN</option>
          </select>
        </label></div>
        <table className="confusion" aria-label={`confusion matrix, ${name}`}>
          <caption>
            {name}: rows are the label, columns the prediction; counts{seeds > 1 ? ` over ${seeds} seeds` : ''}, shaded by share of the row
          </caption>
          <thead>
            <tr>
              <th scope="col">label \ predicted</th>
              {Array.from({ length: K }, (_, j) => (
                <th scope="col" key={j}>
                  {j}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => {
              let total = 0;
              for (let j = 0; j < K; j++) total += confusion[c * K + j]!;
              return (
                <tr key={c}>
                  <th scope="row">{c}</th>
                  {Array.from({ length: K }, (_, j) => {
                    const n = confusion[c * K + j]!;
                    const share = total > 0 ? n / total : 0;
                    return (
                      <td key={j} className={j === c ? 'diagonal' : undefined} style={{ background: `rgba(${j === c ? '31, 119, 180' : '214, 39, 40'}, ${(0.5 * share).toFixed(3)})` }} title={`label ${c}, predicted ${j}: ${n} (${(100 * share).toFixed(1)}% of the row)`}>
                        {n}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
        </>
      ) : (
        <p className="muted">{K} classes: the confusion matrix is shown for up to {MAX_MATRIX_CLASSES}.</p>
      )}
    </div>
  );
}
