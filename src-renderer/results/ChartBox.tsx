/** @jsxRuntime automatic */
/** @jsxImportSource react */
import { cloneElement, type ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

/**
 * Where a chart gets its size: a fixed one (reports and figures, drawn outside any page layout,
 * where ResponsiveContainer has nothing to measure), or the container's width in the GUI. A chart
 * at a fixed size is a print: the charts leave their hover tooltips out of it.
 * The JSX pragmas above let the Node-side report renderer (src-main/report) load these files
 * with tsx as well as Vite.
 */
export interface ChartSize {
  readonly width: number;
  readonly height: number;
}

export function ChartBox({ size, height, children }: { size: ChartSize | undefined; height: number; children: ReactElement<{ width?: number; height?: number }> }) {
  if (size !== undefined) return cloneElement(children, { width: size.width, height: size.height });
  return (
    <ResponsiveContainer width="100%" height={height}>
      {children}
    </ResponsiveContainer>
  );
}

/** One entry of a chart's legend: what SvgLegend draws inside a figure's SVG. */
export interface LegendItem {
  readonly label: string;
  readonly colour: string;
  readonly shape: 'line' | 'square';
  readonly dashed?: boolean;
}

/**
 * A legend drawn in SVG, for figures exported alone (recharts' own legend is HTML, which an SVG
 * file cannot hold). Items flow left to right and wrap at `width`; about 6.5 px per character.
 */
export function SvgLegend({ items, width, y = 0 }: { items: readonly LegendItem[]; width: number; y?: number }) {
  let x = 0;
  let row = 0;
  const placed = items.map((item) => {
    const w = 26 + Math.ceil(item.label.length * 6.5) + 14;
    if (x > 0 && x + w > width) {
      x = 0;
      row++;
    }
    const at = { item, x, y: y + row * LEGEND_ROW };
    x += w;
    return at;
  });
  return (
    <g className="figure-legend" fontSize={12}>
      {placed.map(({ item, x: px, y: py }) => (
        <g key={`${item.label}${px}${py}`} transform={`translate(${px}, ${py})`}>
          {item.shape === 'line' ? (
            <line x1={0} y1={8} x2={20} y2={8} stroke={item.colour} strokeWidth={2} strokeDasharray={item.dashed ? '6 3' : undefined} />
          ) : (
            <rect x={4} y={2} width={12} height={12} fill={item.colour} />
          )}
          <text x={26} y={12} fill="#333">
            {item.label}
          </text>
        </g>
      ))}
    </g>
  );
}

export const LEGEND_ROW = 18;

/** Rows SvgLegend needs for these items at this width. */
export function legendRows(items: readonly LegendItem[], width: number): number {
  let x = 0;
  let rows = items.length > 0 ? 1 : 0;
  for (const item of items) {
    const w = 26 + Math.ceil(item.label.length * 6.5) + 14;
    if (x > 0 && x + w > width) {
      x = 0;
      rows++;
    }
    x += w;
  }
  return rows;
}
