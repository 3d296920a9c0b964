// The app: loads the text catalogue and the session, then renders the screen
// for the URL inside the shared frame. No build step; ES modules only. A
// screen's module is imported when its route is first visited, so the first
// screen stays small however many screens the app has.
import { html, render, useState, useEffect, useRef } from '../vendor/preact-htm.module.js';
import { loadCatalogue, t } from './i18n.js';
import { currentPath, navigate, onRouteChange, match } from './router.js';
import { session, loadSession, onSessionChange, homeFor } from './session.js';
import { onCrisisResources } from './api.js';
import { applyTheme } from './theme.js';
import { followAccountTheme } from './preferences.js';
import { ROUTES } from './routes.js';
import { Header, Footer, Page, Loading, focusHeadingSoon } from './components/layout.js';
import { CrisisTakeover } from './screens/crisis.js';

function NotFound() {
  return html`<${Page} title=${t('notfound.title')}><p>${t('notfound.body')}</p><p><a href="/">${t('notfound.home')}</a></p><//>`;
}

/** A screen's module could not be fetched (offline, a deploy in progress). */
function ScreenFailed({ onRetry }) {
  return html`
    <${Page} title=${t('app.screen_failed_title')}>
      <div class="error-summary" role="alert">
        <h2>${t('errors.summary_title')}</h2>
        <p>${t('app.screen_failed')}</p>
      </div>
      <p><button class="button" type="button" onClick=${onRetry}>${t('app.screen_retry')}</button></p>
    <//>`;
}

// Imported screen modules, by their route's loader (several routes share one).
const modules = new Map();

/**
 * The component for `route`: at once when it is in the shell or already
 * imported, else null while its module loads; `failed` with `retry` when the
 * import failed.
 */
function useScreen(route) {
  const [, setLoaded] = useState(0);
  const [failed, setFailed] = useState(null);
  const [attempt, setAttempt] = useState(0);
  const load = route && !route.view ? route.load : null;
  useEffect(() => {
    if (!load || modules.has(load)) return undefined;
    let live = true;
    load().then((module) => {
      modules.set(load, module);
      if (live) setLoaded((count) => count + 1);
    }, () => {
      // A function is kept with an updater (setFailed(load) would call it).
      if (live) setFailed(() => load);
    });
    return () => {
      live = false;
    };
  }, [load, attempt]);
  // Loading again, then the screen or, drawn anew, the failure.
  const retry = () => {
    setFailed(null);
    setAttempt((count) => count + 1);
  };
  if (!route) return { View: null };
  if (route.view) return { View: route.view };
  if (modules.has(load)) return { View: modules.get(load)[route.name] };
  return { View: null, failed: failed === load, attempt, retry };
}

function NotForYou() {
  return html`<${Page} title=${t('notallowed.title')}><p>${t('notallowed.body')}</p><p><a href=${homeFor(session())}>${t('notfound.home')}</a></p><//>`;
}

/** Whether a signed-in user with `role` may open a screen with `access`. */
function allows(access, role) {
  if (access === 'signed-in') return true;
  if (access === 'staff') return role === 'clinician' || role === 'admin';
  if (access === 'care') return role === 'patient' || role === 'clinician';
  return role === access;
}

/** The screen for `path`, or a redirect target. */
function resolve(path, current) {
  if (path === '/') return { redirect: homeFor(current) };
  for (const route of ROUTES) {
    const params = match(route.path, path);
    if (!params) continue;
    const signedIn = current && current.stage === 'authenticated';
    const ready = signedIn && !current.two_factor_setup_required;
    switch (route.access) {
      case 'public':
        return { route, params };
      case 'signed-out':
        return ready ? { redirect: homeFor(current) } : { route, params };
      case 'awaiting':
        return current && current.stage === 'awaiting_second_factor' ? { route, params } : { redirect: homeFor(current) };
      case 'enrol':
        return signedIn ? { route, params } : { redirect: '/sign-in' };
      default:
        if (!current) return { redirect: '/sign-in' };
        if (!ready) return { redirect: homeFor(current) };
        if (!allows(route.access, current.user.role)) return { route: { view: NotForYou }, params };
        return { route, params };
    }
  }
  return { route: { view: NotFound }, params: {} };
}

function App() {
  const [path, setPath] = useState(currentPath());
  const [current, setCurrent] = useState(session());
  const [takeover, setTakeover] = useState(false);
  const shown = useRef(null);
  useEffect(() => onRouteChange(() => {
    setTakeover(false);
    setPath(currentPath());
  }), []);
  useEffect(() => onSessionChange(setCurrent), []);
  // The answer's safety object; a screen may add a `note` for the view to say
  // (a community post held for a moderator says others cannot see it yet).
  useEffect(() => onCrisisResources((safety) => setTakeover(safety || {})), []);
  const closeTakeover = () => {
    setTakeover(false);
    // Back to the screen as it was, with focus on its heading.
    focusHeadingSoon();
  };
  const resolved = resolve(path, current);
  useEffect(() => {
    if (resolved.redirect) navigate(resolved.redirect, { replace: true });
  });
  const { View, failed, attempt, retry } = useScreen(resolved.route);
  const Shown = View || (failed ? ScreenFailed : null);
  useEffect(() => {
    if (!Shown) return;
    const before = shown.current;
    if (before && before.path === path && before.Shown === Shown && before.attempt === attempt) return;
    shown.current = { path, Shown, attempt };
    if (!before) {
      // The first screen is drawn: the app is ready to use.
      document.documentElement.dataset.ready = 'true';
      performance.mark('healing-interactive');
      return;
    }
    // A new screen: move focus to its heading, as a page load would put the reader at the top.
    requestAnimationFrame(() => {
      const heading = document.querySelector('main h1');
      (heading || document.getElementById('main')).focus();
      window.scrollTo(0, 0);
    });
  }, [path, Shown, attempt]);
  let screen = null;
  if (View) screen = html`<${View} key=${path} params=${resolved.params} />`;
  else if (failed) screen = html`<${ScreenFailed} onRetry=${retry} />`;
  else if (!resolved.redirect) screen = html`<${Loading} />`;
  return html`
    <${Header} session=${current} path=${path} />
    <main id="main" tabindex="-1">
      ${takeover ? html`<${CrisisTakeover} onClose=${closeTakeover} note=${takeover.note} />` : null}
      <div hidden=${Boolean(takeover)}>${screen}</div>
    </main>
    <${Footer} />`;
}

async function start() {
  applyTheme();
  // The colours chosen on the account follow the person to this device.
  followAccountTheme();
  // Both before the first render; neither needs the other (loadSession swallows errors).
  await Promise.all([loadCatalogue(), loadSession()]);
  const root = document.getElementById('app');
  root.textContent = '';
  render(html`<${App} />`, root);
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // Without a service worker the app still works online.
    });
  }
}

start();
