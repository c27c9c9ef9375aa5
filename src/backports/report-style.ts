/** The report's stylesheet, inlined: the page needs nothing from the network. */
export const REPORT_STYLE = `
:root { --n: #6b7280; --u: #15803d; --w: #1d4ed8; --y: #b91c1c;
  --n-bg: #f3f4f6; --u-bg: #dcfce7; --w-bg: #dbeafe; --y-bg: #fee2e2; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 1rem; color: #111827; }
h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
.notes p { margin: .15rem 0; color: #374151; }
.controls { position: sticky; top: 0; background: #fff; padding: .5rem 0; border-bottom: 1px solid #e5e7eb; z-index: 1; }
.controls label { margin-right: .8rem; white-space: nowrap; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: .25rem .4rem; border-bottom: 1px solid #e5e7eb; vertical-align: top; text-align: left; }
th { font-weight: 600; font-size: .85rem; color: #4b5563; }
td.num, td.date, td.id { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.id { font-family: ui-monospace, monospace; }
td.reason { font-size: .85rem; color: #1f2937; max-width: 42rem; }
td.verdicts { white-space: nowrap; }
td.verdicts label { margin-right: .3rem; font-weight: 600; }
.vn { color: var(--n); } .vu { color: var(--u); } .vw { color: var(--w); } .vy { color: var(--y); }
.vn input { accent-color: var(--n); } .vu input { accent-color: var(--u); }
.vw input { accent-color: var(--w); } .vy input { accent-color: var(--y); }
tr.v-n { background: var(--n-bg); } tr.v-u { background: var(--u-bg); }
tr.v-w { background: var(--w-bg); } tr.v-y { background: var(--y-bg); }
tr.backported { background: #fafafa; color: #9ca3af; font-size: .8rem; }
tr.backported a { color: #9ca3af; }
tr.backported td.reason { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 24rem; }
body.hide-backported tr.backported { display: none; }
tr.before-start { display: none; }
body.hide-n tr.v-n, body.hide-u tr.v-u, body.hide-w tr.v-w, body.hide-y tr.v-y { display: none; }
.fix { font-weight: 700; }
textarea { width: 100%; font-family: ui-monospace, monospace; font-size: .8rem; }
`;
