// Pieces the community screens and the moderation screens share: who wrote an
// item (only the name they chose, and whether they are a clinician), what
// state it is in, in words, and the fixed list of reasons for a report or a
// moderator's decision.
import { html } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { word } from '../words.js';
import { When } from './time.js';

/** Why an item was reported or moderated: the server's fixed list (CommunityReason). */
export const REASONS = ['harmful', 'unkind', 'personal_information', 'spam', 'off_topic', 'other'];

/** The reasons as radio options. */
export function reasonOptions() {
  return REASONS.map((reason) => ({ value: reason, label: word('community.reason', reason) }));
}

/** A post or a comment: the word for the item in a sentence. */
export function kindOf(item) {
  return item.parent_id ? t('community.kind_comment') : t('community.kind_post');
}

/** The name others see: the author's chosen name, or "you" for one's own. */
export function authorName(item) {
  return item.mine ? t('community.you') : item.author.pseudonym;
}

/** "Robin (clinician), 5 minutes ago (Sunday, …)". */
export function Byline({ item }) {
  return html`
    <p class="community-item__by">
      <strong>${authorName(item)}</strong>
      ${item.author.clinician ? html` <span class="chat-tag">${t('community.clinician_tag')}</span>` : null}
      <span class="muted"> · <${When} iso=${item.posted_at} /></span>
    </p>`;
}

/**
 * What state an item is in, said to whoever sees it: nothing for a published
 * item; for a held, hidden or removed one, who can see it and why.
 */
export function ItemStatus({ item }) {
  if (item.status === 'published') return null;
  const reason = item.moderation_reason ? word('community.reason', item.moderation_reason) : null;
  let text;
  if (item.status === 'held') text = item.mine ? t('community.status_held_mine') : t('community.status_held_other');
  else if (item.status === 'hidden') text = item.mine ? t('community.status_hidden_mine') : t('community.status_hidden_other');
  else if (item.status === 'removed') text = item.mine ? t('community.status_removed_mine') : t('community.status_removed_other');
  else text = item.status;
  return html`
    <div class="community-status">
      <p><strong>${word('community.status', item.status)}</strong>: ${text}</p>
      ${reason ? html`<p>${t('community.status_reason', { reason })}</p>` : null}
    </div>`;
}

/** The item's words, kept as written (line breaks too); none once removed (its status says so). */
export function ItemBody({ item }) {
  if (item.body === null || item.body === undefined) return null;
  return html`<p class="community-item__body">${item.body}</p>`;
}
