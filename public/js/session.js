/* global fetch, URLSearchParams, Element */
// The session's idle-timeout warning, and drafts saved while typing. Loaded as a module, so browsers
// too old for modules never run it: they see the notice "Økten din avsluttes kl. HH:MM" instead.
// The server enforces the limits (src/plugins/session); this script only warns and keeps text.

const notice = document.getElementById('session-notice');
const dialog = document.getElementById('session-warning');
const status = document.getElementById('status-region');

function csrfToken() {
  const field = document.querySelector('input[name="_csrf"]');
  return field ? field.value : '';
}

function announce(text) {
  if (!status) return;
  status.textContent = '';
  window.setTimeout(() => {
    status.textContent = text;
  }, 50);
}

function timeText(date) {
  // The server gives the page's Intl tag (nb-NO, en-GB …), so the time reads as in the rest of the page.
  const lang = (notice && notice.dataset.locale) || document.documentElement.lang;
  // The 24-hour clock named outright: a browser without the locale's data (Chromium has no nn-NO) would
  // otherwise fall back to a 12-hour "08:33 AM".
  return date.toLocaleTimeString(lang, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Europe/Oslo',
  });
}

function post(url, fields) {
  const body = new URLSearchParams(Object.assign({ _csrf: csrfToken() }, fields));
  return fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
}

// ---- the timeout warning ----
const session = {
  endsAt: 0,
  warnBefore: 120,
  warnTimer: 0,
  endTimer: 0,
  expired: false,
  returnFocus: null,
};

function showDialog() {
  if (!dialog || dialog.open) return;
  session.returnFocus = document.activeElement;
  if (typeof dialog.showModal === 'function') dialog.showModal();
  else dialog.setAttribute('open', '');
  const button = dialog.querySelector(session.expired ? '[data-session-close]' : '[data-session-continue]');
  if (button) button.focus();
}

function hideDialog() {
  if (!dialog || !dialog.open) return;
  if (typeof dialog.close === 'function') dialog.close();
  else dialog.removeAttribute('open');
  const back = session.returnFocus;
  if (back && typeof back.focus === 'function' && document.contains(back)) back.focus();
}

function showWarning() {
  if (!dialog) return;
  const text = dialog.querySelector('[data-session-text]');
  if (text)
    text.textContent = dialog.dataset.warningTemplate.replace('{time}', timeText(new Date(session.endsAt)));
  showDialog();
}

function showExpired() {
  if (!dialog) return;
  session.expired = true;
  dialog.querySelector('[data-session-text]').hidden = true;
  dialog.querySelector('[data-session-expired]').hidden = false;
  dialog.querySelector('[data-session-continue]').hidden = true;
  dialog.querySelector('[data-session-close]').hidden = false;
  if (dialog.open) dialog.querySelector('[data-session-close]').focus();
  else showDialog();
}

// Meeting mode: the projector shows nothing of the session (the notice is hidden). Until a while after
// the meeting's planned end the page quietly extends the session where it would have warned; after
// that (a meeting left running), the warning comes as usual. The server's absolute limit still holds.
const keepAliveUntil = notice ? Number(notice.dataset.keepAliveUntil) || 0 : 0;

async function keepAlive() {
  try {
    const response = await post('/session/extend', {});
    if (!response.ok) throw new Error(String(response.status));
    remaining((await response.json()).remaining);
  } catch {
    showExpired();
  }
}

function warnOrKeepAlive() {
  if (Date.now() < keepAliveUntil) keepAlive();
  else showWarning();
}

/** The server says how many seconds are left: (re)start the timers from there. */
function remaining(seconds) {
  if (!notice || !Number.isFinite(seconds) || session.expired) return;
  session.endsAt = Date.now() + seconds * 1000;
  window.clearTimeout(session.warnTimer);
  window.clearTimeout(session.endTimer);
  session.warnTimer = window.setTimeout(warnOrKeepAlive, Math.max(0, (seconds - session.warnBefore) * 1000));
  session.endTimer = window.setTimeout(showExpired, seconds * 1000 + 1000);
  const template = dialog ? dialog.dataset.endsTemplate : '';
  if (template) notice.textContent = template.replace('{time}', timeText(new Date(session.endsAt)));
}

function fromHeader(response) {
  const value = response && response.headers ? response.headers.get('X-Session-Remaining') : null;
  if (value !== null && value !== '') remaining(Number(value));
}

async function extend() {
  try {
    const response = await post('/session/extend', {});
    if (!response.ok) throw new Error(String(response.status));
    const answer = await response.json();
    hideDialog();
    remaining(answer.remaining);
    if (notice && answer.text) notice.textContent = answer.text;
    announce(answer.announce);
  } catch {
    showExpired();
  }
}

if (notice && dialog) {
  session.warnBefore = Number(notice.dataset.warnBefore) || 120;
  remaining(Number(notice.dataset.remaining));
  dialog.querySelector('form').addEventListener('submit', (event) => {
    event.preventDefault();
    extend();
  });
  dialog.querySelector('[data-session-close]').addEventListener('click', hideDialog);
  // Escape is the person being there, too.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    if (session.expired) hideDialog();
    else extend();
  });
  document.addEventListener('htmx:afterRequest', (event) => {
    const xhr = event.detail && event.detail.xhr;
    const value = xhr ? xhr.getResponseHeader('X-Session-Remaining') : null;
    if (value) remaining(Number(value));
  });
}

// ---- drafts while typing ----
const SAVE_AFTER_MS = 2000;
const MIN_LENGTH = 20;

function formPath(form) {
  try {
    return new URL(form.getAttribute('action') || window.location.pathname, window.location.href).pathname;
  } catch {
    return '';
  }
}

function draftFields(root) {
  const fields = [];
  root.querySelectorAll('form[method="post" i] textarea[name]').forEach((field) => {
    if (field.dataset.draft !== 'off' && !field.dataset.draftReady) fields.push(field);
  });
  return fields;
}

async function restoreDrafts(fields) {
  const byPath = new Map();
  fields.forEach((field) => {
    const path = formPath(field.form);
    if (!path) return;
    if (!byPath.has(path)) byPath.set(path, []);
    byPath.get(path).push(field);
  });
  let restored = 0;
  for (const [path, list] of byPath) {
    let answer;
    try {
      const response = await fetch(`/drafts?path=${encodeURIComponent(path)}`, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
      if (!response.ok) continue;
      answer = await response.json();
    } catch {
      continue;
    }
    for (const draft of answer.drafts || []) {
      const field = list.find((f) => f.name === draft.field);
      if (!field || field.value.trim() !== '' || !draft.text) continue;
      field.value = draft.text;
      restored += 1;
      const note = document.createElement('p');
      note.className = 'hint draft-note';
      note.id = `${field.id || field.name}-draft`;
      note.textContent = (dialog && dialog.dataset.draftNote) || '';
      if (note.textContent) {
        field.insertAdjacentElement('beforebegin', note);
        const described = (field.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
        described.push(note.id);
        field.setAttribute('aria-describedby', described.join(' '));
      }
    }
  }
  if (restored > 0 && dialog && dialog.dataset.draftsRestored) announce(dialog.dataset.draftsRestored);
}

function watch(field) {
  field.dataset.draftReady = 'yes';
  let timer = 0;
  let saved = field.value;
  let sent = false;
  // Once the form is sent, its drafts are the server's business: saving now could bring one back.
  field.form.addEventListener('submit', () => {
    sent = true;
    window.clearTimeout(timer);
  });
  const save = async () => {
    if (sent) return;
    const text = field.value;
    if (text === saved || (text.trim().length < MIN_LENGTH && saved.trim() === '')) return;
    const path = formPath(field.form);
    if (!path) return;
    try {
      const response = await post('/drafts', { path, field: field.name, text });
      if (response.status === 401) {
        showExpired();
        return;
      }
      if (response.ok) saved = text;
      fromHeader(response);
    } catch {
      // Offline for a moment: the next keystroke tries again.
    }
  };
  field.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, SAVE_AFTER_MS);
  });
  // Leaving the field saves too, a moment later: if it was left for the submit button, the post wins.
  field.addEventListener('blur', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 300);
  });
}

function enhance(root) {
  if (!notice) return; // signed out: nothing is saved
  const fields = draftFields(root);
  if (fields.length === 0) return;
  fields.forEach(watch);
  restoreDrafts(fields);
}

enhance(document);
document.addEventListener('htmx:load', (event) => {
  if (event.target instanceof Element) enhance(event.target);
});
