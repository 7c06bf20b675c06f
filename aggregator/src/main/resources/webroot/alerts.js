// The alerts page: detection's alerts of the last 7 days (firing first) with their evidence and
// every change, acknowledge and resolve buttons for operators, and the silences. Refreshed every
// 5 s and at once when an alert changes (the live socket popup.js keeps open). Everything that
// comes from an alert or a silence is set as text, never as HTML.
'use strict';
(() => {
  const body = document.querySelector('#alerts tbody');
  const silenceBody = document.querySelector('#silence-list tbody');
  const firingOnly = document.getElementById('firing-only');
  let operator = false;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function duration(s) {
    s = Math.max(0, Math.round(s));
    return s < 120 ? s + ' s' : s < 7200 ? Math.round(s / 60) + ' min' : (s / 3600).toFixed(1) + ' h';
  }
  function stateOf(a) { return a.state === 'firing' && a.acknowledgedBy ? 'acknowledged' : a.state; }
  function words(list) { return (list || []).join(', '); }

  function button(text, cls, action) {
    const b = el('button', text, cls);
    b.onclick = async () => {
      b.disabled = true;
      try {
        await action();
        refresh();
      } catch (e) {
        b.disabled = false;
        b.title = e.message;
        b.parentElement.appendChild(el('span', ' ' + e.message, 'warn'));
      }
    };
    return b;
  }

  function row(a) {
    const tr = el('tr');
    tr.dataset.id = a.id;
    tr.dataset.state = stateOf(a);
    tr.className = a.state === 'firing' ? a.severity || '' : 'over';
    tr.appendChild(el('td', stateOf(a) + (a.silencedBy ? ' (silenced)' : '')));
    tr.appendChild(el('td', a.kind + ' ' + Object.values(a.subject || {}).join(' ') + (a.late ? ' (found in a backlog)' : '')));
    tr.appendChild(el('td', CW.datetime(a.since)));
    tr.appendChild(el('td', duration((a.resolvedAt || Date.now() / 1000) - a.since) + (a.flaps ? ', flapped ' + a.flaps + '×' : '')));
    const reason = el('td');
    reason.appendChild(el('span', a.reason || ''));
    const changes = a.transitions || [];
    if (changes.length) {
      const details = el('details');
      details.appendChild(el('summary', changes.length + (changes.length === 1 ? ' change' : ' changes')));
      const ul = el('ul');
      for (const t of changes) ul.appendChild(el('li', CW.datetime(t.at / 1000) + ' ' + t.state + ' by ' + t.by + (t.why ? ': ' + t.why : '')));
      details.appendChild(ul);
      reason.appendChild(details);
    }
    tr.appendChild(reason);
    const ev = a.evidence || {};
    tr.appendChild(el('td', 'observed ' + CW.fmt(ev.observed) + ', expected ' + CW.fmt(ev.expected) + ' over ' + duration(ev.window || 0)
      + ' (evidence ' + CW.fmt(ev.score) + ')'));
    tr.appendChild(el('td', a.acknowledgedBy ? a.acknowledgedBy + (a.note ? ': ' + a.note : '') : ''));
    const actions = el('td');
    const link = CW.alertGraphLink(a);
    if (link) {
      const g = el('a', 'graph');
      g.href = link;
      actions.appendChild(g);
    }
    if (operator && a.state === 'firing') {
      const note = () => document.getElementById('note').value;
      if (!a.acknowledgedBy) {
        actions.append(' ', button('acknowledge', 'ack', () => CW.post('/api/alerts/' + encodeURIComponent(a.id) + '/ack', { note: note() })));
      }
      actions.append(' ', button('resolve', 'resolve', () => CW.post('/api/alerts/' + encodeURIComponent(a.id) + '/resolve', { note: note() })));
    }
    if (operator) {
      actions.append(' ', button('open incident', 'incident', async () => {
        const i = await CW.post('/api/incidents', { alert: a.id });
        location.href = '/incidents.html#' + encodeURIComponent(i.id);
      }));
    }
    tr.appendChild(actions);
    return tr;
  }

  async function refreshAlerts() {
    const d = await CW.json('/api/alerts' + (firingOnly.checked ? '?state=firing' : ''));
    const order = { firing: 0, resolved: 1 };
    const alerts = d.alerts.sort((x, y) => (order[x.state] - order[y.state]) || (y.firedAt - x.firedAt));
    body.replaceChildren(...alerts.map(row));
    const firing = alerts.filter(a => a.state === 'firing').length;
    document.getElementById('alert-count').textContent = firing + ' firing, ' + (alerts.length - firing) + ' resolved'
      + (alerts.length >= d.limit ? ' (the newest ' + d.limit + ')' : '');
  }

  async function refreshSilences() {
    const d = await CW.json('/api/silences');
    silenceBody.replaceChildren(...d.silences.map(s => {
      const tr = el('tr');
      tr.dataset.id = s.id;
      for (const text of [words(s.services), words(s.hosts), words(s.kinds), CW.datetime(s.from), CW.datetime(s.to), s.by, s.note]) {
        tr.appendChild(el('td', text));
      }
      const actions = el('td');
      if (operator) actions.appendChild(button('end now', 'end', () => CW.post('/api/silences/' + encodeURIComponent(s.id) + '/end')));
      tr.appendChild(actions);
      return tr;
    }));
  }

  async function refresh() {
    try {
      await Promise.all([refreshAlerts(), refreshSilences()]);
      document.body.dataset.loaded = 'true';
    } catch (e) {
      document.getElementById('alert-count').textContent = String(e.message || e);
    }
  }

  function list(value) { return value.split(',').map(x => x.trim()).filter(x => x); }
  document.getElementById('new-silence').onsubmit = async e => {
    e.preventDefault();
    const f = e.target;
    const now = Math.floor(Date.now() / 1000);
    const error = document.getElementById('silence-error');
    error.textContent = '';
    try {
      await CW.post('/api/silences', { services: list(f.services.value), hosts: list(f.hosts.value), kinds: list(f.kinds.value),
        from: now, to: now + 60 * Number(f.minutes.value), note: f.note.value });
      f.reset();
      refresh();
    } catch (err) {
      error.textContent = err.message;
    }
  };

  firingOnly.onchange = refresh;
  window.addEventListener('cw-alert', () => refresh());
  CW.me.then(me => {
    operator = !!me && me.role !== 'partner';
    document.getElementById('new-silence').hidden = !operator;
    refresh();
  });
  setInterval(refresh, 5000);
})();
