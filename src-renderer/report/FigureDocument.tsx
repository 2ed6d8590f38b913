/** @jsxRuntime automatic */
/** @jsxImportSource react */
import type { ReactElement } from 'react';
import { METHOD_LABELS } from '../../src-main/common/methods';
import { FIGURE_TITLES, type Figure } from '../../src-main/common/report/kinds';
import type { Focus, ReportModel } from '../../src-main/common/report/model';
import { AccuracyChart, accuracyLegend } from '../results/AccuracyChart';
import { SvgLegend, legendRows, LEGEND_ROW, type LegendItem } from '../results/ChartBox';
import { EnergyChart, energyLegend } from '../results/EnergyChart';
import { ErrorResidualChart, FiringRateChart, LAYER_LEGEND } from '../results/LayerCharts';
import { layerRows, type LabelledRun } from '../results/series';
import { SpikeHeatMap, heatMapHeight } from '../results/SpikeHeatMap';

/**
 * One chart alone, as an SVG file for a paper: a white page, a title, the legend drawn in SVG
 * and the chart itself — the very component the Results screen and the report draw. Charts are
 * drawn into `data-chart` holders beside the page; the Node side then moves each chart's `<svg>`
 * into its `data-slot` (SVG cannot hold recharts' HTML wrapper), giving one self-contained SVG.
 */
export const FIGURE_WIDTH = 720;
const TITLE_HEIGHT = 28;

export interface FigureChoice {
  readonly figure: Figure;
  /** For `layers` and `heatmap`: which run and (method, T); default the first run's first focus. */
  readonly run?: number;
  readonly focus?: Focus;
}

interface Slot {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly chart: ReactElement;
}

export function figureLayout(model: ReportModel, choice: FigureChoice): { title: string; width: number; height: number; legend: readonly LegendItem[]; slots: readonly Slot[] } {
  const runs: LabelledRun[] = model.runs.map((r) => ({ id: r.id, result: r.result }));
  const run = model.runs.find((r) => r.id === choice.run) ?? model.runs[0]!;
  const focus = choice.focus ?? run.focus[0] ?? { method: run.result.results[0]!.method, T: Math.max(...run.result.config.timesteps) };
  const at = `${METHOD_LABELS[focus.method]}, T = ${focus.T}${model.runs.length > 1 ? `, run #${run.id}` : ''}`;
  const stack = (title: string, legend: readonly LegendItem[], charts: readonly { width: number; height: number; chart: (size: { width: number; height: number }) => ReactElement }[]) => {
    const top = TITLE_HEIGHT + legendRows(legend, FIGURE_WIDTH - 20) * LEGEND_ROW + 6;
    let x = 0;
    const slots = charts.map((c) => {
      const slot = { x, y: top, width: c.width, height: c.height, chart: c.chart({ width: c.width, height: c.height }) };
      x += c.width;
      return slot;
    });
    return { title, width: FIGURE_WIDTH, height: top + Math.max(...charts.map((c) => c.height)) + 8, legend, slots };
  };
  switch (choice.figure) {
    case 'accuracy':
      return stack(FIGURE_TITLES.accuracy, accuracyLegend(runs), [{ width: FIGURE_WIDTH, height: 340, chart: (size) => <AccuracyChart runs={runs} size={size} legend={false} /> }]);
    case 'latency':
      return stack(FIGURE_TITLES.latency, accuracyLegend(runs), [{ width: FIGURE_WIDTH, height: 340, chart: (size) => <AccuracyChart runs={runs} against="latency" size={size} legend={false} /> }]);
    case 'energy':
      return stack(FIGURE_TITLES.energy, energyLegend(runs), [{ width: FIGURE_WIDTH, height: 320, chart: (size) => <EnergyChart runs={runs} size={size} legend={false} /> }]);
    case 'layers': {
      const rows = layerRows(run.result, focus.method, focus.T) ?? [];
      return stack(`${FIGURE_TITLES.layers} (${at})`, LAYER_LEGEND, [
        { width: FIGURE_WIDTH / 2, height: 260, chart: (size) => <FiringRateChart rows={rows} size={size} /> },
        { width: FIGURE_WIDTH / 2, height: 260, chart: (size) => <ErrorResidualChart rows={rows} size={size} legend={false} /> },
      ]);
    }
    case 'heatmap': {
      const layers = run.result.results.find((r) => r.method === focus.method && r.T === focus.T)?.perLayer.length ?? 0;
      return stack(`${FIGURE_TITLES.heatmap} (${at})`, [], [{ width: FIGURE_WIDTH, height: heatMapHeight(layers), chart: (size) => <SpikeHeatMap result={run.result} method={focus.method} T={focus.T} width={size.width} /> }]);
    }
  }
}

export function FigureDocument({ model, choice }: { model: ReportModel; choice: FigureChoice }) {
  const f = figureLayout(model, choice);
  return (
    <div>
      <svg data-figure="" xmlns="http://www.w3.org/2000/svg" width={f.width} height={f.height} viewBox={`0 0 ${f.width} ${f.height}`} fontFamily="Helvetica, Arial, 'DejaVu Sans', sans-serif" fontSize={12}>
        <rect x={0} y={0} width={f.width} height={f.height} fill="#ffffff" />
        <text x={10} y={18} fontSize={14} fontWeight="bold" fill="#1d1d1f">
          {f.title}
        </text>
        <g transform={`translate(10, ${TITLE_HEIGHT})`}>
          <SvgLegend items={f.legend} width={f.width - 20} />
        </g>
        {f.slots.map((s, k) => (
          <g key={k} data-slot={String(k)} transform={`translate(${s.x}, ${s.y})`} />
        ))}
      </svg>
      {f.slots.map((s, k) => (
        <div key={k} data-chart={String(k)}>
          {s.chart}
        </div>
      ))}
    </div>
  );
}
