/**
 * What the workbench exports (DESIGN.md, Exports): reports of one or more runs, single figures for
 * papers, tidy data tables, and converted networks. The contract's export handlers take these.
 */

/** `svg` and `png` are one figure alone (`figure` says which); the others are the whole report. */
export const REPORT_FORMATS = ['html', 'pdf', 'csv', 'json', 'svg', 'png'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The report's charts, each exportable alone. */
export const FIGURES = ['accuracy', 'latency', 'energy', 'layers', 'heatmap'] as const;
export type Figure = (typeof FIGURES)[number];

export const FIGURE_TITLES: Readonly<Record<Figure, string>> = {
  accuracy: 'Accuracy against time steps T',
  latency: 'Accuracy against end-to-end latency',
  energy: 'Accuracy against estimated energy per sample',
  layers: 'Per-layer firing rate, conversion error and residual potential',
  heatmap: 'Spikes per neuron at each step (layer × step)',
};

/** The tidy long tables a CSV export can hold: one table per file. */
export const CSV_TABLES = ['results', 'layers', 'spikes'] as const;
export type CsvTable = (typeof CSV_TABLES)[number];

/** Converted networks leave as NIR (HDF5, other tools) or as the workbench's own `.tppw`. */
export const NETWORK_FORMATS = ['nir', 'tppw'] as const;
export type NetworkFormat = (typeof NETWORK_FORMATS)[number];

/** Media type and file extension of each exported file kind. */
export const EXPORT_FILES = {
  html: { ext: 'html', type: 'text/html; charset=utf-8' },
  pdf: { ext: 'pdf', type: 'application/pdf' },
  csv: { ext: 'csv', type: 'text/csv; charset=utf-8' },
  json: { ext: 'json', type: 'application/json' },
  svg: { ext: 'svg', type: 'image/svg+xml' },
  png: { ext: 'png', type: 'image/png' },
  nir: { ext: 'nir', type: 'application/x-hdf5' },
  tppw: { ext: 'tppw', type: 'application/octet-stream' },
} as const;
export type ExportFileKind = keyof typeof EXPORT_FILES;

/** A file the service keeps under `artifacts/`, as its handlers answer it. */
export interface ArtifactInfo {
  readonly id: number;
  /** `report`, `figure`, `table`, `network` (an exported converted network) or `snn` (one a run stored). */
  readonly kind: string;
  /** Relative to the data directory. */
  readonly path: string;
  /** The name a download or a save dialog should offer. */
  readonly fileName: string;
  readonly mediaType: string;
  readonly bytes: number;
  readonly sha256: string | null;
  /** What it belongs to, e.g. `run:3`. */
  readonly owner: string | null;
  /** Set when the handler also wrote the file to an `out` path. */
  readonly writtenTo?: string;
}
