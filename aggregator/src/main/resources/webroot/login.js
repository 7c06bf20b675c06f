// The login form: posts the credentials, then goes where the visitor was sent from (this site only).
'use strict';
document.getElementById('login').addEventListener('submit', async e => {
  e.preventDefault();
  const error = document.getElementById('error');
  error.textContent = '';
  const r = await fetch('/api/login', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: document.getElementById('user').value, password: document.getElementById('password').value })
  });
  if (!r.ok) {
    let reason = r.status + '';
    try { reason = (await r.json()).error; } catch (x) { /* not JSON */ }
    error.textContent = reason;
    return;
  }
  const next = new URLSearchParams(location.search).get('next') || '/';
  // only a path of this site: never an address elsewhere
  location.href = next.startsWith('/') && !next.startsWith('//') ? next : '/';
});
document.body.dataset.ready = 'yes';
