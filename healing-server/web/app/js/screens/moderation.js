// Moderation of the community, for clinicians and administrators: the queue of
// what waits for a moderator (items screening held, items members reported),
// oldest first, each with why it is there; and one item's page with its open
// reports, where it is approved, hidden or removed after a confirmation that
// says what the decision does. A moderator sees only what the server gives:
// the name the author chose and whether they are a clinician, never who they are.
import { html, useState, useRef } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, post } from '../api.js';
import { navigate } from '../router.js';
import { word } from '../words.js';
import { Page, Loading, LoadError, focusHeadingSoon } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, Radios, Button, formValues, required } from '../components/forms.js';
import { When } from '../components/time.js';
import { Byline, ItemStatus, ItemBody, kindOf, reasonOptions } from '../components/community.js';

const PAGE = 20;
// Which decisions are open from each state (healing_store::moderate).
const ACTIONS = {
  held: ['approve', 'hide', 'remove'],
  published: ['approve', 'hide', 'remove'],
  hidden: ['approve', 'remove'],
  removed: [],
};

// Said once on the queue after a decision (the queue is a new screen).
let flash = null;

/** The channels by id, archived ones too, to name where an item was written. */
async function channelNames() {
  const list = await get('/api/community/channels?include_archived=true');
  return new Map(list.channels.map((channel) => [channel.id, channel.name]));
}

/** "A post by Robin in Sleep", or "A comment by …". */
function itemTitle(item, channels) {
  const channel = channels.get(item.channel_id) || t('moderation.unknown_channel');
  return t(item.parent_id ? 'moderation.comment_in' : 'moderation.post_in', { name: item.author.pseudonym, channel });
}

/** Why an item is in the queue: held by screening (at what level), reported (by how many). */
function Why({ item }) {
  const reasons = [];
  if (item.status === 'held') {
    reasons.push(item.risk_level
      ? html`${t('moderation.why_held_level')} <span class=${`severity severity--${item.risk_level}`}>${word('moderation.level', item.risk_level)}</span>. ${t('moderation.why_held_who')}`
      : html`${t('moderation.why_held')} ${t('moderation.why_held_who')}`);
  }
  if (item.open_reports) {
    reasons.push(item.open_reports === 1 ? t('moderation.why_reported_one') : t('moderation.why_reported_many', { count: item.open_reports }));
  }
  if (!reasons.length) reasons.push(t('moderation.why_other'));
  return html`
    <div class="moderation-why">
      <p><strong>${t('moderation.why_title')}</strong></p>
      <ul>${reasons.map((reason) => html`<li>${reason}</li>`)}</ul>
    </div>`;
}

/** The state in words, but for a held item, which "why it is here" has said already. */
function Status({ item }) {
  return item.status === 'held' ? null : html`<${ItemStatus} item=${item} />`;
}

/** /moderation: the queue, a page at a time. */
export function Moderation() {
  const [offset, setOffset] = useState(0);
  const data = useData(async () => {
    const [queue, channels] = await Promise.all([get(`/api/community/moderation?limit=${PAGE}&offset=${offset}`), channelNames()]);
    return { items: queue.items, channels };
  }, [offset]);
  const [said] = useState(() => {
    const text = flash;
    flash = null;
    return text;
  });
  const turnPage = (next) => {
    setOffset(next);
    focusHeadingSoon();
  };
  let body;
  if (data.loading) body = html`<${Loading} />`;
  else if (data.error) body = html`<${LoadError} error=${data.error} />`;
  else {
    const { items, channels } = data.data;
    body = html`
      ${items.length ? html`
        <ol class="community-list" aria-label=${t('moderation.list_label')} start=${offset + 1}>
          ${items.map((item) => {
            const titleId = `queue-${item.id}-title`;
            return html`
              <li key=${item.id}>
                <article class=${`community-item community-item--${item.status}`} aria-labelledby=${titleId}>
                  <h2 id=${titleId} class="community-item__title">${itemTitle(item, channels)}</h2>
                  <${Byline} item=${item} />
                  <${Why} item=${item} />
                  <${Status} item=${item} />
                  <${ItemBody} item=${item} />
                  <p><a class="button button--secondary" href=${`/moderation/${encodeURIComponent(item.id)}`}>${t('moderation.review')}<span class="visually-hidden"> ${itemTitle(item, channels)}</span></a></p>
                </article>
              </li>`;
          })}
        </ol>` : html`<p>${t(offset ? 'moderation.none_on_page' : 'moderation.none')}</p>`}
      ${offset > 0 || items.length === PAGE ? html`
        <nav class="pagination" aria-label=${t('moderation.pages_label')}>
          <div class="button-group">
            ${offset > 0 ? html`<${Button} type="button" kind="secondary" onClick=${() => turnPage(Math.max(0, offset - PAGE))}>${t('moderation.previous')}<//>` : null}
            ${items.length === PAGE ? html`<${Button} type="button" kind="secondary" onClick=${() => turnPage(offset + PAGE)}>${t('moderation.next')}<//>` : null}
          </div>
        </nav>` : null}`;
  }
  return html`
    <${Page} title=${t('moderation.title')} lead=${t('moderation.lead')}>
      <div role="status">${said ? html`<div class="notice notice--success"><p>${said}</p></div>` : null}</div>
      ${body}
    <//>`;
}

/** What each decision does, said before it is made. */
function decisionLead(action, item) {
  const what = kindOf(item);
  if (action === 'approve') return t(item.status === 'published' ? 'moderation.approve_lead_published' : 'moderation.approve_lead', { what });
  if (action === 'hide') return t('moderation.hide_lead', { what });
  return t('moderation.remove_lead', { what });
}

/** The confirmation of one decision; hiding and removing need a reason the author is shown. */
function DecisionForm({ item, action, dialog, onDone }) {
  const form = useForm([{ id: 'decision_reason', server: ['reason'] }], { CONFLICT: 'moderation.conflict', NOT_FOUND: 'moderation.gone' });
  const what = kindOf(item);
  const needsReason = action !== 'approve';
  const submit = (event) => {
    const values = formValues(event);
    form.run(async () => {
      const body = needsReason ? { action, reason: values.decision_reason } : { action };
      const done = await post(`/api/community/moderation/${encodeURIComponent(item.id)}`, body);
      dialog.current.close();
      onDone(action, done);
    }, needsReason ? required(values, [['decision_reason', 'moderation.reason_missing']]) : []);
  };
  return html`
    <h2 id="decision-title">${t(`moderation.${action}_title`, { what })}</h2>
    <p id="decision-lead">${decisionLead(action, item)}</p>
    <${ErrorSummary} form=${form} id="decision-errors" />
    <form onSubmit=${submit} novalidate>
      ${needsReason ? html`<${Radios} id="decision_reason" legend=${t('moderation.reason_legend')} hint=${t('moderation.reason_hint')}
        options=${reasonOptions()} error=${form.errorFor('decision_reason')} />` : null}
      <div class="button-group">
        <${Button} busy=${form.busy} kind=${action === 'remove' ? 'warning' : ''}>${t(`moderation.${action}_confirm`, { what })}<//>
        <${Button} type="button" kind="secondary" onClick=${() => dialog.current.close()}>${t('moderation.cancel')}<//>
      </div>
    </form>`;
}

/** The decision in words, for the queue to say. */
function result(action, done, item) {
  const what = kindOf(item);
  const name = item.author.pseudonym;
  if (action === 'approve') return t('moderation.approved', { what, name });
  const reason = word('community.reason', done.moderation_reason || '');
  return t(action === 'hide' ? 'moderation.hidden' : 'moderation.removed', { what, name, reason });
}

/** /moderation/:id: one item, why it is here, its reports, and the decision. */
export function ModerationItem({ params }) {
  const id = params.id;
  const data = useData(async () => {
    const [page, channels] = await Promise.all([get(`/api/community/posts/${encodeURIComponent(id)}`), channelNames()]);
    // For a comment, the post it answers, to read it in context.
    const parent = page.post.parent_id
      ? await get(`/api/community/posts/${encodeURIComponent(page.post.parent_id)}?limit=1`).then((answer) => answer.post, () => null)
      : null;
    return { ...page, channels, parent };
  }, [id]);
  const dialog = useRef(null);
  const opener = useRef(null);
  const [action, setAction] = useState(null);
  const open = (chosen) => (event) => {
    opener.current = event.currentTarget;
    setAction(chosen);
    requestAnimationFrame(() => dialog.current.showModal());
  };
  const closed = () => {
    if (dialog.current && dialog.current.open) return;
    setAction(null);
    if (opener.current && opener.current.isConnected) opener.current.focus();
  };
  const done = (chosen, answer) => {
    opener.current = null;
    flash = result(chosen, answer, data.data.post);
    navigate('/moderation');
  };
  const loadingTitle = t('moderation.item_loading');
  if (data.loading && !data.data) return html`<${Page} title=${loadingTitle}><${Loading} /><//>`;
  if (data.error) {
    return html`<${Page} title=${loadingTitle}><${LoadError} error=${data.error} /><p><a href="/moderation">${t('moderation.back')}</a></p><//>`;
  }
  const { post: item, reports, channels, parent } = data.data;
  const actions = ACTIONS[item.status] || [];
  const threadId = item.parent_id || item.id;
  return html`
    <${Page} title=${itemTitle(item, channels)}>
      <p><a href="/moderation">${t('moderation.back')}</a></p>
      <div class="measure">
        <article class=${`community-item community-item--${item.status}`} aria-labelledby="moderation-item-title">
          <h2 id="moderation-item-title" class="community-item__title">${t('moderation.item_words', { what: kindOf(item) })}</h2>
          <${Byline} item=${item} />
          <${Why} item=${item} />
          <${Status} item=${item} />
          <${ItemBody} item=${item} />
        </article>
        ${parent ? html`
          <details>
            <summary>${t('moderation.parent_title', { name: parent.author.pseudonym })}</summary>
            <${Byline} item=${parent} />
            <${ItemBody} item=${parent} />
          </details>` : null}
        <p><a href=${`/community/posts/${encodeURIComponent(threadId)}`}>${t('moderation.thread_link')}</a></p>
        <section aria-labelledby="moderation-reports">
          <h2 id="moderation-reports">${t('moderation.reports_title')}</h2>
          ${reports && reports.length ? html`
            <ul class="report-list">
              ${reports.map((report) => html`
                <li>
                  <p><strong>${word('community.reason', report.reason)}</strong> <span class="muted">· <${When} iso=${report.at} /></span></p>
                  ${report.note ? html`<p class="report-note">${report.note}</p>` : html`<p class="muted">${t('moderation.report_no_note')}</p>`}
                </li>`)}
            </ul>` : html`<p>${t('moderation.reports_none')}</p>`}
        </section>
        <section aria-labelledby="moderation-decide">
          <h2 id="moderation-decide">${t('moderation.decide_title')}</h2>
          ${actions.length ? html`
            <div class="button-group">
              ${actions.map((chosen) => html`
                <${Button} type="button" kind=${chosen === 'remove' ? 'warning' : 'secondary'} onClick=${open(chosen)}>${t(`moderation.${chosen}${chosen === 'approve' && item.status === 'published' ? '_keep' : ''}`)}<//>`)}
            </div>` : html`<p>${t('moderation.nothing_more')}</p>`}
        </section>
      </div>
      <dialog ref=${dialog} class="dialog" aria-labelledby="decision-title" aria-describedby="decision-lead" onClose=${closed}>
        ${action ? html`<${DecisionForm} key=${action} item=${item} action=${action} dialog=${dialog} onDone=${done} />` : null}
      </dialog>
    <//>`;
}
