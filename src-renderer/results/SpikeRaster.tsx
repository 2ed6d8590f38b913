/** @jsxRuntime automatic */
/** @jsxImportSource react */
import { METHOD_LABELS, type Method } from '../../src-main/common/methods';
import type { MethodResult, RunResult } from '../../src-main/common/results';
import { colourOf } from './colours';

const LABEL_HEIGHT = 16;
const ROW = 3;
const GAP = 10;

/** The methods a side-by-side view compares, in this order, as far as the run has them at T. */
const COMPARED: readonly Method[] = ['if', 'if-permute', 'tpp', 'tpp-iid'];

/**
 * Temporal misalignment side by side at one T: for each method the run has (IF, IF-Permute, TPP,
 * TPP-iid), a spike raster of sampled neurons of every spiking layer in the first evaluated sample
 * (one line per neuron, a tick per spike, the step axis left to right), and under them each
 * layer's onset and late mass for every method.
 */
export function MisalignmentSideBySide({ result, T, width = 1100 }: { result: RunResult; T: number; width?: number }) {
  const rows = COMPARED.map((m) => result.results.find((r) => r.method === m && r.T === T)).filter((r): r is MethodResult => r !== undefined);
  if (rows.length === 0) return <p role="status">No result at T = {T}.</p>;
  const withRaster = rows.filter((r) => r.perLayer.every((l) => l.raster !== undefined));
  const column = Math.floor((width - GAP * (withRaster.length - 1)) / Math.max(1, withRaster.length));
  return (
    <>
      {withRaster.length > 0 ? (
        <div className="raster-row">
          {withRaster.map((r) => (
            <Raster key={r.method} row={r} T={T} width={column} />
          ))}
        </div>
      ) : (
        <p role="status">No spike rasters at T = {T} (kept by the CPU backends, for runs from this version on).</p>
      )}
      <table className="table compact" aria-label={`onset and late mass per layer, T = ${T}`}>
        <thead>
          <tr>
            <th scope="col">layer</th>
            {rows.map((r) => (
              <th scope="col" className="num" key={`o${r.method}`}>
                onset, {METHOD_LABELS[r.method]}
              </th>
            ))}
            {rows.map((r) => (
              <th scope="col" className="num" key={`l${r.method}`}>
                late mass, {METHOD_LABELS[r.method]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows[0]!.perLayer.map((layer, i) => (
            <tr key={layer.node}>
              <th scope="row">{layer.node}</th>
              {rows.map((r) => (
                <td className="num" key={`o${r.method}`}>
                  {r.perLayer[i]!.onset === null ? '–' : r.perLayer[i]!.onset!.toFixed(2)}
                </td>
              ))}
              {rows.map((r) => (
                <td className="num" key={`l${r.method}`}>
                  {r.perLayer[i]!.lateMass === null ? '–' : r.perLayer[i]!.lateMass!.toFixed(3)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Raster({ row, T, width }: { row: MethodResult; T: number; width: number }) {
  const layers = row.perLayer;
  const blockHeight = (n: number): number => LABEL_HEIGHT + n * ROW + 6;
  const height = layers.reduce((h, l) => h + blockHeight(l.raster!.neurons.length), 0) + 18;
  const plot = width - 8;
  const x = (step: number): number => 4 + ((step - 0.5) / T) * plot;
  const colour = colourOf(row.method, 0);
  let y = 0;
  return (
    <svg className="raster" role="img" aria-label={`spike raster, ${METHOD_LABELS[row.method]}, T = ${T}`} width={width} height={height} viewBox={`0 0 ${width} ${height}`} fontSize={11}>
      <text x={4} y={12} fill="currentColor" fontWeight={600}>
        {METHOD_LABELS[row.method]}
      </text>
      {layers.map((l) => {
        const top = y + 18;
        const raster = l.raster!;
        const block = (
          <g key={l.node}>
            <text x={4} y={top + 11} fill="currentColor" className="raster-label">
              {l.node}
            </text>
            <rect x={4} y={top + LABEL_HEIGHT - 1} width={plot} height={raster.neurons.length * ROW + 2} fill="none" stroke="currentColor" strokeOpacity={0.2} />
            {raster.steps.map((steps, n) =>
              steps.map((s) => <rect key={`${n}-${s}`} x={x(s) - Math.max(0.5, plot / T / 2) / 2} y={top + LABEL_HEIGHT + n * ROW} width={Math.max(0.5, plot / T / 2)} height={ROW - 0.5} fill={colour} />),
            )}
          </g>
        );
        y += blockHeight(raster.neurons.length);
        return block;
      })}
      <text x={4} y={height - 3} fill="currentColor">
        step 1
      </text>
      <text x={width - 4} y={height - 3} fill="currentColor" textAnchor="end">
        {T}
      </text>
    </svg>
  );
}
