// The app: loads the text catalogue and the session, then renders the screen
// for the URL inside the shared frame. No build step; ES modules only.
import { html, render, useState, useEffect, useRef } from '../vendor/preact-htm.module.js';
import { loadCatalogue, t } from './i18n.js';
import { currentPath, navigate, onRouteChange, match } from './router.js';
import { session, loadSession, onSessionChange, homeFor } from './session.js';
import { onCrisisResources } from './api.js';
import { applyTheme } from './theme.js';
import { ROUTES } from './routes.js';
import { Header, Footer, Page } from './components/layout.js';
import { CrisisTakeover } from './screens/crisis.js';

function NotFound() {
  return html`<${Page} title=${t('notfound.title')}><p>${t('notfound.body')}</p><p><a href="/">${t('notfound.home')}</a></p><//>`;
}

function NotForYou() {
  return html`<${Page} title=${t('notallowed.title')}><p>${t('notallowed.body')}</p><p><a href=${homeFor(session())}>${t('notfound.home')}</a></p><//>`;
}

/** Whether a signed-in user with `role` may open a screen with `access`. */
function allows(access, role) {
  if (access === 'signed-in') return true;
  if (access === 'staff') return role === 'clinician' || role === 'admin';
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
  const first = useRef(true);
  useEffect(() => onRouteChange(() => {
    setTakeover(false);
    setPath(currentPath());
  }), []);
  useEffect(() => onSessionChange(setCurrent), []);
  useEffect(() => onCrisisResources(() => setTakeover(true)), []);
  const closeTakeover = () => {
    setTakeover(false);
    // Back to the screen as it was, with focus on its heading.
    requestAnimationFrame(() => {
      const heading = document.querySelector('main h1');
      if (heading) heading.focus();
    });
  };
  const resolved = resolve(path, current);
  useEffect(() => {
    if (resolved.redirect) navigate(resolved.redirect, { replace: true });
  });
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // A new screen: move focus to its heading, as a page load would put the reader at the top.
    requestAnimationFrame(() => {
      const heading = document.querySelector('main h1');
      (heading || document.getElementById('main')).focus();
      window.scrollTo(0, 0);
    });
  }, [path]);
  const View = resolved.route ? resolved.route.view : null;
  return html`
    <${Header} session=${current} path=${path} />
    <main id="main" tabindex="-1">
      ${takeover ? html`<${CrisisTakeover} onClose=${closeTakeover} />` : null}
      <div hidden=${takeover}>${View ? html`<${View} key=${path} params=${resolved.params} />` : null}</div>
    </main>
    <${Footer} />`;
}

async function start() {
  applyTheme();
  // Both before the first render; neither needs the other (loadSession swallows errors).
  await Promise.all([loadCatalogue(), loadSession()]);
  const root = document.getElementById('app');
  root.textContent = '';
  render(html`<${App} />`, root);
  document.documentElement.dataset.ready = 'true';
  performance.mark('healing-interactive');
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // Without a service worker the app still works online.
    });
  }
}

start();
