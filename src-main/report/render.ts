import { join } from 'node:path';
import { WorkbenchError } from '../common/errors';
import type { CsvTable, Figure, ReportFormat } from '../common/report/kinds';
import type { Focus, ReportModel } from '../common/report/model';
import { reportCsv } from '../common/report/tables';
import { awaitReply, startWorker } from '../formats/node/start-worker';
import { figurePage, reportPage } from '../../src-renderer/report/page';
import type { FigureChoice } from '../../src-renderer/report/FigureDocument';
import { printToPdf, screenshotPng } from './chromium';

/**
 * A report model as the bytes of an export: JSON and CSV directly; HTML and SVG drawn by the
 * renderer's own report components in a worker thread; PDF and PNG printed from those by Chromium.
 */
export type DrawRequest = { readonly kind: 'report'; readonly model: ReportModel } | { readonly kind: 'figure'; readonly model: ReportModel; readonly choice: FigureChoice };

export interface RenderChoice {
  readonly format: ReportFormat;
  readonly figure?: Figure | undefined;
  readonly table?: CsvTable | undefined;
  readonly run?: number | undefined;
  readonly focus?: Focus | undefined;
}

const DRAW_TIME_LIMIT_MS = 120_000;

export function drawInWorker(request: DrawRequest): Promise<string> {
  const worker = startWorker(join(__dirname, 'render-worker'), __filename, request, { quiet: true });
  return awaitReply<string>(worker, DRAW_TIME_LIMIT_MS, {
    timeout: () => new WorkbenchError('internal', `drawing the ${request.kind} took longer than ${DRAW_TIME_LIMIT_MS / 1000} s`),
    error: (error) => new WorkbenchError('internal', `drawing the ${request.kind} failed: ${error.message}`),
    exit: (code) => new WorkbenchError('internal', `the ${request.kind} drawing thread stopped (exit code ${code})`),
  });
}

export async function reportHtml(model: ReportModel): Promise<string> {
  return reportPage(model.title, await drawInWorker({ kind: 'report', model }));
}

export function figureSvg(model: ReportModel, choice: FigureChoice): Promise<string> {
  return drawInWorker({ kind: 'figure', model, choice });
}

export async function renderExport(model: ReportModel, choice: RenderChoice): Promise<Uint8Array> {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const figure = (): FigureChoice => {
    if (choice.figure === undefined) throw new WorkbenchError('invalid_argument', `a ${choice.format} export is one figure: say which (accuracy, latency, energy, layers, heatmap)`);
    return { figure: choice.figure, ...(choice.run !== undefined ? { run: choice.run } : {}), ...(choice.focus !== undefined ? { focus: choice.focus } : {}) };
  };
  switch (choice.format) {
    case 'json':
      return text(`${JSON.stringify(model, null, 2)}\n`);
    case 'csv':
      return text(reportCsv(model, choice.table ?? 'results'));
    case 'html':
      return text(await reportHtml(model));
    case 'pdf':
      return printToPdf(await reportHtml(model));
    case 'svg':
      return text(await figureSvg(model, figure()));
    case 'png': {
      const svg = await figureSvg(model, figure());
      const size = /<svg[^>]*\bwidth="(\d+(?:\.\d+)?)"[^>]*\bheight="(\d+(?:\.\d+)?)"/.exec(svg);
      return screenshotPng(figurePage(svg), Math.ceil(Number(size?.[1] ?? 720)), Math.ceil(Number(size?.[2] ?? 400)));
    }
  }
}
