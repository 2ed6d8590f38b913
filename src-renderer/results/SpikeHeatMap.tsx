import type { Method } from '../../src-main/common/methods';
import type { RunResult } from '../../src-main/common/results';
import { spikeHeatMap } from './series';

/** Layer × step heat map of spikes per neuron, as a table of cells shaded against each layer's peak. */
export function SpikeHeatMap({ result, method, T }: { result: RunResult; method: Method; T: number }) {
  const map = spikeHeatMap(result, method, T);
  if (map === undefined) return <p role="status">No {method} result at T = {T}.</p>;
  return (
    <table className="heatmap" aria-label={`spikes per neuron at each step, ${method}, T = ${T}`}>
      <tbody>
        {map.rows.map((row, l) => (
          <tr key={map.layers[l]}>
            <th scope="row">{map.layers[l]}</th>
            {row.map((v, t) => (
              <td key={t} title={`step ${t + 1}: ${v.toFixed(4)} spikes per neuron`} style={{ background: `rgba(214, 39, 40, ${map.rowMax[l]! > 0 ? v / map.rowMax[l]! : 0})` }} />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
