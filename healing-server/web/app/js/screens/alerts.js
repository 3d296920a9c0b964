// Alerts: the safety alerts raised by what patients write or answer, for
// clinicians (their linked patients) and admins (everyone, as duty contact).
// Open alerts come first, most serious first; each can be acknowledged, then
// resolved with what was done. The list changes in place after each action.
import { html, useState, useEffect } from '../../vendor/preact-htm.module.js';
import { t, has } from '../i18n.js';
import { get, post } from '../api.js';
import { session } from '../session.js';
import { useOpenAlerts, refreshOpenAlerts } from '../alert-count.js';
import { Page, Loading, LoadError, focusHeadingSoon } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, TextArea, Button, formValues } from '../components/forms.js';
import { When } from '../components/time.js';

const PAGE_SIZE = 20;
// The server's limit for the resolution text (ACTION_MAX_CHARS in routes/alerts.rs).
const ACTION_MAX_CHARS = 2000;

/** The patient as the list names them: their name if the server gives it. */
export function patientName(alert) {
  return alert.patient_name || t('clinician.patient_label', { id: alert.patient_id.slice(0, 8) });
}

/** Who acted: "you", their name, or the start of their id. */
function actorName(id, name) {
  if (id === session().user.id) return t('alerts.you');
  return name || t('alerts.staff_label', { id: id.slice(0, 8) });
}

/** A catalogue word for a value the server names, or the value itself if it is new to the app. */
function word(group, value) {
  const key = `alerts.${group}.${value}`;
  return has(key) ? t(key) : value;
}

function Severity({ severity }) {
  return html`<p class=${`severity severity--${severity}`}>${word('severity', severity)}</p>`;
}

function Done({ label, by, byName, at }) {
  return html`<dt>${label}</dt><dd>${t('alerts.by_when', { who: actorName(by, byName) })} <${When} iso=${at} /></dd>`;
}

function AlertCard({ alert, form, notice, onAcknowledge, onResolve, detail = false }) {
  const name = patientName(alert);
  const titleId = `alert-${alert.id}-title`;
  const actionId = `action-${alert.id}`;
  const forName = html`<span class="visually-hidden"> ${t('alerts.for_patient', { name })}</span>`;
  const clinician = session().user.role === 'clinician';
  const Heading = detail ? 'h2' : 'h3';
  const card = html`
      <article class=${`alert-card alert-card--${alert.severity} alert-card--${alert.state}`} aria-labelledby=${titleId}>
        <${Heading} id=${titleId} tabindex="-1">${detail ? t('alerts.detail_card_title') : name}<//>
        <${Severity} severity=${alert.severity} />
        <dl class="stats">
          <dt>${t('alerts.state_label')}</dt><dd>${word('state', alert.state)}</dd>
          <dt>${t('alerts.concern')}</dt><dd>${alert.categories.length ? alert.categories.map((category) => word('category', category)).join(', ') : '–'}</dd>
          <dt>${t('alerts.source_label')}</dt><dd>${word('source', alert.source)}</dd>
          <dt>${t('alerts.raised')}</dt><dd><${When} iso=${alert.created_at} /></dd>
          <dt>${t('alerts.routed_label')}</dt><dd>${word('routed', alert.routed_to)}</dd>
          ${alert.escalation_level > 0 ? html`<dt>${t('alerts.escalated_label')}</dt><dd>${alert.escalation_level === 1 ? t('alerts.escalated.one') : t('alerts.escalated.other', { count: alert.escalation_level })}</dd>` : null}
          ${alert.acknowledged_at ? html`<${Done} label=${t('alerts.acknowledged')} by=${alert.acknowledged_by} byName=${alert.acknowledged_by_name} at=${alert.acknowledged_at} />` : null}
          ${alert.resolved_at ? html`<${Done} label=${t('alerts.resolved')} by=${alert.resolved_by} byName=${alert.resolved_by_name} at=${alert.resolved_at} />` : null}
          ${alert.resolution ? html`<dt>${t('alerts.action_taken')}</dt><dd class="alert-card__action">${alert.resolution}</dd>` : null}
        </dl>
        ${detail ? html`<${WithheldReply} alert=${alert} />` : html`
          <p><a href=${`/alerts/${encodeURIComponent(alert.id)}`}>${t(alert.source === 'chat_reply_withheld' ? 'alerts.detail_link_withheld' : 'alerts.detail_link', { name })}</a></p>`}
        ${clinician ? html`<p><a href=${`/clinician/patients/${encodeURIComponent(alert.patient_id)}`}>${t('alerts.record_link', { name })}</a></p>` : null}
        <div role="status">${notice ? html`<div class="notice notice--success"><p>${notice}</p></div>` : null}</div>
        ${alert.state === 'open' ? html`
          <p><${Button} type="button" kind="secondary" busy=${form.busy} onClick=${() => onAcknowledge(alert)}>${t('alerts.acknowledge')}${forName}<//></p>` : null}
        ${alert.state !== 'resolved' ? html`
          <form onSubmit=${(event) => onResolve(alert, event)} novalidate>
            <${TextArea} id=${actionId} label=${html`${t('alerts.action_label')}${forName}`} hint=${t('alerts.action_hint')}
              rows="3" maxlength=${ACTION_MAX_CHARS} error=${form.errorFor(actionId)} />
            <${Button} busy=${form.busy}>${t('alerts.resolve')}${forName}<//>
          </form>` : null}
      </article>`;
  return detail ? card : html`<li>${card}</li>`;
}

/**
 * The reply the AI model wrote and screening withheld from the patient: shown
 * only on the alert's own page, marked plainly as the model's words (not the
 * patient's), so the reviewer knows what the patient was not shown.
 */
function WithheldReply({ alert }) {
  if (alert.source !== 'chat_reply_withheld') return null;
  return html`
    <section class="withheld-reply" aria-labelledby="withheld-title">
      <h3 id="withheld-title">${t('alerts.withheld_title')}</h3>
      <p>${t('alerts.withheld_lead', { name: patientName(alert) })}</p>
      ${alert.withheld_reply
        ? html`<blockquote aria-label=${t('alerts.withheld_label')}>${alert.withheld_reply}</blockquote>`
        : html`<p>${t('alerts.withheld_missing')}</p>`}
    </section>`;
}

/** Moves focus to an alert's heading once the list has re-rendered. */
function focusAlert(id) {
  requestAnimationFrame(() => {
    const heading = document.getElementById(`alert-${id}-title`);
    if (heading) heading.focus();
  });
}

/**
 * Acknowledge and resolve, for the list and for one alert's page: each answer
 * goes to `onUpdated`; `onStale` re-reads when someone else moved the alert on.
 */
function useAlertActions({ onUpdated, onStale }) {
  const [notice, setNotice] = useState(null);
  const form = useForm([], { CONFLICT: 'alerts.conflict' });
  /** Runs an action on one alert and puts the alert it answers on screen. */
  const act = (alert, action, noticeKey) => {
    setNotice(null);
    return form.run(async () => {
      let updated;
      try {
        updated = await action();
      } catch (error) {
        // Someone else moved the alert on: show its state now.
        if (error.status === 409) onStale();
        throw error;
      } finally {
        refreshOpenAlerts({ force: true });
      }
      onUpdated(updated);
      setNotice({ id: alert.id, text: t(noticeKey, { name: patientName(alert) }) });
      focusAlert(alert.id);
    });
  };
  const acknowledge = (alert) => act(alert, () => post(`/api/alerts/${encodeURIComponent(alert.id)}/acknowledge`), 'alerts.acknowledged_notice');
  const resolve = (alert, event) => {
    const target = event.currentTarget;
    const action = (formValues(event)[`action-${alert.id}`] || '').trim();
    const field = `action-${alert.id}`;
    if (!action) return form.run(null, [{ field, message: t('alerts.action_missing') }]);
    if (action.length > ACTION_MAX_CHARS) return form.run(null, [{ field, message: t('alerts.action_too_long', { max: '2,000' }) }]);
    return act(alert, async () => {
      const resolved = await post(`/api/alerts/${encodeURIComponent(alert.id)}/resolve`, { action });
      target.reset();
      return resolved;
    }, 'alerts.resolved_notice');
  };
  return { form, notice, setNotice, acknowledge, resolve };
}

export function Alerts() {
  const [offset, setOffset] = useState(0);
  // One row more than a page tells whether there is a next page.
  const data = useData(() => get(`/api/alerts?limit=${PAGE_SIZE + 1}&offset=${offset}`), [offset]);
  const [alerts, setAlerts] = useState(null);
  const count = useOpenAlerts();
  const { form, notice, setNotice, acknowledge, resolve } = useAlertActions({
    onUpdated: (updated) => setAlerts((list) => list.map((item) => (item.id === updated.id ? updated : item))),
    onStale: () => data.reload(),
  });
  useEffect(() => {
    if (data.data) setAlerts(data.data.slice(0, PAGE_SIZE));
  }, [data.data]);
  useEffect(() => {
    refreshOpenAlerts({ force: true });
  }, []);

  const turnPage = (next) => {
    setNotice(null);
    form.setErrors([]);
    setAlerts(null);
    setOffset(next);
    focusHeadingSoon();
  };

  const admin = session().user.role === 'admin';
  const page = Math.floor(offset / PAGE_SIZE) + 1;
  const hasNext = Boolean(data.data && data.data.length > PAGE_SIZE);
  let body;
  if (data.loading || (!alerts && !data.error)) body = html`<${Loading} />`;
  else if (data.error) body = html`<${LoadError} error=${data.error} />`;
  else if (!alerts.length) body = html`<div class="notice"><p>${t(offset ? 'alerts.none_on_page' : 'alerts.none')}</p></div>`;
  else {
    body = html`
      <h2 id="alert-list-title">${t('alerts.list_title', { from: offset + 1, to: offset + alerts.length })}</h2>
      <ol class="alert-list" aria-labelledby="alert-list-title">
        ${alerts.map((alert) => html`<${AlertCard} key=${alert.id} alert=${alert} form=${form}
          notice=${notice && notice.id === alert.id ? notice.text : null} onAcknowledge=${acknowledge} onResolve=${resolve} />`)}
      </ol>`;
  }
  return html`
    <${Page} title=${t('alerts.title')} lead=${t(admin ? 'alerts.lead_admin' : 'alerts.lead_clinician')}>
      ${count && !count.error ? html`<p class="alert-count">${openCountText(count)}</p>` : null}
      <${ErrorSummary} form=${form} />
      ${body}
      ${offset > 0 || hasNext ? html`
        <nav class="pagination" aria-label=${t('alerts.pages_label')}>
          <p>${t('alerts.page', { page })}</p>
          <div class="button-group">
            ${offset > 0 ? html`<${Button} type="button" kind="secondary" onClick=${() => turnPage(Math.max(0, offset - PAGE_SIZE))}>${t('alerts.previous')}<//>` : null}
            ${hasNext ? html`<${Button} type="button" kind="secondary" onClick=${() => turnPage(offset + PAGE_SIZE)}>${t('alerts.next')}<//>` : null}
          </div>
        </nav>` : null}
    <//>`;
}

/** One alert on its own page: what the list shows, and for a withheld AI reply, the reply. */
export function AlertDetail({ params }) {
  const path = `/api/alerts/${encodeURIComponent(params.id)}`;
  const data = useData(() => get(path), [params.id]);
  const [alert, setAlert] = useState(null);
  useEffect(() => {
    if (data.data) setAlert(data.data);
  }, [data.data]);
  // An action answers the alert without the withheld reply; keep the reply on screen.
  const { form, notice, acknowledge, resolve } = useAlertActions({
    onUpdated: (updated) => setAlert((current) => ({ ...updated, withheld_reply: current && current.withheld_reply })),
    onStale: () => data.reload(),
  });
  let body;
  if (data.error) body = html`<${LoadError} error=${data.error} />`;
  else if (!alert) body = html`<${Loading} />`;
  else {
    body = html`
      <${ErrorSummary} form=${form} />
      <${AlertCard} alert=${alert} form=${form} detail=${true} notice=${notice && notice.id === alert.id ? notice.text : null}
        onAcknowledge=${acknowledge} onResolve=${resolve} />`;
  }
  return html`
    <${Page} title=${alert ? t('alerts.detail_title', { name: patientName(alert) }) : t('alerts.detail_title_loading')}>
      <p><a href="/alerts">${t('alerts.back')}</a></p>
      ${body}
    <//>`;
}

function openCountText(count) {
  if (count.open === 0) return t('alerts.open_none');
  if (count.more) return t('alerts.open_more', { count: count.open });
  return t(count.open === 1 ? 'alerts.open_one' : 'alerts.open_many', { count: count.open });
}

/** The clinician's home: open alerts at the top, with a link to the Alerts screen. */
export function OpenAlertsSummary() {
  const count = useOpenAlerts();
  useEffect(() => {
    refreshOpenAlerts({ force: true });
  }, []);
  if (!count) return null;
  if (count.error) {
    return html`
      <section class="notice" aria-labelledby="open-alerts-title">
        <h2 id="open-alerts-title">${t('alerts.summary_title')}</h2>
        <p>${t('alerts.summary_error')} ${count.error.message}</p>
        <p><a href="/alerts">${t('alerts.summary_link')}</a></p>
      </section>`;
  }
  if (!count.open) return null;
  return html`
    <section class=${`alert-summary alert-summary--${count.highest}`} aria-labelledby="open-alerts-title">
      <h2 id="open-alerts-title">${t('alerts.summary_title')}</h2>
      <p>${openCountText(count)} ${t('alerts.summary_highest', { severity: word('severity_in_text', count.highest) })}</p>
      <p><a href="/alerts">${t('alerts.summary_link')}</a></p>
    </section>`;
}
