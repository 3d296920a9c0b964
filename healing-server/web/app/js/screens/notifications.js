// Notifications: what has happened that the person should know of (a new
// message, a new safety alert, an appointment changed or coming up, a reply to
// their post), newest first, a page at a time. A notification says only what
// happened, never what anyone wrote: opening it marks it read and goes to the
// screen that shows it, where the app has one; one the app cannot open yet is
// marked read with its own button; "Mark all as read" clears the count in the
// navigation.
import { html, useState, useEffect, useRef } from '../../vendor/preact-htm.module.js';
import { t, has } from '../i18n.js';
import { get, post } from '../api.js';
import { navigate, match } from '../router.js';
import { ROUTES } from '../routes.js';
import { setUnreadNotifications, refreshUnreadNotifications } from '../notification-count.js';
import { Page, Loading, LoadError, focusHeadingSoon } from '../components/layout.js';
import { useData, useFocusAfterReload } from '../components/data.js';
import { useForm, ErrorSummary, Button } from '../components/forms.js';
import { When } from '../components/time.js';

// Notifications read at a time.
const PAGE = 20;

/** The notification's `link` when the app has a screen for it, else null. */
function screenFor(notification) {
  const link = notification.link;
  return link && link.startsWith('/') && ROUTES.some((route) => match(route.path, link)) ? link : null;
}

/** What happened, in the catalogue's words (a kind new to the app still reads as something). */
function text(notification, part) {
  const key = `notifications.${part}.${notification.kind}`;
  return has(key) ? t(key) : t(`notifications.${part}_unknown`);
}

const headingId = (notification) => `notification-${notification.id}`;

function Item({ notification, busy, onOpen, onMark }) {
  const unread = !notification.read_at;
  const link = screenFor(notification);
  const title = text(notification, 'kind');
  return html`
    <li class=${`notification${unread ? ' notification--unread' : ''}`}>
      <h2 id=${headingId(notification)} tabindex="-1">
        ${link ? html`<a href=${link} onClick=${(event) => onOpen(event, notification, link)}>${title}</a>` : title}
      </h2>
      <p class="notification__state">${unread ? html`<strong>${t('notifications.unread')}</strong>` : t('notifications.read')}</p>
      <p class="muted"><${When} iso=${notification.created_at} /></p>
      <p>${text(notification, 'about')}</p>
      ${link ? null : html`<p>${t('notifications.not_in_app')}</p>`}
      ${!link && unread ? html`
        <${Button} type="button" kind="secondary" busy=${busy} onClick=${() => onMark(notification)}>
          ${t('notifications.mark_one')}<span class="visually-hidden"> ${t('notifications.mark_one_for', { title })}</span><//>` : null}
    </li>`;
}

function unreadSentence(count) {
  if (count === 1) return t('notifications.unread_count_one');
  if (count) return t('notifications.unread_count_many', { count });
  return t('notifications.unread_count_none');
}

export function Notifications() {
  const [offset, setOffset] = useState(0);
  const data = useData(() => get(`/api/notifications?limit=${PAGE}&offset=${offset}`), [offset]);
  const form = useForm([]);
  const [notice, setNotice] = useState(null);
  const noticeRef = useRef(null);
  const focusAfterReload = useFocusAfterReload(data.data);
  useEffect(() => {
    if (data.data) setUnreadNotifications(Number(data.data.unread));
  }, [data.data]);
  useEffect(() => {
    // The button pressed is gone (nothing is unread): the reader goes to what it did.
    if (notice && noticeRef.current) noticeRef.current.focus();
  }, [notice]);
  const open = (event, notification, link) => {
    event.preventDefault();
    if (!notification.read_at) {
      // Opening it reads it; the count is read again either way.
      const recount = () => refreshUnreadNotifications({ force: true });
      post(`/api/notifications/${encodeURIComponent(notification.id)}/read`, {}).then(recount, recount);
    }
    navigate(link);
  };
  const markOne = (notification) => {
    setNotice(null);
    form.run(async () => {
      await post(`/api/notifications/${encodeURIComponent(notification.id)}/read`, {});
      refreshUnreadNotifications({ force: true });
      focusAfterReload(headingId(notification));
      data.reload();
    });
  };
  const markAll = () => {
    setNotice(null);
    form.run(async () => {
      const answer = await post('/api/notifications/read-all', {});
      const marked = Number(answer.marked);
      setNotice(marked === 1 ? t('notifications.marked_all_one') : marked ? t('notifications.marked_all_many', { count: marked }) : t('notifications.marked_all_none'));
      setUnreadNotifications(0);
      data.reload();
    });
  };
  const turnPage = (next) => {
    setNotice(null);
    setOffset(next);
    focusHeadingSoon();
  };
  let body;
  if (data.loading && !data.data) body = html`<${Loading} />`;
  else if (data.error) body = html`<${LoadError} error=${data.error} />`;
  else {
    const list = data.data;
    const total = Number(list.total);
    const unread = Number(list.unread);
    const shown = list.notifications;
    body = html`
      <p>${unreadSentence(unread)}</p>
      ${unread ? html`<p><${Button} type="button" busy=${form.busy} onClick=${markAll}>${t('notifications.mark_all')}<//></p>` : null}
      ${shown.length ? html`
        <ul class="notification-list" aria-label=${t('notifications.list_label', { from: offset + 1, to: offset + shown.length, total })}>
          ${shown.map((notification) => html`<${Item} key=${notification.id} notification=${notification} busy=${form.busy} onOpen=${open} onMark=${markOne} />`)}
        </ul>` : html`<p>${t(offset ? 'notifications.none_on_page' : 'notifications.none')}</p>`}
      ${total > PAGE ? html`
        <nav class="pagination" aria-label=${t('notifications.pages_label')}>
          <p>${shown.length ? t('notifications.page', { from: offset + 1, to: offset + shown.length, total }) : null}</p>
          <div class="button-group">
            ${offset > 0 ? html`<${Button} type="button" kind="secondary" onClick=${() => turnPage(Math.max(0, offset - PAGE))}>${t('notifications.previous')}<//>` : null}
            ${offset + PAGE < total ? html`<${Button} type="button" kind="secondary" onClick=${() => turnPage(offset + PAGE)}>${t('notifications.next')}<//>` : null}
          </div>
        </nav>` : null}`;
  }
  return html`
    <${Page} title=${t('notifications.title')} lead=${t('notifications.lead')}>
      <${ErrorSummary} form=${form} />
      <div role="status">${notice ? html`<div class="notice notice--success" tabindex="-1" ref=${noticeRef}><p>${notice}</p></div>` : null}</div>
      ${body}
      <p><a href="/settings#preferences-email">${t('notifications.settings_link')}</a></p>
    <//>`;
}
