// The incident journal: the list of incidents, one incident's entries, and for operators the forms
// that append to it (a note, the public state and message, the close). The incident shown is the
// one in the address's #fragment. Everything from the journal is set as text, never as HTML.
'use strict';
(() => {
  let operator = false;
  const error = document.getElementById('incident-error');
  function el(tag, text) {
    const e = document.createElement(tag);
    if (text != null) e.textContent = text;
    return e;
  }
  function list(value) { return value.split(',').map(x => x.trim()).filter(x => x); }
  const current = () => decodeURIComponent(location.hash.slice(1));

  async function refreshList() {
    const d = await CW.json('/api/incidents');
    document.querySelector('#incident-list tbody').replaceChildren(...d.incidents.map(i => {
      const tr = el('tr');
      tr.dataset.id = i.id;
      const a = el('a', i.title);
      a.href = '#' + encodeURIComponent(i.id);
      const first = el('td');
      first.appendChild(a);
      tr.append(first, el('td', i.services.join(', ')), el('td', CW.datetime(i.openedAt)),
        el('td', i.closedAt ? CW.datetime(i.closedAt) : 'open'), el('td', i.publicState || '–'));
      return tr;
    }));
  }

  async function show() {
    const id = current();
    const section = document.getElementById('incident');
    if (!id) { section.hidden = true; return; }
    const i = await CW.json('/api/incidents/' + encodeURIComponent(id));
    section.hidden = false;
    section.dataset.id = i.id;
    section.dataset.closed = String(!!i.closedAt);
    document.getElementById('incident-title').textContent = i.title;
    document.getElementById('incident-facts').textContent = 'services: ' + (i.services.join(', ') || '–') + ' · opened '
      + CW.datetime(i.openedAt) + ' by ' + i.openedBy + (i.closedAt ? ' · closed ' + CW.datetime(i.closedAt) + ' by ' + i.closedBy : ' · open')
      + ' · public state: ' + (i.publicState || 'none');
    document.getElementById('entries').replaceChildren(...i.entries.map(e => {
      const li = el('li');
      li.dataset.seq = String(e.seq);
      li.dataset.kind = e.kind;
      li.append(el('b', '#' + e.seq + ' ' + CW.datetime(e.at) + ' · ' + e.kind + ' · ' + e.by
        + (e.internal ? ' · internal' : '') + (e.supersedes ? ' · supersedes #' + e.supersedes : '')));
      li.append(el('div', e.text));
      li.append(el('small', 'sha256 ' + e.hash.slice(0, 16) + '…'));
      return li;
    }));
    document.getElementById('export-md').href = '/api/incidents/' + encodeURIComponent(i.id) + '/export.md';
    for (const f of document.querySelectorAll('#add-entry, #set-public, #close-incident')) f.hidden = !operator || !!i.closedAt;
  }

  async function refresh() {
    try {
      await Promise.all([refreshList(), show()]);
      document.body.dataset.loaded = 'true';
    } catch (e) {
      error.textContent = e.message;
    }
  }

  async function append(body) {
    error.textContent = '';
    try {
      await CW.post('/api/incidents/' + encodeURIComponent(current()) + '/entries', body);
      await refresh();
      return true;
    } catch (e) {
      error.textContent = e.message;
      return false;
    }
  }

  document.getElementById('open-incident').onsubmit = async e => {
    e.preventDefault();
    try {
      const i = await CW.post('/api/incidents', { title: e.target.title.value, services: list(e.target.services.value) });
      e.target.reset();
      location.hash = encodeURIComponent(i.id);
    } catch (err) {
      document.getElementById('open-error').textContent = err.message;
    }
  };
  document.getElementById('add-entry').onsubmit = async e => {
    e.preventDefault();
    const f = e.target;
    if (await append({ kind: f.kind.value, text: f.text.value, internal: f.internal.checked, supersedes: Number(f.supersedes.value) })) f.reset();
  };
  document.getElementById('set-public').onsubmit = async e => {
    e.preventDefault();
    const f = e.target, message = {};
    for (const l of ['fr', 'nl', 'en']) if (f[l].value.trim()) message[l] = f[l].value.trim();
    await append({ kind: 'public', state: f.state.value, message });
  };
  document.getElementById('close-incident').onclick = () => append({ kind: 'closed', text: 'closed' });

  window.addEventListener('hashchange', refresh);
  CW.me.then(me => {
    operator = !!me && me.role !== 'partner';
    document.getElementById('open-incident').hidden = !operator;
    refresh();
  });
  setInterval(refresh, 10000);
})();
