// Shared by the pages: the counter layout (from the server), fetch helpers, live socket with reconnect.
'use strict';
const CW = (() => {
  const M = { CALLS:0, OK:1, ERROR:2, TIMEOUT:3, E401:4, E500:5, E503:6, E504:7, LATSUM:8, LATMAX:9, HIST:10 };
  const BOUNDS = [25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
  const STEP = 10;

  function add(into, v) {
    for (let i = 0; i < v.length; i++) into[i] = (i === M.LATMAX) ? Math.max(into[i] || 0, v[i]) : (into[i] || 0) + v[i];
    return into;
  }
  // The same interpolation as Metrics.percentileMs on the server: linear inside the bucket where
  // the quantile lands, never above the largest latency seen.
  function percentile(v, q) {
    let total = 0;
    for (let i = 0; i <= BOUNDS.length; i++) total += v[M.HIST + i] || 0;
    if (!(total > 0)) return NaN;
    const rank = q * total;
    let seen = 0;
    for (let i = 0; i <= BOUNDS.length; i++) {
      const n = v[M.HIST + i] || 0;
      if (n > 0 && seen + n >= rank) {
        const lower = i === 0 ? 0 : BOUNDS[i - 1];
        const upper = i < BOUNDS.length ? BOUNDS[i] : Math.max(lower, v[M.LATMAX] || 0);
        const at = lower + (upper - lower) * Math.max(0, rank - seen) / n;
        return v[M.LATMAX] > 0 ? Math.min(at, v[M.LATMAX]) : at;
      }
      seen += n;
    }
    return v[M.LATMAX];
  }
  async function json(url) {
    const r = await fetch(url, { cache: 'no-store' });
    if (r.status === 401) { location.href = '/login.html?next=' + encodeURIComponent(location.pathname + location.search); }
    if (!r.ok) throw new Error(url + ': ' + r.status + ' ' + (await r.text()));
    return r.json();
  }
  // Who is logged in, shown in the header with a way out; the CSRF token goes with every change.
  async function who() {
    const header = document.querySelector('header');
    if (!header || location.pathname === '/login.html') return null;
    let me;
    try { me = await json('/api/me'); } catch (e) { return null; }
    const span = document.createElement('span');
    span.className = 'who';
    span.textContent = me.user + ' (' + me.role + ')';
    const out = document.createElement('button');
    out.textContent = 'log out';
    out.onclick = async () => {
      await fetch('/api/logout', { method: 'POST', headers: { 'X-CSRF-Token': me.csrf } });
      location.href = '/login.html';
    };
    span.appendChild(out);
    header.appendChild(span);
    document.body.dataset.role = me.role;
    return me;
  }
  const me = who();
  // A WebSocket that says when it is down and comes back by itself.
  // alerts and the connection's state, for the pop-up (popup.js) on any page that has a live socket
  let liveOpened = false;
  function liveAlert(m) { window.dispatchEvent(new CustomEvent('cw-alert', { detail: m })); }
  function liveState(up) { window.dispatchEvent(new CustomEvent('cw-live', { detail: up })); }
  function live(onMessage, onState) {
    liveOpened = true;
    let delay = 1000, ws;
    function open() {
      ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/live');
      ws.onopen = () => { delay = 1000; onState(true); liveState(true); };
      ws.onmessage = e => { const m = JSON.parse(e.data); onMessage(m); if (m.type === 'alert') liveAlert(m); };
      ws.onclose = e => {
        // 4401: the account was removed or changed; this page may show nothing more until a new login
        if (e.code === 4401) { location.href = '/login.html?next=' + encodeURIComponent(location.pathname + location.search); return; }
        onState(false); liveState(false); setTimeout(open, delay); delay = Math.min(delay * 2, 5000);
      };
    }
    open();
  }
  function fmt(n) {
    if (!isFinite(n)) return '–';
    if (n >= 10000) return (n / 1000).toFixed(0) + 'k';
    if (n >= 1000) return (n / 1000).toFixed(1) + 'k';
    return Math.round(n).toString();
  }
  // 24-hour times everywhere (the PNG's too), dates in the reader's locale
  const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const DATETIME = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
    minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  function hhmm(t) { return TIME.format(new Date(t * 1000)); }
  function datetime(t) { return DATETIME.format(new Date(t * 1000)); }
  function hasLive() { return liveOpened; }
  // A change (acknowledge, resolve, a silence): JSON in, the CSRF token along; the answer as JSON,
  // or an Error carrying the server's reason.
  async function post(url, body) {
    const who = await me;
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'X-CSRF-Token': who ? who.csrf : '' },
      body: JSON.stringify(body || {}) });
    const text = await r.text();
    if (!r.ok) {
      let why = text;
      try { why = JSON.parse(text).error || text; } catch (e) { /* not JSON */ }
      const err = new Error(why);
      err.status = r.status;
      throw err;
    }
    return text ? JSON.parse(text) : null;
  }
  // The graph of an alert's service around its time: from an hour before it began to half an hour after it ended (or now).
  function alertGraphLink(a) {
    const service = a.subject && a.subject.service;
    if (!service) return null;
    const to = a.resolvedAt ? a.resolvedAt + 1800 : Math.max(a.since + 1800, Math.floor(Date.now() / 1000));
    return '/graph.html?s=' + encodeURIComponent(service + '.calls') + '&from=' + (a.since - 3600) + '&to=' + to;
  }
  return { M, STEP, add, percentile, json, post, live, hasLive, fmt, hhmm, datetime, me, alertGraphLink };
})();
