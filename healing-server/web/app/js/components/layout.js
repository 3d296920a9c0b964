// The frame of every screen: "Get help now" first after the skip link, the
// name of the app, the navigation for the person's role, the footer.
import { html, useEffect } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { signOut } from '../session.js';
import { useOpenAlerts, refreshOpenAlerts } from '../alert-count.js';
import { useUnreadMessages, refreshUnreadMessages } from '../message-count.js';
import { useUnreadNotifications, refreshUnreadNotifications } from '../notification-count.js';

// An entry's third element marks it current on the screens below it too (/tools/gratitude).
const NAV = {
  patient: [['/today', 'nav.today'], ['/mood', 'nav.mood'], ['/questionnaires', 'nav.questionnaires'], ['/journal', 'nav.journal'], ['/chat', 'nav.chat'], ['/messages', 'nav.messages', true], ['/appointments', 'appointments.nav', true], ['/tools', 'nav.tools', true], ['/safety-plan', 'nav.safety_plan'], ['/pet', 'nav.pet'], ['/links', 'nav.links'], ['/community', 'community.nav', true], ['/notifications', 'notifications.nav'], ['/settings', 'nav.settings']],
  clinician: [['/clinician', 'nav.patients'], ['/alerts', 'nav.alerts', true], ['/messages', 'nav.messages', true], ['/appointments', 'appointments.nav', true], ['/availability', 'availability.nav'], ['/clinician/outcomes', 'nav.outcomes'], ['/community', 'community.nav', true], ['/moderation', 'moderation.nav', true], ['/notifications', 'notifications.nav'], ['/settings', 'nav.settings']],
  admin: [['/admin', 'nav.users'], ['/alerts', 'nav.alerts', true], ['/admin/outcomes', 'nav.outcomes'], ['/admin/audit', 'nav.audit'], ['/admin/health', 'nav.health'], ['/admin/plugins', 'nav.plugins'], ['/admin/channels', 'channels.nav'], ['/moderation', 'moderation.nav', true], ['/notifications', 'notifications.nav'], ['/settings', 'nav.settings']],
};

/** "Alerts", with the number still open beside it (in words for screen readers). */
function AlertsLabel({ count }) {
  if (!count || count.error || !count.open) return t('nav.alerts');
  const shown = count.more ? `${count.open}+` : String(count.open);
  return html`${t('nav.alerts')} <span class="nav-count" aria-hidden="true">${shown}</span><span class="visually-hidden">${t('nav.alerts_open', { count: shown })}</span>`;
}

/** "Messages", with the number unread beside it: a calm badge, not the red of risk. */
function MessagesLabel({ count }) {
  if (!count || count.error || !count.unread) return t('nav.messages');
  return html`${t('nav.messages')} <span class="nav-count nav-count--calm" aria-hidden="true">${count.unread}</span><span class="visually-hidden">${t('nav.messages_unread', { count: count.unread })}</span>`;
}

/** "Notifications", with the number unread beside it, in the calm colour like messages. */
function NotificationsLabel({ count }) {
  if (!count || count.error || !count.unread) return t('notifications.nav');
  return html`${t('notifications.nav')} <span class="notification-count" aria-hidden="true">${count.unread}</span><span class="visually-hidden">${t('notifications.nav_unread', { count: count.unread })}</span>`;
}

function label(href, key, alerts, messages, notifications) {
  if (href === '/alerts') return html`<${AlertsLabel} count=${alerts} />`;
  if (href === '/messages') return html`<${MessagesLabel} count=${messages} />`;
  if (href === '/notifications') return html`<${NotificationsLabel} count=${notifications} />`;
  return t(key);
}

export function Header({ session, path }) {
  const signedIn = session && session.stage === 'authenticated' && !session.two_factor_setup_required;
  const items = signedIn ? NAV[session.user.role] || [] : [];
  const staff = signedIn && items.some(([href]) => href === '/alerts');
  const writes = signedIn && items.some(([href]) => href === '/messages');
  const alerts = useOpenAlerts();
  const messages = useUnreadMessages();
  const notifications = useUnreadNotifications();
  useEffect(() => {
    if (staff) refreshOpenAlerts();
    if (writes) refreshUnreadMessages();
    if (signedIn) refreshUnreadNotifications();
  }, [staff, writes, signedIn, path]);
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
          ${items.map(([href, key, below]) => html`<li><a href=${href} aria-current=${path === href || (below && path.startsWith(`${href}/`)) ? 'page' : undefined}>${label(href, key, alerts, messages, notifications)}</a></li>`)}
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

/**
 * Moves focus to the screen's heading once what changed is drawn: after turning
 * a page of a list or closing the crisis view, the reader starts at the top again.
 */
export function focusHeadingSoon() {
  requestAnimationFrame(() => {
    const heading = document.querySelector('main h1');
    if (heading) heading.focus();
  });
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
