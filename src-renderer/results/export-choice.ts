import type { HandlerInput } from '../../src-main/common/contract';
import type { Method } from '../../src-main/common/methods';
import { CSV_TABLES, FIGURES, FIGURE_TITLES, type CsvTable, type Figure } from '../../src-main/common/report/kinds';

/**
 * What the Results screen's Export menu offers, as one list: the whole report (HTML, PDF, JSON),
 * each tidy table as CSV, each figure as SVG or PNG, and, for one run, its converted network at
 * the chosen (method, T) as NIR or .tppw. Each choice maps to one export handler call.
 */
export type ExportChoice =
  | { readonly kind: 'report'; readonly format: 'html' | 'pdf' | 'json' }
  | { readonly kind: 'table'; readonly table: CsvTable }
  | { readonly kind: 'figure'; readonly format: 'svg' | 'png'; readonly figure: Figure }
  | { readonly kind: 'network'; readonly to: 'nir' | 'tppw' };

export interface LabelledChoice {
  readonly key: string;
  readonly label: string;
  readonly choice: ExportChoice;
}

export function exportChoices(singleRun: boolean): LabelledChoice[] {
  const list: LabelledChoice[] = [
    { key: 'report-html', label: 'Report (HTML, one self-contained file)', choice: { kind: 'report', format: 'html' } },
    { key: 'report-pdf', label: 'Report (PDF)', choice: { kind: 'report', format: 'pdf' } },
    { key: 'report-json', label: 'Report data (JSON)', choice: { kind: 'report', format: 'json' } },
    ...CSV_TABLES.map((table) => ({ key: `table-${table}`, label: `Table: ${table} (CSV)`, choice: { kind: 'table', table } as const })),
    ...FIGURES.flatMap((figure) =>
      (['svg', 'png'] as const).map((format) => ({ key: `figure-${figure}-${format}`, label: `Figure: ${FIGURE_TITLES[figure]} (${format.toUpperCase()})`, choice: { kind: 'figure', format, figure } as const })),
    ),
  ];
  if (singleRun) {
    list.push(
      { key: 'network-nir', label: 'Converted network at this method and T (NIR)', choice: { kind: 'network', to: 'nir' } },
      { key: 'network-tppw', label: 'Converted network at this method and T (.tppw)', choice: { kind: 'network', to: 'tppw' } },
    );
  }
  return list;
}

export type ExportCall =
  | { readonly handler: 'runs.report'; readonly args: HandlerInput<'runs.report'>; readonly fileName: string }
  | { readonly handler: 'runs.export'; readonly args: HandlerInput<'runs.export'>; readonly fileName: string };

/** The handler call of a choice for these runs at the focused (method, T), and the file name to offer. */
export function exportCall(choice: ExportChoice, ids: readonly number[], focus: { readonly method: Method; readonly T: number }): ExportCall {
  const runs = `run${ids.join('-')}`;
  switch (choice.kind) {
    case 'report':
      return { handler: 'runs.report', args: { ids: [...ids], format: choice.format, method: focus.method, T: focus.T }, fileName: `report-${runs}.${choice.format}` };
    case 'table':
      return { handler: 'runs.report', args: { ids: [...ids], format: 'csv', table: choice.table }, fileName: `${choice.table}-${runs}.csv` };
    case 'figure':
      return { handler: 'runs.report', args: { ids: [...ids], format: choice.format, figure: choice.figure, method: focus.method, T: focus.T }, fileName: `figure-${choice.figure}-${runs}.${choice.format}` };
    case 'network':
      return { handler: 'runs.export', args: { id: ids[0]!, method: focus.method, T: focus.T, to: choice.to }, fileName: `network-${runs}-${focus.method}-T${focus.T}.${choice.to}` };
  }
}
