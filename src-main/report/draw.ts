import { createElement, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import type { ReportModel } from '../common/report/model';
import { FigureDocument, type FigureChoice } from '../../src-renderer/report/FigureDocument';
import { ReportDocument } from '../../src-renderer/report/ReportDocument';
import { MiniDocument, MiniElement } from './mini-dom';

/**
 * Draws the renderer's report components to markup in Node, with react-dom's client renderer on
 * a minimal DOM (see mini-dom.ts for why not react-dom/server). Runs in its own worker thread
 * (render-worker.ts): react-dom reads a global `window` (for `window.event`), which must not leak
 * into a process whose other libraries decide from it that they run in a browser.
 */
function installGlobals(): void {
  const g = globalThis as Record<string, unknown>;
  // No `document` on this window: recharts then measures no text (it thinks it renders on a server).
  g['window'] ??= { event: undefined, getComputedStyle: () => ({ fontSize: '', letterSpacing: '' }) };
  g['requestAnimationFrame'] ??= (f: (t: number) => void) => setTimeout(() => f(performance.now()), 0);
  g['cancelAnimationFrame'] ??= (h: ReturnType<typeof setTimeout>) => clearTimeout(h);
}

/** Renders until the markup stops changing (recharts lays out over a few effect passes). */
async function drawInto(element: ReactElement): Promise<{ container: MiniElement; done: () => void }> {
  installGlobals();
  const doc = new MiniDocument();
  const container = doc.createElement('div');
  doc.body.appendChild(container);
  const root = createRoot(container as unknown as Element);
  root.render(element);
  let previous = '';
  let same = 0;
  for (let turn = 0; turn < 500 && same < 2; turn++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    const now = container.innerHTML;
    same = now === previous && now !== '' ? same + 1 : 0;
    previous = now;
  }
  return { container, done: () => root.unmount() };
}

export async function drawReportBody(model: ReportModel): Promise<string> {
  const { container, done } = await drawInto(createElement(ReportDocument, { model }));
  try {
    return container.innerHTML;
  } finally {
    done();
  }
}

/** One figure as a standalone SVG document: each chart's <svg> moved into its slot of the page. */
export async function drawFigureSvg(model: ReportModel, choice: FigureChoice): Promise<string> {
  const { container, done } = await drawInto(createElement(FigureDocument, { model, choice }));
  try {
    const all = [...container.descendants()];
    const page = all.find((e) => e.hasAttribute('data-figure'));
    if (page === undefined) throw new Error('the figure was not drawn');
    for (const slot of all.filter((e) => e.hasAttribute('data-slot'))) {
      const holder = all.find((e) => e.getAttribute('data-chart') === slot.getAttribute('data-slot'));
      const chart = holder === undefined ? undefined : [...holder.descendants()].find((e) => e.localName === 'svg');
      if (chart === undefined) continue;
      // Inside another SVG a nested <svg> takes its size from its attributes; the GUI's CSS sizing
      // and keyboard focus make no sense in a file.
      for (const attr of ['style', 'role', 'tabindex']) chart.removeAttribute(attr);
      slot.removeAttribute('data-slot');
      slot.appendChild(chart);
    }
    page.removeAttribute('data-figure');
    return `<?xml version="1.0" encoding="UTF-8"?>\n${page.outerHTML}\n`;
  } finally {
    done();
  }
}
