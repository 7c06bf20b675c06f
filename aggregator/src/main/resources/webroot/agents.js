// The agents page: polls /api/agents every 2 s; lines/s and the backlog's time left come from the
// change between two polls.
'use strict';
const previous = new Map();   // agent -> {at, linesRead, lag, maxLag}
function bytes(n) { return n >= 1 << 30 ? (n / (1 << 30)).toFixed(1) + ' GiB' : n >= 1 << 20 ? (n / (1 << 20)).toFixed(1) + ' MiB' : n >= 1024 ? (n / 1024).toFixed(0) + ' KiB' : n + ' B'; }
function esc(s) { return String(s).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c])); }
async function refresh() {
  let d;
  try { d = await CW.json('/api/agents'); } catch (e) { return; }
  const now = Date.now();
  const rows = d.agents.map(a => {
    const c = (a.stats && a.stats.counters) || {};
    const p = previous.get(a.agent);
    const rate = p ? Math.max(0, (c.linesRead - p.linesRead) / ((now - p.at) / 1000)) : 0;
    const lag = Number(c.lagBytes || 0);  // figures come from the agent: numbers only, never markup
    const maxLag = Math.max(lag, p ? p.maxLag : 0);
    const drain = p ? (p.lag - lag) / ((now - p.at) / 1000) : 0;   // bytes/s the backlog shrinks
    previous.set(a.agent, { at: now, linesRead: c.linesRead || 0, lag, maxLag: lag > 0 ? maxLag : 0 });
    // connected, but its batches refused (and sent again): nothing of it is stored, it must stand out
    const refused = a.refused ? `<br><b class="refused">batches refused since ${CW.hhmm((a.refused.sinceMillis || a.refused.atMillis) / 1000)}: ${esc(a.refused.reason)}</b>` : '';
    const quiet = a.silentSeconds > 30 || !!a.refused;
    const samples = ((a.stats && a.stats.files) || []).flatMap(f => f.samples).slice(0, 5).join('\n');
    let backlog = '–';
    if (lag > 0 || (c.spoolBatches || 0) > 0) {
      const done = maxLag ? 1 - lag / maxLag : 0;
      const left = drain > 0 ? Math.round(lag / drain) + ' s left' : 'catching up';
      backlog = `<progress max="1" value="${done.toFixed(3)}"></progress> ${left}`;
    }
    // a new epoch: the agent's state was created anew (a wiped or reinstalled server)
    const epoch = a.epochs > 0 ? `<br><small class="epoch">new state since ${CW.datetime(a.epochSinceMillis / 1000)}`
      + ` (${Number(a.epochs)}×); ${Number(a.rereadCalls)} calls read again, not counted twice</small>` : '';
    return `<tr class="${quiet ? 'quiet' : ''}" data-agent="${esc(a.agent)}"><td>${esc(a.agent)}</td><td>${esc(a.host)}</td><td>${esc(a.version)}${epoch}</td>
      <td>${a.silentSeconds > 30 ? '<b>silent ' + Number(a.silentSeconds) + ' s</b>' : CW.hhmm(a.lastContactMillis / 1000)}${refused}</td>
      <td>${rate.toFixed(0)}</td><td>${bytes(lag)}</td><td title="${esc(samples)}">${Number(c.rejected || 0)}</td>
      <td>${Number(c.spoolBatches || 0)} (${bytes(Number(c.spoolBytes || 0))})${c.readPaused ? ' <b>full: reading paused</b>' : ''}</td><td>${backlog}</td></tr>`;
  });
  const table = document.getElementById('agents');
  table.innerHTML = table.rows[0].outerHTML + rows.join('');
  const broken = (d.unwritableSources || []).map(u => `${u.agent} ${u.host} ${u.service} ${u.op}: ${u.error} (${u.slotsLost} slots lost)`);
  document.getElementById('unwritable').textContent = broken.length ? 'Files that cannot be written: ' + broken.join('; ') : '';
}
refresh();
setInterval(refresh, 2000);
