// The graph view: any series over any range, with an overlay of the same range earlier, zoom by
// dragging, a readout on touch, and the drill-down for the window shown. The URL holds the view.
'use strict';
const RANGES = { '1h': 3600, '1d': 86400, '1w': 7 * 86400, '1M': 30 * 86400, '1y': 365 * 86400 };
const params = new URLSearchParams(location.search);
const view = {
  s: params.get('s') || 'DPP.calls',
  range: params.get('range') || '1d',
  overlay: params.has('overlay') ? params.get('overlay') : '1w',
  from: params.get('from') ? Number(params.get('from')) : null,
  to: params.get('to') ? Number(params.get('to')) : null,
};
let plot = null;

function window_() {
  const to = view.to || Math.floor(Date.now() / 1000);
  const from = view.from || to - RANGES[view.range];
  return { from, to };
}

function saveUrl() {
  const p = new URLSearchParams({ s: view.s, range: view.range, overlay: view.overlay });
  if (view.from && view.to) { p.set('from', view.from); p.set('to', view.to); }
  history.replaceState(null, '', '/graph.html?' + p.toString());
}

async function load() {
  saveUrl();
  const { from, to } = window_();
  document.getElementById('title').textContent = view.s;
  const base = '/api/series/' + encodeURIComponent(view.s) + '?from=' + from + '&to=' + to;
  const requests = [CW.json(base)];
  if (view.overlay) requests.push(CW.json(base + '&shift=' + view.overlay));
  const [cur, old] = await Promise.all(requests);
  const xs = cur.points.map(p => p[0]);
  const byTime = old ? new Map(old.points.map(p => [p[0], p[1]])) : null;
  const data = [xs, cur.points.map(p => p[1])];
  const series = [{}, { label: view.s, stroke: '#58a6ff', width: 2, fill: 'rgba(88,166,255,0.10)' }];
  if (byTime) {
    data.push(xs.map(x => byTime.has(x) ? byTime.get(x) : null));
    series.push({ label: view.s + ' ' + view.overlay + ' earlier', stroke: 'rgba(210,210,210,0.55)', width: 1.5, dash: [5, 4] });
  }
  const el = document.getElementById('graph');
  const width = el.clientWidth, height = Math.max(220, Math.min(480, Math.round(width * 0.5)));
  if (plot) plot.destroy();
  plot = new uPlot({
    width, height, series,
    scales: { x: { time: true } },
    axes: [{ stroke: '#8b949e', grid: { stroke: '#21262d' } }, { stroke: '#8b949e', grid: { stroke: '#21262d' }, size: 50 }],
    legend: { show: false },
    cursor: { drag: { x: true, y: false } },
    hooks: {
      setSelect: [u => {
        if (u.select.width < 5) return;
        view.from = Math.floor(u.posToVal(u.select.left, 'x'));
        view.to = Math.ceil(u.posToVal(u.select.left + u.select.width, 'x'));
        load();
      }],
      setCursor: [u => readout(u)],
    },
  }, data, el);
  el.dataset.lines = String(series.length - 1);
  el.dataset.step = String(cur.step);
  el.ondblclick = () => { view.from = view.to = null; load(); };
  drill();
}

function readout(u) {
  const i = u.cursor.idx;
  if (i == null) return;
  const t = u.data[0][i];
  let text = new Date(t * 1000).toLocaleString() + ' — ' + fmtVal(u.data[1][i]);
  if (u.data.length > 2) text += ' (earlier: ' + fmtVal(u.data[2][i]) + ')';
  document.getElementById('readout').textContent = text;
}
function fmtVal(v) { return v == null ? '–' : (Math.round(v * 100) / 100).toLocaleString(); }

async function drill() {
  const { from, to } = window_();
  const service = view.s.split('.')[0];
  const body = document.getElementById('drill-body');
  document.getElementById('window').textContent = new Date(from * 1000).toLocaleString() + ' → ' + new Date(to * 1000).toLocaleString();
  if (to - from > 7 * 86400) { body.textContent = 'Choose a window of at most 7 days (drag across the graph).'; return; }
  try {
    const d = await CW.json('/api/drilldown?service=' + encodeURIComponent(service) + '&from=' + from + '&to=' + to + '&top=10');
    // a partner's answer has no pharmacy and no host: those tables are left out
    body.innerHTML = (d.topByCalls ? table('Top pharmacies by calls', d.topByCalls, ['pharmacy', 'vendor', 'calls', 'errors', 'e401'], 'top-calls')
      + table('Top pharmacies by errors', d.topByErrors, ['pharmacy', 'vendor', 'errors', 'calls'], 'top-errors')
      + table('Pharmacies calling without a contract (E401)', d.topByE401, ['pharmacy', 'vendor', 'e401', 'calls'], 'top-e401') : '')
      + table('By vendor and version', d.vendors, ['vendor', 'version', 'calls', 'errors', 'errorRate'], 'vendors')
      + table('By error code', Object.entries(d.codes).map(([code, n]) => ({ code, n })), ['code', 'n'], 'codes')
      + (d.hosts ? table('By host', d.hosts, ['host', 'calls', 'errors'], 'hosts') : '');
  } catch (e) { body.textContent = String(e); }
}

function table(title, rows, cols, id) {
  const esc = s => String(s).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  const cell = (r, c) => c === 'errorRate' ? (r[c] * 100).toFixed(1) + '%' : esc(r[c]);
  return `<h2>${esc(title)}</h2><table class="top" id="${id}"><tr>${cols.map(c => `<th>${esc(c)}</th>`).join('')}</tr>`
    + (rows.length ? rows.map(r => `<tr>${cols.map(c => `<td>${cell(r, c)}</td>`).join('')}</tr>`).join('') : `<tr><td colspan="${cols.length}">none</td></tr>`)
    + '</table>';
}

async function controls() {
  const sel = document.getElementById('series');
  let names = [view.s];
  try { names = Array.from(new Set([view.s, ...(await CW.json('/api/series')).series])); } catch (e) { console.warn(e); }
  // series names come from log lines (and view.s from the link): options are built as text
  sel.replaceChildren(...names.map(n => { const o = document.createElement('option'); o.textContent = n; o.selected = n === view.s; return o; }));
  sel.onchange = () => { view.s = sel.value; load(); };
  const ranges = document.getElementById('ranges');
  ranges.replaceChildren(...Object.keys(RANGES).map(r => { const b = document.createElement('button'); b.dataset.r = r; b.textContent = r; return b; }));
  ranges.querySelectorAll('button').forEach(b => b.onclick = () => { view.range = b.dataset.r; view.from = view.to = null; mark(); load(); });
  const ov = document.getElementById('overlay');
  ov.value = view.overlay;
  ov.onchange = () => { view.overlay = ov.value; load(); };
  mark();
}
function mark() { document.querySelectorAll('#ranges button').forEach(b => b.classList.toggle('on', b.dataset.r === view.range && !view.from)); }

window.addEventListener('resize', () => { if (plot) plot.setSize({ width: document.getElementById('graph').clientWidth, height: plot.height }); });
controls().then(load);
// a live window (no fixed from/to) refreshes itself: the graph and the drill-down follow the traffic
setInterval(() => { if (!view.from) load(); }, 15000);
