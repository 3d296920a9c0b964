// Routing by URL (history API): links, back button, refresh and bookmarks work.
const listeners = new Set();

export function currentPath() {
  return window.location.pathname;
}

export function navigate(path, { replace = false } = {}) {
  if (path === currentPath() + window.location.search) return;
  if (replace) window.history.replaceState({}, '', path);
  else window.history.pushState({}, '', path);
  listeners.forEach((listener) => listener());
}

export function onRouteChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Matches `/questionnaires/:id` against a path; returns the params or null. */
export function match(pattern, path) {
  const want = pattern.split('/');
  const got = path.replace(/\/+$/, '').split('/');
  if (path === '/' && pattern === '/') return {};
  if (want.length !== got.length) return null;
  const params = {};
  for (let index = 0; index < want.length; index += 1) {
    if (want[index].startsWith(':')) params[want[index].slice(1)] = decodeURIComponent(got[index]);
    else if (want[index] !== got[index]) return null;
  }
  return params;
}

window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

// Same-origin links become history navigations (not /api, not downloads, not new tabs).
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest && event.target.closest('a[href]');
  if (!link || link.target || link.hasAttribute('download')) return;
  const href = link.getAttribute('href');
  if (!href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/')) return;
  event.preventDefault();
  navigate(href);
});
