// The graph view: any service or operation over any range, as a rate with its unit (the same at
// every range and zoom), with an overlay of the same range earlier drawn at the main series' step,
// gaps where nobody reported, a legend with current / average / max / min like RRDtool's GPRINT,
// and the drill-down for the window shown. The URL holds the view.
'use strict';
const RANGES = { '1h': 3600, '1d': 86400, '1w': 7 * 86400, '1M': 30 * 86400, '1y': 365 * 86400 };
const OVERLAYS = { '1d': 'a day earlier', '1w': 'a week earlier', '1M': '30 days earlier', '1y': 'a year earlier' };
const COLOURS = { main: '#58a6ff', overlay: '#f0883e' };
// errors stacked by code: the counter indexes, and what is left of the errors once they are taken
const CODES = [['E401', CW.M.E401, '#d29922'], ['E500', CW.M.E500, '#f85149'], ['E503', CW.M.E503, '#a371f7'],
  ['E504', CW.M.E504, '#db61a2'], ['other errors', -1, '#8b949e']];
const params = new URLSearchParams(location.search);
const [subject0, metric0] = splitName(params.get('s') || 'DPP.calls');
const view = {
  subject: subject0, metric: metric0, service: subject0.split('.')[0],
  per: params.get('per') === 's' ? 's' : 'min',
  range: RANGES[params.get('range')] ? params.get('range') : '1d',
  overlay: params.has('overlay') ? params.get('overlay') : '1w',
  from: params.get('from') ? Number(params.get('from')) : null,
  to: params.get('to') ? Number(params.get('to')) : null,
};
let plot = null;

function splitName(name) {
  const i = name.lastIndexOf('.');
  return i < 0 ? [name, 'calls'] : [name.slice(0, i), name.slice(i + 1)];
}
function seriesName() { return view.subject + '.' + (view.metric === 'errors' ? 'calls' : view.metric); }

function window_() {
  const to = view.to || Math.floor(Date.now() / 1000);
  const from = view.from || to - RANGES[view.range];
  return { from, to };
}

function saveUrl() {
  const p = new URLSearchParams({ s: view.subject + '.' + view.metric, range: view.range, overlay: view.overlay, per: view.per });
  if (view.from && view.to) { p.set('from', view.from); p.set('to', view.to); }
  history.replaceState(null, '', '/graph.html?' + p.toString());
}

// numbers in the reader's locale: whole when large, two decimals at most
function num(v) {
  if (v == null || !isFinite(v)) return '–';
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return v.toLocaleString(undefined, { maximumFractionDigits: digits });
}
const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const DAY = new Intl.DateTimeFormat(undefined, { day: '2-digit', month: '2-digit' });
const when = CW.datetime;

function rate(count, step) { return count == null ? null : view.per === 's' ? count / step : count * 60 / step; }

// the lines to draw from the answers: one per code when errors are stacked, else the value itself
function lines(cur) {
  if (view.metric !== 'errors') return [{ key: 'main', label: 'now', values: cur.points.map(p => p[1]), colour: COLOURS.main }];
  const unit = (view.per === 's' ? 'errors/s' : 'errors/min');
  cur.unit = unit;
  const per = CODES.map(([label, idx, colour]) => ({ key: label, label, colour, values: cur.points.map(p => {
    const v = p[1];
    if (!v) return null;
    const coded = v[CW.M.E401] + v[CW.M.E500] + v[CW.M.E503] + v[CW.M.E504];
    const n = idx >= 0 ? v[idx] : Math.max(0, v[CW.M.ERROR] + v[CW.M.TIMEOUT] - coded);
    return rate(n, cur.step);
  }) }));
  // stacked: each line is drawn at the sum of itself and those below it; the legend keeps its own values
  let below = cur.points.map(() => 0);
  for (const l of per) {
    l.own = l.values;
    l.values = l.values.map((v, i) => v == null ? null : (below[i] += v));
  }
  return per;
}

function overlayValues(old) {
  if (view.metric !== 'errors') return old.points.map(p => p[1]);
  return old.points.map(p => p[1] ? rate(p[1][CW.M.ERROR] + p[1][CW.M.TIMEOUT], old.step) : null);
}

async function load() {
  saveUrl();
  const { from, to } = window_();
  document.getElementById('title').textContent = view.subject + ' — ' + document.querySelector('#metric option[value="' + view.metric + '"]').textContent;
  const fmt = view.metric === 'errors' ? '&format=vectors' : '&per=' + view.per;
  const base = '/api/series/' + encodeURIComponent(seriesName()) + '?from=' + from + '&to=' + to + fmt;
  let cur, old = null;
  try {
    cur = await CW.json(base);
    // the service as the server read the name (a service or an op may hold dots: "eHealth.DPP.v1.read")
    view.service = cur.service == null ? '*' : cur.service;
    // the overlay on the main series' grid: same step, same positions, whatever archive it comes from
    if (view.overlay) old = await CW.json(base + '&shift=' + view.overlay + '&step=' + cur.step);
  } catch (e) {
    document.getElementById('graph').textContent = String(e.message || e);
    return;
  }
  const bands = await alertBands(from, to);
  const xs = cur.points.map(p => p[0]);
  const drawn = lines(cur);
  if (old) drawn.push({ key: 'overlay', label: OVERLAYS[view.overlay] || view.overlay + ' earlier', values: overlayValues(old), colour: COLOURS.overlay });
  const unit = cur.unit;
  const series = [{}].concat(drawn.map(l => ({ label: l.label, stroke: l.colour, width: l.key === 'overlay' ? 1.5 : 2,
    fill: view.metric === 'errors' && l.key !== 'overlay' ? l.colour + '33' : undefined, spanGaps: false })));
  const el = document.getElementById('graph');
  const width = el.clientWidth, height = Math.max(220, Math.min(480, Math.round(width * 0.5)));
  const span = xs.length ? xs[xs.length - 1] - xs[0] : 0;
  if (plot) plot.destroy();
  el.textContent = '';
  plot = new uPlot({
    width, height, series,
    scales: { x: { time: true } },
    axes: [
      { stroke: '#8b949e', grid: { stroke: '#21262d' },
        values: (u, splits) => splits.map(t => span > 2 * 86400 ? DAY.format(new Date(t * 1000)) : TIME.format(new Date(t * 1000))) },
      { stroke: '#8b949e', grid: { stroke: '#21262d' }, size: 60, label: unit, labelSize: 18,
        values: (u, splits) => splits.map(num) },
    ],
    legend: { show: false },
    cursor: { drag: { x: true, y: false } },
    hooks: {
      setSelect: [u => {
        if (u.select.width < 5) return;
        view.from = Math.floor(u.posToVal(u.select.left, 'x'));
        view.to = Math.ceil(u.posToVal(u.select.left + u.select.width, 'x'));
        mark();
        load();
      }],
      setCursor: [u => readout(u, drawn, unit)],
      drawAxes: [u => drawBands(u, bands)],
    },
  }, [xs].concat(drawn.map(l => l.values)), el);
  el.dataset.lines = String(drawn.length);
  el.dataset.step = String(cur.step);
  el.dataset.unit = unit;
  el.dataset.gaps = String(drawn[0].values.filter(v => v == null).length);
  if (old) {
    el.dataset.overlayStep = String(old.step);
    el.dataset.overlayPoints = String(old.points.filter(p => p[1] != null).length);
  } else {
    delete el.dataset.overlayStep;
    delete el.dataset.overlayPoints;
  }
  el.dataset.alertBands = String(bands.length);
  listBands(bands);
  el.ondblclick = () => { view.from = view.to = null; mark(); load(); };
  legend(drawn, unit);
  document.getElementById('totals').textContent = 'In this window: ' + cur.totals.calls.toLocaleString() + ' calls, '
    + cur.totals.errors.toLocaleString() + ' errors. One point every ' + stepText(cur.step) + '.';
  const note = document.getElementById('history-note');
  note.hidden = !(cur.historyStart == null || cur.historyStart > xs[0]);
  note.textContent = cur.historyStart == null ? 'No data in this window.' : 'History starts ' + when(cur.historyStart) + '; before that nothing was recorded (a gap, not zero).';
  drill();
}

// detection's alerts and the incidents of the shown service in the window, drawn as bands behind the lines
async function alertBands(from, to) {
  const service = view.service;
  const [alerts, incidents] = await Promise.all([
    CW.json('/api/alerts?from=' + from + '&to=' + to).then(d => d.alerts.filter(a => a.subject && a.subject.service === service), () => []),
    CW.json('/api/incidents').then(d => d.incidents.filter(i => i.services.includes(service) && i.openedAt <= to
      && (!i.closedAt || i.closedAt >= from)), () => []),
  ]);
  // an incident as a band of its own: from its opening to its close (or now)
  return alerts.concat(incidents.map(i => ({ incident: i.id, kind: 'incident', subject: { service }, title: i.title,
    since: i.openedAt, resolvedAt: i.closedAt || null, severity: 'incident' })));
}
function drawBands(u, bands) {
  const ctx = u.ctx, left = u.bbox.left, right = u.bbox.left + u.bbox.width;
  ctx.save();
  for (const a of bands) {
    const x0 = Math.max(left, u.valToPos(a.since, 'x', true));
    const x1 = Math.min(right, u.valToPos(a.resolvedAt || Date.now() / 1000, 'x', true));
    if (x1 <= x0) continue;
    ctx.fillStyle = a.severity === 'incident' ? 'rgba(88, 166, 255, 0.15)'
      : a.severity === 'outage' ? 'rgba(248, 81, 73, 0.2)' : 'rgba(210, 153, 34, 0.2)';
    ctx.fillRect(x0, u.bbox.top, Math.max(1, x1 - x0), u.bbox.height);
  }
  ctx.restore();
}
function listBands(bands) {
  const p = document.getElementById('alert-bands');
  p.textContent = '';
  if (!bands.length) return;
  p.append('Alerts and incidents in this window (shaded): ');
  bands.forEach((a, i) => {
    const link = document.createElement('a');
    link.href = a.incident ? '/incidents.html#' + encodeURIComponent(a.incident) : '/alerts.html';
    link.textContent = (a.incident ? 'incident ' + a.title : a.kind + ' ' + Object.values(a.subject).join(' ')) + ' ' + when(a.since)
      + (a.resolvedAt ? '–' + when(a.resolvedAt) : a.incident ? ', open' : ', firing');
    p.append(i ? '; ' : '', link);
  });
}

function stepText(s) { return s < 60 ? s + ' s' : s < 3600 ? s / 60 + ' min' : s < 86400 ? s / 3600 + ' h' : s / 86400 + ' d'; }

// what RRDtool's GPRINT shows: current (the last known), average, maximum and minimum of the window
function stats(values) {
  let cur = null, sum = 0, n = 0, max = null, min = null;
  for (const v of values) {
    if (v == null) continue;
    cur = v; sum += v; n++;
    max = max == null ? v : Math.max(max, v);
    min = min == null ? v : Math.min(min, v);
  }
  return { cur, avg: n ? sum / n : null, max, min };
}

function legend(drawn, unit) {
  const table = document.getElementById('legend');
  const head = document.createElement('tr');
  for (const h of ['', 'current', 'average', 'max', 'min']) { const th = document.createElement('th'); th.textContent = h; head.appendChild(th); }
  const rows = drawn.map(l => {
    const s = stats(l.own || l.values);
    const tr = document.createElement('tr');
    tr.dataset.series = l.key;
    const name = document.createElement('td');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = l.colour;
    name.append(swatch, l.label);
    tr.appendChild(name);
    for (const k of ['cur', 'avg', 'max', 'min']) {
      const td = document.createElement('td');
      td.className = k;
      td.dataset.value = s[k] == null ? '' : String(s[k]);
      td.textContent = num(s[k]) + ' ' + unit;
      tr.appendChild(td);
    }
    return tr;
  });
  table.replaceChildren(head, ...rows);
}

function readout(u, drawn, unit) {
  const i = u.cursor.idx;
  if (i == null) return;
  const parts = drawn.map(l => l.label + ' ' + num((l.own || l.values)[i]));
  document.getElementById('readout').textContent = when(u.data[0][i]) + ' — ' + parts.join(' · ') + ' ' + unit;
}

const HEADERS = { pharmacy: 'pharmacy', vendor: 'vendor', version: 'version', calls: 'calls', errors: 'errors', e401: 'E401',
  errorRate: 'error %', code: 'code', n: 'count', host: 'host' };

async function drill() {
  const { from, to } = window_();
  const service = view.service;
  const body = document.getElementById('drill-body');
  document.getElementById('window').textContent = when(from) + ' → ' + when(to);
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

// everything in these tables comes from log lines: escaped text or numbers only; a table scrolls
// sideways inside its own box on a phone instead of breaking words
function table(title, rows, cols, id) {
  const esc = s => String(s).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  const cell = (r, c) => c === 'errorRate' ? num(r[c] * 100) + ' %' : typeof r[c] === 'number' ? esc(r[c].toLocaleString()) : esc(r[c]);
  return `<h2>${esc(title)}</h2><div class="table-wrap"><table class="top" id="${id}"><tr>${cols.map(c => `<th>${esc(HEADERS[c] || c)}</th>`).join('')}</tr>`
    + (rows.length ? rows.map(r => `<tr>${cols.map(c => `<td>${cell(r, c)}</td>`).join('')}</tr>`).join('') : `<tr><td colspan="${cols.length}">none</td></tr>`)
    + '</table></div>';
}

async function controls() {
  const sel = document.getElementById('subject');
  let names = [view.subject];
  try {
    const list = await CW.json('/api/series');
    const subjects = ['*'];
    for (const svc of list.services) { subjects.push(svc); for (const op of (list.ops[svc] || [])) subjects.push(svc + '.' + op); }
    names = Array.from(new Set([view.subject, ...subjects]));
  } catch (e) { console.warn(e); }
  // names come from log lines (and the link): options are built as text
  sel.replaceChildren(...names.map(n => { const o = document.createElement('option'); o.value = n; o.textContent = n === '*' ? 'all services' : n; o.selected = n === view.subject; return o; }));
  sel.onchange = () => { view.subject = sel.value; load(); };
  const metric = document.getElementById('metric');
  if (![...metric.options].some(o => o.value === view.metric)) view.metric = 'calls';
  metric.value = view.metric;
  metric.onchange = () => { view.metric = metric.value; load(); };
  const per = document.getElementById('per');
  per.value = view.per;
  per.onchange = () => { view.per = per.value; load(); };
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
