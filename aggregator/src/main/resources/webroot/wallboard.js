// The wallboard: one tile per service, calls per minute over the last hour drawn live from the
// /live socket, last week's same hour faintly behind, error rate and p95 of the last 5 minutes,
// and the state detection gives it (ok / degraded / outage / unknown) with its reason in words.
// The browser guesses nothing: no word from detection, or no connection, is "unknown".
'use strict';
const KNOWN = ['DPP', 'RECIPE', 'PCDH', 'ASSURPHARMA', 'RAOTD', 'EFORMS'];
const WINDOW = 3600, WEEK = 7 * 86400, M = CW.M, STEP = CW.STEP;
const tiles = new Map();
let dirty = new Set();

function now() { return Math.floor(Date.now() / 1000); }

function tile(service) {
  if (tiles.has(service)) return tiles.get(service);
  const el = document.createElement('section');
  el.className = 'tile';
  el.dataset.service = service;
  // the service name comes from log lines: it is set as text below, never parsed as HTML
  el.innerHTML = `<div class="head"><span class="name"></span><span class="state">unknown</span><span class="last"></span></div>
    <div class="reason">waiting for detection</div>
    <div class="nums"><div class="num cpm"><b>–</b><span>calls / min</span></div>
    <div class="num err" title="errors and timeouts, E401 (no contract) aside"><b>–</b><span>errors (5 min)</span></div>
    <div class="num p95"><b>–</b><span>p95 ms (5 min)</span></div></div><div class="chart"></div>`;
  el.querySelector('.name').textContent = service;
  el.onclick = () => { location.href = '/graph.html?s=' + encodeURIComponent(service + '.calls') + '&range=1d&overlay=1w'; };
  document.getElementById('tiles').appendChild(el);
  const t = { service, el, slots: new Map(), week: new Map(), plot: null };
  tiles.set(service, t);
  return t;
}

async function load(t) {
  const base = '/api/series/' + encodeURIComponent(t.service + '.calls') + '?format=vectors&from=-' + (WINDOW + 120) + 's';
  const [cur, old] = await Promise.all([CW.json(base), CW.json(base + '&shift=1w')]);
  t.slots.clear();
  for (const [ts, v] of cur.points) if (v && (v[M.CALLS] > 0 || ts >= now() - WINDOW)) t.slots.set(ts, v);
  t.week.clear();
  for (const [ts, v] of old.points) if (v) t.week.set(ts, v);
  dirty.add(t.service);
}

function cpmSeries(map, xs, offset) {
  // calls per minute at x: the calls of the six 10 s slots ending at x
  return xs.map(x => {
    let s = 0, any = false;
    for (let k = 0; k < 6; k++) {
      const v = map.get(x - offset - k * STEP);
      if (v) { s += v[M.CALLS]; any = true; }
    }
    return any ? s : (offset ? null : 0);
  });
}

function sum(map, from, to) {
  const acc = new Array(20).fill(0);
  for (const [ts, v] of map) if (ts >= from && ts < to) CW.add(acc, v);
  return acc;
}

function draw(t) {
  const end = Math.floor(now() / STEP) * STEP, start = end - WINDOW;
  const xs = [];
  for (let x = start; x <= end; x += STEP) xs.push(x);
  const data = [xs, cpmSeries(t.slots, xs, 0), cpmSeries(t.week, xs, 0)];
  const chart = t.el.querySelector('.chart');
  const w = chart.clientWidth, h = Math.max(60, chart.clientHeight);
  if (!t.plot) {
    t.plot = new uPlot({ width: w, height: h, legend: { show: false }, cursor: { show: false },
      scales: { x: { time: true } },
      axes: [{ stroke: '#8b949e', grid: { stroke: '#21262d' }, size: 28 },
             { stroke: '#8b949e', grid: { stroke: '#21262d' }, size: 46 }],
      series: [{}, { label: 'calls/min', stroke: '#58a6ff', width: 2, fill: 'rgba(88,166,255,0.12)' },
               { label: 'last week', stroke: 'rgba(200,200,200,0.35)', width: 1, dash: [4, 4] }] }, data, chart);
  } else {
    if (Math.abs(t.plot.width - w) > 4 || Math.abs(t.plot.height - h) > 4) t.plot.setSize({ width: w, height: h });
    t.plot.setData(data);
  }
  t.el.dataset.points = String(t.slots.size);
  numbers(t, end);
}

function numbers(t, end) {
  const lastMin = sum(t.slots, end - 60, end);
  const five = sum(t.slots, end - 300, end);
  const hour = sum(t.slots, end - 1800, end - 120);
  // as detection counts them: a caller without a contract (E401) is not a fault of the service
  const errors = Math.max(0, five[M.ERROR] + five[M.TIMEOUT] - five[M.E401]);
  const errRate = five[M.CALLS] ? errors / five[M.CALLS] : NaN;
  const p95 = CW.percentile(five, 0.95), p95h = CW.percentile(hour, 0.95);
  t.el.querySelector('.cpm b').textContent = CW.fmt(lastMin[M.CALLS]);
  t.el.querySelector('.err b').textContent = isFinite(errRate) ? (errRate * 100).toFixed(1) + '%' : '–';
  t.el.querySelector('.p95 b').textContent = CW.fmt(p95);
  let last = 0;
  for (const [ts, v] of t.slots) if (v[M.CALLS] > 0 && ts > last) last = ts;
  t.el.querySelector('.last').textContent = last ? 'last call ' + CW.hhmm(last + STEP) : 'no calls yet';
}

// Detection's word on each service, from the /live socket every second; older than this, it is unknown.
const TILES_STALE_MS = 15000;
let lastTiles = { at: 0, tiles: [] };
let connected = false;
const firingAlerts = new Map();

function states() {
  const fresh = connected && Date.now() - lastTiles.receivedAt < TILES_STALE_MS;
  const byService = new Map(lastTiles.tiles.map(t => [t.service, t]));
  for (const t of tiles.values()) {
    const d = byService.get(t.service);
    let state = 'unknown', reason;
    if (!connected) reason = 'connection to the aggregator lost';
    else if (!fresh) reason = 'no word from detection for ' + Math.round((Date.now() - (lastTiles.receivedAt || Date.now())) / 1000) + ' s';
    else if (!d) reason = 'no agent reports this service';
    else { state = d.state; reason = d.reason; }
    t.el.classList.toggle('outage', state === 'outage');
    t.el.classList.toggle('degraded', state === 'degraded');
    t.el.classList.toggle('unknown', state === 'unknown');
    t.el.querySelector('.state').textContent = state;
    t.el.querySelector('.reason').textContent = reason;   // text, never HTML
    t.el.dataset.state = state;
    let errorAlert = false;
    for (const a of firingAlerts.values()) if (a.kind === 'error-rate' && a.subject && a.subject.service === t.service) errorAlert = true;
    t.el.querySelector('.err').classList.toggle('bad', errorAlert);
  }
}

function onLive(msg) {
  if (msg.type === 'tiles') {
    lastTiles = { receivedAt: Date.now(), tiles: msg.tiles || [] };
    for (const d of lastTiles.tiles) tile(d.service);
    states();
    return;
  }
  if (msg.type === 'alert') {
    if (msg.state === 'firing') firingAlerts.set(msg.id, msg); else firingAlerts.delete(msg.id);
    states();
    return;
  }
  if (msg.type === 'silences') { showSilences(); return; }
  if (msg.type !== 'slots') return;
  for (const s of msg.slots) {
    for (const [service, v] of Object.entries(s.services)) {
      const t = tile(service);
      t.slots.set(s.t, v);   // totals, not deltas: replacing is always right
      dirty.add(service);
    }
  }
  window.cwLastPush = Date.now();
}

function setConnected(up) {
  connected = up;
  if (!up) firingAlerts.clear();   // the server sends the firing ones again on reconnect
  states();
  document.getElementById('lost').hidden = up;
  const c = document.getElementById('conn');
  c.textContent = up ? 'live' : 'offline';
  c.className = 'conn ' + (up ? 'ok' : 'down');
  document.body.dataset.connected = String(up);
  if (up) for (const t of tiles.values()) load(t).catch(e => console.warn(e));
}

// The silences running now, in words: their alerts are recorded but not sent, and do not pop up.
async function showSilences() {
  let list = [];
  try { list = (await CW.json('/api/silences')).silences; } catch (e) { console.warn(e); return; }
  const now = Date.now() / 1000;
  const running = list.filter(s => s.from <= now && s.to > now);
  const el = document.getElementById('silences');
  el.textContent = running.map(s => 'silenced: ' + [...s.services, ...s.hosts, ...s.kinds].join(', ') + ' until ' + CW.hhmm(s.to)
    + (s.note ? ' (' + s.note + ')' : '')).join(' · ');
  el.hidden = running.length === 0;
  el.dataset.count = String(running.length);
}

async function start() {
  let services = KNOWN.slice();
  try {
    const list = await CW.json('/api/series');
    for (const s of list.services) if (!services.includes(s)) services.push(s);
  } catch (e) { console.warn(e); }
  services.forEach(tile);
  CW.live(onLive, setConnected);
  showSilences();
  setInterval(showSilences, 30000);
  setInterval(() => {
    document.getElementById('clock').textContent = CW.datetime(Date.now() / 1000);
    states();
    for (const t of tiles.values()) {
      if (dirty.has(t.service) || Date.now() % 10000 < 1000) draw(t);
    }
    dirty = new Set();
  }, 1000);
  window.addEventListener('resize', () => { for (const t of tiles.values()) draw(t); });
}
start();
