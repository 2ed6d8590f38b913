/** @jsxRuntime automatic */
/** @jsxImportSource react */
import type { Method } from '../../src-main/common/methods';
import type { RunResult } from '../../src-main/common/results';
import { spikeHeatMap, type HeatMap } from './series';

const LABEL_WIDTH = 90;
const PEAK_WIDTH = 70;
const ROW_HEIGHT = 18;
const AXIS_HEIGHT = 24;
const LEGEND_HEIGHT = 22;
const LEGEND_STOPS = 5;

/**
 * Layer × step heat map of spikes per neuron, in SVG: one cell per (layer, step), shaded against
 * the layer's own peak (layers fire at very different rates), which stands at the row's end, with
 * a colour scale under the step axis and each cell's value as its tooltip. The GUI, the report and the exported figure all draw this.
 */
export function SpikeHeatMap({ result, method, T, width = 720 }: { result: RunResult; method: Method; T: number; width?: number }) {
  const map = spikeHeatMap(result, method, T);
  if (map === undefined) return <p role="status">No {method} result at T = {T}.</p>;
  return <HeatMapSvg map={map} width={width} label={`spikes per neuron at each step, ${method}, T = ${T}`} />;
}

export function heatMapHeight(layers: number): number {
  return layers * ROW_HEIGHT + AXIS_HEIGHT + LEGEND_HEIGHT;
}

function HeatMapSvg({ map, width, label }: { map: HeatMap; width: number; label: string }) {
  const steps = map.rows[0]?.length ?? 0;
  const cell = Math.max(1, Math.min(24, (width - LABEL_WIDTH - PEAK_WIDTH - 10) / Math.max(1, steps)));
  const right = LABEL_WIDTH + steps * cell + 6;
  const legendY = map.layers.length * ROW_HEIGHT + AXIS_HEIGHT;
  const height = heatMapHeight(map.layers.length);
  const tickEvery = steps <= 16 ? 1 : Math.ceil(steps / 16);
  return (
    <svg className="heatmap" role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`} fontSize={11}>
      {map.rows.map((row, l) => (
        <g key={map.layers[l]} className="heatmap-row">
          <text x={LABEL_WIDTH - 6} y={l * ROW_HEIGHT + 13} textAnchor="end" fill="currentColor">
            {map.layers[l]}
          </text>
          {row.map((v, t) => (
            <rect key={t} x={LABEL_WIDTH + t * cell} y={l * ROW_HEIGHT + 1} width={Math.max(0.5, cell - 0.5)} height={ROW_HEIGHT - 2} fill="#d62728" fillOpacity={map.rowMax[l]! > 0 ? v / map.rowMax[l]! : 0} stroke="#d62728" strokeOpacity={0.15} strokeWidth={0.5}>
              <title>{`${map.layers[l]}, step ${t + 1}: ${v.toFixed(4)} spikes per neuron`}</title>
            </rect>
          ))}
          <text x={right} y={l * ROW_HEIGHT + 13} fill="currentColor">
            {formatPeak(map.rowMax[l]!)}
          </text>
        </g>
      ))}

      <g className="heatmap-axis" fill="currentColor">
        {Array.from({ length: steps }, (_, t) => t)
          .filter((t) => t === 0 || (t + 1) % tickEvery === 0)
          .map((t) => (
            <text key={t} x={LABEL_WIDTH + (t + 0.5) * cell} y={map.layers.length * ROW_HEIGHT + 14} textAnchor="middle">
              {t + 1}
            </text>
          ))}
        <text x={LABEL_WIDTH - 6} y={map.layers.length * ROW_HEIGHT + 14} textAnchor="end">
          step
        </text>
      </g>
      {/* the colour scale: each row is shaded from 0 to its own peak (the number at its end) */}
      <g className="heatmap-legend" aria-label="colour scale: 0 to the layer's peak">
        <text x={LABEL_WIDTH - 6} y={legendY + 13} textAnchor="end" fill="currentColor">
          scale
        </text>
        {Array.from({ length: LEGEND_STOPS }, (_, k) => (
          <g key={k}>
            <rect x={LABEL_WIDTH + k * 28} y={legendY + 3} width={26} height={12} fill="#d62728" fillOpacity={k / (LEGEND_STOPS - 1)} stroke="#d62728" strokeOpacity={0.4} strokeWidth={0.5} />
          </g>
        ))}
        <text x={LABEL_WIDTH + LEGEND_STOPS * 28 + 4} y={legendY + 13} fill="currentColor">
          0 → the row&apos;s peak, the number at its end (spikes per neuron in one step)
        </text>
      </g>
    </svg>
  );
}

/** A row's peak for its label: three significant digits. */
function formatPeak(v: number): string {
  return v === 0 ? '0' : v.toPrecision(3);
}
