/**
 * Enhancement for htmx swaps. Loaded with type="module", so browsers too old for modules never run
 * it; every page and form works without it. No inline handlers (strict CSP): behaviour lives here and
 * listens to htmx's DOM events on document (htmx itself is a module, so window.htmx may not exist).
 *
 * - After a failed post that answers with the whole page, focus moves to the error summary (as GOV.UK's
 *   error summary does), so a screen reader reads the errors first and Tab leads to their links.
 * - Focus after a swap: swapped-in content names where focus goes with data-focus (the error summary
 *   on failure, the edited item's heading on success, the form's heading when a form opens), so focus
 *   is never lost to <body> when the element that had it is replaced.
 * - The one persistent status region (#status-region, role="status") announces data-announce
 *   ("Lagret").
 * - A request that fails (network down, 5xx, an expired form) is never silent: a link falls back to
 *   ordinary navigation; a form shows the message from its data-error-text and keeps what was typed.
 * - A link marked data-auto-follow is followed at once, replacing the page in the history (signing
 *   out of ID-porten after Stafett); without JavaScript the person clicks it.
 */
const CLEAR_AFTER_MS = 10000;
let clearTimer = 0;

function announce(message) {
  const region = document.getElementById('status-region');
  if (!region || !message) return;
  window.clearTimeout(clearTimer);
  // Empty first, so the same message ("Lagret" twice in a row) is announced again.
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = message;
    clearTimer = window.setTimeout(() => {
      region.textContent = '';
    }, CLEAR_AFTER_MS);
  }, 100);
}

function focusOn(selector) {
  let target = null;
  try {
    target = document.querySelector(selector);
  } catch {
    return;
  }
  if (!target) return;
  if (!target.hasAttribute('tabindex') && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
    target.setAttribute('tabindex', '-1');
  }
  target.focus();
}

/** Reads the markers of freshly swapped content once, then removes them. */
function afterSwap() {
  document.querySelectorAll('[data-focus], [data-announce]').forEach((element) => {
    const focus = element.getAttribute('data-focus');
    const message = element.getAttribute('data-announce');
    element.removeAttribute('data-focus');
    element.removeAttribute('data-announce');
    if (focus) focusOn(focus);
    if (message) announce(message);
  });
}

function failed(event) {
  const source = event.detail && event.detail.elt;
  if (!source || !source.closest) return;
  if (source.tagName === 'A' && source.getAttribute('href')) {
    window.location.assign(source.getAttribute('href'));
    return;
  }
  const holder = source.closest('[data-error-text]');
  const text = holder && holder.getAttribute('data-error-text');
  if (!text) return;
  let box = holder.querySelector('.request-error');
  if (!box) {
    box = document.createElement('p');
    box.className = 'error-message request-error';
    box.setAttribute('role', 'alert');
    box.setAttribute('tabindex', '-1');
    holder.insertBefore(box, holder.firstChild);
  }
  box.textContent = text;
  box.focus();
}

/** A page that arrives with an error summary (a failed post without htmx) puts focus on it. */
function focusErrorSummaryOnLoad() {
  const summary = document.querySelector('main .error-summary');
  if (summary && !summary.closest('[hidden]')) focusOn('#' + summary.id);
}

focusErrorSummaryOnLoad();
document.addEventListener('htmx:afterSettle', afterSwap);
document.addEventListener('htmx:responseError', failed);
document.addEventListener('htmx:sendError', failed);

const autoFollow = document.querySelector('a[data-auto-follow]');
if (autoFollow) window.location.replace(autoFollow.href);
