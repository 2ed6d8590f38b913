/**
 * The report's whole stylesheet, inlined into the file: no fonts, scripts or images are fetched,
 * so the file reads the same offline, in any browser, years from now, and prints to A4 as is.
 */
export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; font-size: 13px; line-height: 1.45; color: #1d1d1f; background: #fff; margin: 0 auto; max-width: 820px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-top: 8px; border-top: 2px solid #1f77b4; }
h3 { font-size: 14px; margin: 18px 0 6px; }
p.meta { color: #555; margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; font-size: 12px; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f4f6f8; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.card th { width: 30%; background: none; font-weight: 600; color: #444; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 11px; }
pre { background: #f4f6f8; padding: 8px; white-space: pre-wrap; word-break: break-all; border-radius: 4px; }
.hash { word-break: break-all; }
figure { margin: 10px 0 16px; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 4px; }
.alert { background: #fde8e8; border-left: 4px solid #d62728; padding: 6px 10px; margin: 8px 0; font-weight: 600; }
ul.warnings li { color: #8a4b00; }
.pair { display: flex; gap: 8px; }
.recharts-wrapper { margin: 0 auto; }
.recharts-legend-wrapper { font-size: 12px; }
svg text { font-family: inherit; }
svg.heatmap { color: #333; }
footer { margin-top: 32px; color: #777; font-size: 11px; border-top: 1px solid #ddd; padding-top: 8px; }
@page { size: A4; margin: 14mm; }
@media print { body { max-width: none; padding: 0; } h2 { break-before: auto; } table, pre { break-inside: avoid; } }
`;
