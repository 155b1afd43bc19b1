// The shell of every HTML report: one self-contained page whose Content-Security-Policy forbids any request.
import { createHash } from 'node:crypto';
import { escapeHtml } from './html-escape.js';
import { chartColours } from './svg-chart.js';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2127;margin:0 auto;max-width:1200px;padding:16px 24px 48px}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:18px;margin:0 0 4px}h3{font-size:15px;margin:20px 0 6px}h4{font-size:14px;margin:0 0 4px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;overflow-wrap:anywhere}
.verdict{display:inline-block;border-radius:4px;padding:1px 8px;font-weight:700;color:#fff;font-size:13px;margin-right:6px}
.verdict.leak{background:#c0392b}.verdict.pass{background:#2e8b57}.verdict.error{background:#7d3c98}
section.handler{border:1px solid #d8dbe0;border-radius:8px;padding:16px 20px;margin:20px 0}
section.handler.leak{border-left:6px solid #c0392b}section.handler.pass{border-left:6px solid #2e8b57}section.handler.error{border-left:6px solid #7d3c98}
.run{color:#5a606b;margin:2px 0 8px}
.finding{border-top:1px solid #eceef1;padding:10px 0}.growth{color:#b35c00;font-weight:600}.where{color:#1f5fa8}
.message{margin:4px 0}.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:8px 24px}
figure.chart{margin:6px 0}figure.chart svg{width:100%;max-width:560px;height:auto;display:block}
figcaption{color:#5a606b;font-size:12.5px;max-width:560px}
.legend{font-size:12px;color:#444;display:flex;gap:14px;flex-wrap:wrap}.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
${Object.entries(chartColours)
  .map(([tone, value]) => `.swatch[data-tone="${tone}"]{background:${value}}`)
  .join('')}
table{border-collapse:collapse;margin:6px 0}th,td{border-bottom:1px solid #e4e6ea;padding:4px 10px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
th button{font:inherit;font-weight:700;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort="ascending"] button::after{content:" ▲"}th[aria-sort="descending"] button::after{content:" ▼"}
.muted{color:#5a606b}ul.retainers{margin:4px 0;padding-left:20px}
`;

// Sorts the summary table by the clicked column; without script the table keeps its culprit-first order.
const SCRIPT = `
for (const button of document.querySelectorAll('th[data-sort] button')) {
  button.addEventListener('click', () => {
    const th = button.parentElement;
    const table = th.closest('table');
    const column = [...th.parentElement.children].indexOf(th);
    const ascending = th.getAttribute('aria-sort') !== 'ascending';
    for (const other of th.parentElement.children) other.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    const numeric = th.dataset.sort === 'number';
    const key = (row) => row.cells[column].dataset.value ?? row.cells[column].textContent;
    const rows = [...table.tBodies[0].rows].sort((a, b) => {
      const order = numeric ? Number(key(a)) - Number(key(b)) : key(a).localeCompare(key(b));
      return ascending ? order : -order;
    });
    table.tBodies[0].append(...rows);
  });
}
`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Only this page's own style and script may run; nothing may be fetched, framed, submitted or navigated to. */
const CSP = [
  "default-src 'none'",
  `style-src ${hash(STYLE)}`,
  `script-src ${hash(SCRIPT)}`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The whole document; `body` is already escaped HTML. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="warmleak">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<script>${SCRIPT}</script>
</body>
</html>
`;
}
