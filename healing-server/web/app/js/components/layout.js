// The frame of every screen: "Get help now" first after the skip link, the
// name of the app, the navigation for the person's role, the footer.
import { html, useEffect } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { signOut } from '../session.js';
import { useOpenAlerts, refreshOpenAlerts } from '../alert-count.js';

const NAV = {
  patient: [['/today', 'nav.today'], ['/mood', 'nav.mood'], ['/questionnaires', 'nav.questionnaires'], ['/journal', 'nav.journal'], ['/pet', 'nav.pet'], ['/links', 'nav.links'], ['/settings', 'nav.settings']],
  clinician: [['/clinician', 'nav.patients'], ['/alerts', 'nav.alerts'], ['/clinician/outcomes', 'nav.outcomes'], ['/settings', 'nav.settings']],
  admin: [['/admin', 'nav.users'], ['/alerts', 'nav.alerts'], ['/admin/outcomes', 'nav.outcomes'], ['/admin/audit', 'nav.audit'], ['/admin/health', 'nav.health'], ['/settings', 'nav.settings']],
};

/** "Alerts", with the number still open beside it (in words for screen readers). */
function AlertsLabel({ count }) {
  if (!count || count.error || !count.open) return t('nav.alerts');
  const shown = count.more ? `${count.open}+` : String(count.open);
  return html`${t('nav.alerts')} <span class="nav-count" aria-hidden="true">${shown}</span><span class="visually-hidden">${t('nav.alerts_open', { count: shown })}</span>`;
}

export function Header({ session, path }) {
  const signedIn = session && session.stage === 'authenticated' && !session.two_factor_setup_required;
  const items = signedIn ? NAV[session.user.role] || [] : [];
  const staff = signedIn && items.some(([href]) => href === '/alerts');
  const alerts = useOpenAlerts();
  useEffect(() => {
    if (staff) refreshOpenAlerts();
  }, [staff, path]);
  const out = async () => {
    await signOut();
    navigate('/sign-in');
  };
  return html`
    <header class="site-header">
      <div class="site-header__inner">
        <a class="crisis-button" href="/crisis">${t('crisis.button')}</a>
        <a class="site-header__brand" href="/">${t('app.name')}</a>
      </div>
    </header>
    ${session ? html`
      <nav class="site-nav" aria-label=${t('nav.label')}>
        <ul>
          ${items.map(([href, key]) => html`<li><a href=${href} aria-current=${path === href ? 'page' : undefined}>${href === '/alerts' ? html`<${AlertsLabel} count=${alerts} />` : t(key)}</a></li>`)}
          <li><button type="button" onClick=${out}>${t('nav.sign_out')}</button></li>
        </ul>
      </nav>` : null}`;
}

export function Footer() {
  return html`<footer class="site-footer"><p>${t('app.footer')}</p></footer>`;
}

/** A screen's heading; also names the browser tab. */
export function Page({ title, children, lead }) {
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title]);
  return html`
    <h1 tabindex="-1">${title}</h1>
    ${lead ? html`<p class="lead">${lead}</p>` : null}
    ${children}`;
}

/** Loading and load-failure states shared by screens that read data. */
export function Loading() {
  return html`<p role="status">${t('app.loading')}</p>`;
}

export function LoadError({ error }) {
  return html`
    <div class="error-summary" role="alert">
      <h2>${t('errors.summary_title')}</h2>
      <p>${error.message}</p>
      ${error.status === 401 ? html`<p><a href="/sign-in">${t('signin.title')}</a></p>` : null}
    </div>`;
}
