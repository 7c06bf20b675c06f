// The alert pop-up on every screen: the firing alerts nobody has acknowledged, with the service,
// the reason and a link to the graph at the right time. It stays until the alert is acknowledged
// (by anyone, on any screen) or resolved. Sound: browsers block it until a click, so one click on
// "sound on" arms it for this screen; "mute" silences this screen only (kept in the browser).
// A silenced alert does not pop up. Everything from an alert is set as text, never as HTML.
'use strict';
(() => {
  const alerts = new Map();
  let audio = null;
  let muted = localStorage.getItem('cw-muted') === '1';
  const box = document.createElement('aside');
  box.id = 'cw-popup';
  box.hidden = true;
  box.dataset.count = '0';
  box.innerHTML = `<div class="bar"><b>Alerts</b><button id="cw-sound" data-armed="false">sound on</button>
    <button id="cw-mute"></button></div><ul></ul>`;
  document.body.appendChild(box);
  const list = box.querySelector('ul');
  const soundButton = box.querySelector('#cw-sound');
  const muteButton = box.querySelector('#cw-mute');
  muteButton.textContent = muted ? 'unmute' : 'mute';
  soundButton.onclick = () => {
    // created inside the click: the browser lets this screen play sound from now on
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    audio.resume();
    soundButton.dataset.armed = 'true';
    soundButton.textContent = 'sound armed';
    soundButton.disabled = true;
  };
  muteButton.onclick = () => {
    muted = !muted;
    localStorage.setItem('cw-muted', muted ? '1' : '0');
    muteButton.textContent = muted ? 'unmute' : 'mute';
  };

  function beep() {
    if (!audio || muted) return;
    const osc = audio.createOscillator(), gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.value = 0.2;
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.4);
    box.dataset.beeps = String(Number(box.dataset.beeps || 0) + 1);
  }

  async function acknowledge(a, button) {
    button.disabled = true;
    try {
      await CW.post('/api/alerts/' + encodeURIComponent(a.id) + '/ack', { note: 'acknowledged from ' + location.pathname });
    } catch (e) {
      if (e.status !== 409) { button.disabled = false; button.title = e.message; }
    }
  }

  function render() {
    list.textContent = '';
    const shown = [...alerts.values()].sort((x, y) => y.firedAt - x.firedAt);
    for (const a of shown) {
      const li = document.createElement('li');
      li.dataset.id = a.id;
      li.className = a.severity || '';
      const what = document.createElement('b');
      what.textContent = a.kind + ' ' + Object.values(a.subject || {}).join(' ');
      const why = document.createElement('span');
      why.textContent = ' ' + (a.reason || '') + ' (since ' + CW.hhmm(a.since) + ')';
      li.append(what, why);
      const link = CW.alertGraphLink(a);
      if (link) {
        const g = document.createElement('a');
        g.href = link;
        g.textContent = 'graph';
        li.append(' ', g);
      }
      if (document.body.dataset.role && document.body.dataset.role !== 'partner') {
        const ack = document.createElement('button');
        ack.className = 'ack';
        ack.textContent = 'acknowledge';
        ack.onclick = () => acknowledge(a, ack);
        li.append(' ', ack);
      }
      list.appendChild(li);
    }
    box.hidden = shown.length === 0;
    box.dataset.count = String(shown.length);
  }

  window.addEventListener('cw-alert', e => {
    const a = e.detail;
    const wanted = a.state === 'firing' && !a.acknowledgedBy && !a.late && !a.silencedBy;
    const isNew = wanted && !alerts.has(a.id);
    if (wanted) alerts.set(a.id, a); else alerts.delete(a.id);
    render();
    if (isNew) beep();
  });
  // the server sends the firing ones again on reconnect
  window.addEventListener('cw-live', e => { if (!e.detail) { alerts.clear(); render(); } });
  // a page without a live socket of its own (the graph view) opens one for the pop-up
  setTimeout(() => { if (!CW.hasLive()) CW.live(() => {}, () => {}); }, 1500);
})();
