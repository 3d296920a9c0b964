// The community: channels on topics an administrator sets, where patients and
// clinicians write posts and comments under a name they choose (never their
// username). The first visit asks for that name and says why. A channel shows
// its posts, newest first, a page at a time, with a box to write one; a post
// shows its comments, oldest first, with reactions, a report to the moderators
// (a reason from a fixed list, confirmed) and muting or blocking its author.
// Everything written is screened: at medium its author is pointed to support;
// at high or critical it is held for a moderator (not visible to others yet),
// the crisis view takes over, and it says so. Administrators read here but do
// not write.
import { html, useState, useEffect, useRef } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, put, post, reportSafety } from '../api.js';
import { navigate } from '../router.js';
import { session } from '../session.js';
import { word } from '../words.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, TextField, TextArea, Radios, Button, formValues, required } from '../components/forms.js';
import { Byline, ItemStatus, ItemBody, kindOf, authorName, reasonOptions } from '../components/community.js';

// The server's limits (routes/community.rs and accounts.rs).
const POST_MAX_CHARS = 5000;
const REPORT_NOTE_MAX_CHARS = 1000;
const NAME_MIN_CHARS = 3;
const NAME_MAX_CHARS = 30;
// Posts of a channel, and comments of a post, read at a time.
const PAGE = 20;
// How much of a post the channel's list shows before "Read more".
const EXCERPT_CHARS = 280;
const REACTIONS = ['heart', 'hug', 'thanks'];
// Wording that fits a community form better than the general one.
const WRITE_ERRORS = {
  PSEUDONYM_REQUIRED: 'community.name_required',
  RATE_LIMITED: 'community.rate_limited',
  COMMUNITY_REFUSED: 'community.comment_refused',
  CONFLICT: 'community.write_conflict',
  NOT_FOUND: 'community.gone',
};

// Said once on the next screen (a name changed).
let flash = null;
// A mute or block of a post's own author, for the channel page to say (with its undo).
let pendingApart = null;

/** Patients and clinicians take part; administrators read and manage. */
const takesPart = () => ['patient', 'clinician'].includes(session().user.role);
/** Clinicians and administrators moderate. */
const moderates = () => ['clinician', 'admin'].includes(session().user.role);

function useFlash() {
  const [said] = useState(() => {
    const value = flash;
    flash = null;
    return value;
  });
  return said;
}

/** Moves focus to the element with `id` once it is drawn. */
function focusSoon(id) {
  requestAnimationFrame(() => requestAnimationFrame(() => {
    const element = document.getElementById(id);
    if (element) element.focus();
  }));
}

/** The caller's community profile: `{member}`, null until a name is chosen (none for an admin). */
function loadMember() {
  return takesPart() ? get('/api/community/me').then((profile) => profile.member) : Promise.resolve(null);
}

/**
 * Merges lists of items into one without repeats, newest first (`newest`) or
 * oldest first. Items written in the same second keep the order they were
 * given in, so a list is drawn the same way each time.
 */
function merge(newest, ...lists) {
  const byId = new Map();
  for (const list of lists) for (const item of list) byId.set(item.id, item);
  const order = newest ? -1 : 1;
  return [...byId.values()].sort((a, b) => order * (Date.parse(a.posted_at) - Date.parse(b.posted_at)));
}

/** A name check before asking the server, in the same words as its rules. */
function nameProblems(value) {
  const name = String(value || '').split(/\s+/).filter(Boolean).join(' ');
  const length = [...name].length;
  let key = null;
  if (!length) key = 'community.name_missing';
  else if (length < NAME_MIN_CHARS || length > NAME_MAX_CHARS) key = 'community.name_length';
  else if (!/^[\p{L}\p{N} ._'-]+$/u.test(name)) key = 'community.name_characters';
  else if (name.toLowerCase() === session().user.username.toLowerCase()) key = 'community.name_username';
  return key ? [{ field: 'pseudonym', message: t(key) }] : [];
}

/** Choose or change the name others see. */
function NameForm({ member, onSaved }) {
  const form = useForm([{ id: 'pseudonym', server: ['pseudonym'] }], {
    PSEUDONYM_REFUSED: 'community.name_refused',
    CONFLICT: 'community.name_taken',
  });
  // What was typed last: the field keeps it when the name is refused.
  const [typed, setTyped] = useState(member ? member.pseudonym : undefined);
  const submit = (event) => {
    const values = formValues(event);
    setTyped(values.pseudonym);
    form.run(async () => {
      const saved = await put('/api/community/me', { pseudonym: values.pseudonym });
      onSaved(saved);
    }, nameProblems(values.pseudonym));
  };
  return html`
    <div class="measure">
      <${ErrorSummary} form=${form} id="name-errors" />
      <form onSubmit=${submit} novalidate>
        <${TextField} id="pseudonym" label=${t('community.name_label')} hint=${t('community.name_hint')}
          value=${typed} maxlength=${NAME_MAX_CHARS} autocomplete="off" spellcheck="false"
          error=${form.errorFor('pseudonym')} />
        <${Button} busy=${form.busy}>${t(member ? 'community.name_change_save' : 'community.name_save')}<//>
      </form>
    </div>`;
}

/** How the community works, in short: who sees what, screening, not watched all day. */
function HowItWorks({ open = false }) {
  return html`
    <details class="measure" open=${open}>
      <summary>${t('community.how_title')}</summary>
      <ul>
        <li>${t('community.how_name')}</li>
        <li>${t('community.how_kind')}</li>
        <li>${session().user.role === 'patient' ? t('community.how_screened') : t('community.how_screened_staff')}</li>
        <li>${t('community.how_report')}</li>
        <li>${t('community.how_not_monitored')}</li>
      </ul>
    </details>`;
}

/** Not watched around the clock: where to go for help now. */
function NotMonitored() {
  return html`
    <div class="notice measure">
      <p>${t('community.not_monitored')}</p>
      <p><a href="/crisis">${t('community.crisis_link')}</a></p>
    </div>`;
}

function Flash({ said, id = 'community-notice' }) {
  return html`<div role="status">${said ? html`<div class="notice notice--success" id=${id} tabindex="-1"><p>${said}</p></div>` : null}</div>`;
}

/** /community: the name on a first visit, then the channels. */
export function Community() {
  const data = useData(async () => {
    const [member, list] = await Promise.all([loadMember(), get('/api/community/channels')]);
    return { member, channels: list.channels };
  });
  const flashed = useFlash();
  const [said, setSaid] = useState(flashed);
  const chosen = (member) => {
    setSaid(t('community.name_chosen', { name: member.pseudonym }));
    data.reload();
    focusSoon('community-notice');
  };
  const title = t('community.title');
  if (data.loading && !data.data) return html`<${Page} title=${title}><${Loading} /><//>`;
  if (data.error) return html`<${Page} title=${title}><${LoadError} error=${data.error} /><//>`;
  const { member, channels } = data.data;
  if (takesPart() && !member) {
    return html`
      <${Page} title=${title} lead=${t('community.lead')}>
        <section aria-labelledby="community-name-title" class="measure">
          <h2 id="community-name-title">${t('community.name_title')}</h2>
          <p>${t('community.name_why')}</p>
          <p>${t('community.name_advice')}</p>
          <${NameForm} member=${null} onSaved=${chosen} />
        </section>
        <${HowItWorks} open=${true} />
        <${NotMonitored} />
      <//>`;
  }
  return html`
    <${Page} title=${title} lead=${t('community.lead')}>
      <${Flash} said=${said} />
      ${member ? html`
        <p>${t('community.you_are', { name: member.pseudonym })} <a href="/community/name">${t('community.name_change_link')}</a></p>` : null}
      ${session().user.role === 'admin' ? html`<p>${t('community.admin_reads')} <a href="/admin/channels">${t('community.admin_manage_link')}</a></p>` : null}
      <${HowItWorks} />
      <h2>${t('community.channels_title')}</h2>
      ${channels.length ? html`
        <ul class="channel-list">
          ${channels.map((channel) => html`
            <li key=${channel.id}>
              <h3><a href=${`/community/channels/${encodeURIComponent(channel.id)}`}>${channel.name}</a></h3>
              ${channel.description ? html`<p>${channel.description}</p>` : null}
            </li>`)}
        </ul>` : html`<p>${t('community.channels_none')}</p>`}
      ${takesPart() ? html`<${NotMonitored} />` : null}
    <//>`;
}

/** /community/name: change the name others see. */
export function CommunityName() {
  const data = useData(loadMember);
  const saved = (member) => {
    flash = t('community.name_changed', { name: member.pseudonym });
    navigate('/community');
  };
  const title = t('community.name_change_title');
  return html`
    <${Page} title=${title}>
      <p><a href="/community">${t('community.back_to_channels')}</a></p>
      ${data.loading ? html`<${Loading} />` : data.error ? html`<${LoadError} error=${data.error} />` : html`
        <p class="measure">${t('community.name_why')}</p>
        <p class="measure">${t('community.name_change_lead')}</p>
        <${NameForm} member=${data.data} onSaved=${saved} />`}
    <//>`;
}

/** What the author is told after writing: held, pointed to support, or published. */
function Outcome({ written }) {
  if (!written) return null;
  const what = kindOf(written.item);
  if (written.held) {
    return html`
      <div class="notice measure" id="community-outcome" tabindex="-1">
        <p><strong>${t('community.held_title', { what })}</strong></p>
        <p>${session().user.role === 'patient' ? t('community.held_body') : t('community.held_body_clinician')}</p>
        <p><a href="/crisis">${t('community.crisis_link')}</a></p>
      </div>`;
  }
  const safety = written.safety;
  if (safety && safety.level === 'medium' && safety.signpost) {
    return html`
      <div class="notice measure" id="community-outcome" tabindex="-1">
        <p>${t('community.published', { what })}</p>
        <p>${safety.signpost}</p>
        <p><a href="/crisis">${t('community.crisis_link')}</a></p>
      </div>`;
  }
  return html`<div class="notice notice--success measure" id="community-outcome" tabindex="-1"><p>${t('community.published', { what })}</p></div>`;
}

/**
 * Sends a post or comment: the crisis view is brought up once the item is on
 * screen, and when the item is held it says that others cannot see it yet.
 */
async function write(path, body) {
  const written = await post(path, { body }, { crisis: false });
  return {
    written,
    announce: () => reportSafety(written.safety && {
      ...written.safety,
      note: written.held ? t('community.held_takeover', { what: kindOf(written.item) }) : null,
    }),
  };
}

/** Why the caller cannot write here, or null when they can. */
function cannotWrite({ member, archived, what }) {
  if (!takesPart()) return html`<p class="measure">${t('community.admin_no_write')}</p>`;
  if (archived) return html`<p class="measure">${t('community.archived')}</p>`;
  if (!member) return html`<p class="measure">${t(what === 'comment' ? 'community.name_first_comment' : 'community.name_first_post')} <a href="/community">${t('community.name_first_link')}</a></p>`;
  return null;
}

/** "3 replies · Heart 2, Hug 1"; `reactionsOnly` leaves out the replies. */
function Counts({ item, reactionsOnly = false }) {
  const parts = [];
  if (!reactionsOnly && !item.parent_id) parts.push(item.comments === 0 ? t('community.comments_zero') : item.comments === 1 ? t('community.comments_one') : t('community.comments_many', { count: item.comments }));
  const given = item.reactions.filter((reaction) => reaction.count > 0);
  if (given.length) parts.push(given.map((reaction) => `${word('community.reaction', reaction.kind)} ${reaction.count}`).join(', '));
  return parts.length ? html`<p class="muted">${parts.join(' · ')}</p>` : null;
}

/** One post in a channel's list: who, when, the start of its words, how to open it. */
function PostSummary({ item }) {
  const words = item.body === null || item.body === undefined ? null : [...item.body];
  const long = words && words.length > EXCERPT_CHARS;
  const shown = long ? { ...item, body: `${words.slice(0, EXCERPT_CHARS).join('').trimEnd()}…` } : item;
  const titleId = `post-${item.id}-title`;
  return html`
    <li>
      <article class=${`community-item community-item--${item.status}`} aria-labelledby=${titleId}>
        <h3 id=${titleId}><a href=${`/community/posts/${encodeURIComponent(item.id)}`}>${item.mine ? t('community.your_post') : t('community.post_by', { name: item.author.pseudonym })}</a></h3>
        <${Byline} item=${item} />
        <${ItemStatus} item=${item} />
        <${ItemBody} item=${shown} />
        ${long ? html`<p><a href=${`/community/posts/${encodeURIComponent(item.id)}`}>${t('community.read_more')}<span class="visually-hidden"> ${t('community.of_post_by', { name: authorName(item) })}</span></a></p>` : null}
        <${Counts} item=${item} />
      </article>
    </li>`;
}

/** /community/channels/:id: the channel's posts, newest first, and a box to write one. */
export function Channel({ params }) {
  const id = params.id;
  const path = `/api/community/channels/${encodeURIComponent(id)}/posts`;
  const first = useData(async () => {
    const [page, member] = await Promise.all([get(`${path}?limit=${PAGE}`), loadMember()]);
    return { ...page, member };
  }, [id]);
  const [posts, setPosts] = useState([]);
  const [read, setRead] = useState(0);
  const [more, setMore] = useState(false);
  const [older, setOlder] = useState({ busy: false, error: null });
  const [written, setWritten] = useState(null);
  const [said, setSaid] = useState(null);
  const [apart, setApart] = useState(() => {
    const set = pendingApart;
    pendingApart = null;
    return set;
  });
  const form = useForm([{ id: 'post_body', server: ['body'] }], WRITE_ERRORS);
  useEffect(() => {
    if (!first.data) return;
    setPosts(merge(true, first.data.posts));
    setRead(first.data.posts.length);
    setMore(first.data.posts.length === PAGE);
  }, [first.data]);
  useEffect(() => {
    if (apart) focusSoon('set-apart-notice');
  }, []);
  const undone = (restored) => {
    setApart(null);
    setSaid(t('community.restored', { name: restored.pseudonym }));
    first.reload();
    focusSoon('community-notice');
  };
  const loadOlder = async () => {
    setOlder({ busy: true, error: null });
    try {
      const page = await get(`${path}?limit=${PAGE}&offset=${read}`);
      setPosts((current) => merge(true, current, page.posts));
      setRead((count) => count + page.posts.length);
      setMore(page.posts.length === PAGE);
      setOlder({ busy: false, error: null });
    } catch (error) {
      setOlder({ busy: false, error });
    }
  };
  const submit = (event) => {
    const target = event.currentTarget;
    const values = formValues(event);
    form.run(async () => {
      setWritten(null);
      const { written: answer, announce } = await write(path, values.post_body);
      // Stored: clear the box only now, so a failure loses nothing.
      target.reset();
      setPosts((current) => merge(true, [answer.item], current));
      setWritten(answer);
      // The crisis view, when it takes over, has focus; otherwise the outcome does.
      if (!(answer.safety && answer.safety.show_crisis_resources)) focusSoon('community-outcome');
      announce();
    }, required(values, [['post_body', 'community.post_missing']]));
  };
  if (first.loading && !first.data) return html`<${Page} title=${t('community.channel_loading')}><${Loading} /><//>`;
  if (first.error) {
    return html`<${Page} title=${t('community.channel_loading')}><${LoadError} error=${first.error} /><p><a href="/community">${t('community.back_to_channels')}</a></p><//>`;
  }
  const { channel, member } = first.data;
  const blocked = cannotWrite({ member, archived: channel.archived, what: 'post' });
  return html`
    <${Page} title=${channel.name} lead=${channel.description || undefined}>
      <p><a href="/community">${t('community.back_to_channels')}</a></p>
      <${Flash} said=${said} />
      <${SetApartNotice} set=${apart} onUndone=${undone} />
      ${channel.archived ? html`<p class="notice measure">${t('community.archived')}</p>` : null}
      ${channel.archived ? null : html`
        <section aria-labelledby="channel-write" class="measure">
          <h2 id="channel-write">${t('community.write_post_title')}</h2>
          ${blocked || html`
            <${ErrorSummary} form=${form} id="post-errors" />
            <form onSubmit=${submit} novalidate>
              <${TextArea} id="post_body" label=${t('community.post_label')} hint=${t('community.post_hint', { name: member.pseudonym })}
                rows="5" maxlength=${POST_MAX_CHARS} error=${form.errorFor('post_body')} />
              <${Button} busy=${form.busy}>${t('community.post_send')}<//>
            </form>`}
          <div role="status"><${Outcome} written=${written} /></div>
        </section>`}
      <section aria-labelledby="channel-posts">
        <h2 id="channel-posts">${t('community.posts_title')}</h2>
        ${posts.length ? html`
          <ul class="community-list" aria-label=${t('community.posts_label')}>
            ${posts.map((item) => html`<${PostSummary} key=${item.id} item=${item} />`)}
          </ul>` : html`<p>${t('community.posts_none')}</p>`}
        ${older.error ? html`<${LoadError} error=${older.error} />` : null}
        ${more ? html`<p><${Button} type="button" kind="secondary" busy=${older.busy} onClick=${loadOlder}>${t('community.posts_older')}<//></p>` : null}
      </section>
    <//>`;
}

/** Heart, hug, thanks: each a toggle with its count; only the counts on one's own items and where the caller cannot react. */
function Reactions({ item, canReact, onChanged }) {
  const form = useForm([]);
  const counts = REACTIONS.map((kind) => {
    const found = item.reactions.find((reaction) => reaction.kind === kind);
    return { kind, count: found ? found.count : 0, mine: found ? found.mine : false };
  });
  if (!canReact) return html`<${Counts} item=${item} reactionsOnly=${true} />`;
  // The button stays enabled while the answer comes, so it keeps keyboard focus; a second press waits.
  const react = (kind) => {
    if (form.busy) return;
    form.run(async () => {
      onChanged(await post(`/api/community/posts/${encodeURIComponent(item.id)}/reactions`, { kind }));
    });
  };
  return html`
    <${ErrorSummary} form=${form} id=${`react-${item.id}-errors`} />
    <div class="reactions" role="group" aria-label=${t('community.reactions_label', { what: kindOf(item), name: authorName(item) })}>
      ${counts.map((reaction) => html`
        <button type="button" class="button button--secondary button--small reaction" aria-pressed=${reaction.mine ? 'true' : 'false'}
          aria-disabled=${form.busy ? 'true' : undefined} onClick=${() => react(reaction.kind)}>
          ${word('community.reaction', reaction.kind)} <span class="reaction__count">${reaction.count}</span>
        </button>`)}
    </div>`;
}

/** A post or comment on the post page, with what the caller may do to it. */
function Item({ item, member, heading = 'h2', onChanged, onReport, onSetApart }) {
  const titleId = `item-${item.id}-title`;
  const Heading = heading;
  const others = !item.mine && member && takesPart();
  const name = authorName(item);
  const forItem = html`<span class="visually-hidden"> ${t('community.of_item', { what: kindOf(item), name })}</span>`;
  return html`
    <article class=${`community-item community-item--${item.status}`} aria-labelledby=${titleId}>
      <${Heading} id=${titleId} class="community-item__title" tabindex="-1">${item.mine
        ? t(item.parent_id ? 'community.your_comment' : 'community.your_post')
        : t(item.parent_id ? 'community.comment_by' : 'community.post_by', { name })}<//>
      <${Byline} item=${item} />
      <${ItemStatus} item=${item} />
      <${ItemBody} item=${item} />
      ${moderates() && (item.status !== 'published' || item.open_reports) ? html`
        <p>${item.open_reports ? `${item.open_reports === 1 ? t('community.reports_one') : t('community.reports_many', { count: item.open_reports })} ` : ''}<a href=${`/moderation/${encodeURIComponent(item.id)}`}>${t('community.review_link')}${forItem}</a></p>` : null}
      <${Reactions} item=${item} canReact=${Boolean(others) && item.status === 'published'} onChanged=${onChanged} />
      ${others && item.status === 'published' ? html`
        <div class="button-group community-item__actions">
          <${Button} type="button" kind="secondary" onClick=${(event) => onReport(item, event)}>${t('community.report')}${forItem}<//>
          <${Button} type="button" kind="secondary" onClick=${(event) => onSetApart(item, event)}>${t('community.set_apart', { name })}<//>
        </div>` : null}
    </article>`;
}

/** Report an item: a reason from the list, anything to add, then send. */
function ReportForm({ item, dialog, onDone }) {
  const form = useForm([{ id: 'report_reason', server: ['reason'] }, { id: 'report_note', server: ['note'] }], {
    CONFLICT: 'community.report_conflict',
    UNPROCESSABLE: 'community.report_own',
    NOT_FOUND: 'community.gone',
  });
  const what = kindOf(item);
  const submit = (event) => {
    const values = formValues(event);
    form.run(async () => {
      const note = values.report_note && values.report_note.trim() ? values.report_note : undefined;
      await post(`/api/community/posts/${encodeURIComponent(item.id)}/reports`, { reason: values.report_reason, note });
      dialog.current.close();
      onDone(t('community.reported', { what, name: authorName(item) }));
    }, required(values, [['report_reason', 'community.report_reason_missing']]));
  };
  return html`
    <h2 id="report-title">${t('community.report_title', { what })}</h2>
    <p id="report-lead">${t('community.report_lead')}</p>
    <${ErrorSummary} form=${form} id="report-errors" />
    <form onSubmit=${submit} novalidate>
      <${Radios} id="report_reason" legend=${t('community.report_reason')} options=${reasonOptions()} error=${form.errorFor('report_reason')} />
      <${TextArea} id="report_note" label=${t('community.report_note')} hint=${t('community.report_note_hint')} rows="3"
        maxlength=${REPORT_NOTE_MAX_CHARS} error=${form.errorFor('report_note')} />
      <div class="button-group">
        <${Button} busy=${form.busy}>${t('community.report_send')}<//>
        <${Button} type="button" kind="secondary" onClick=${() => dialog.current.close()}>${t('community.cancel')}<//>
      </div>
    </form>`;
}

/** Mute or block an item's author: what each does, then confirm. */
function SetApartForm({ item, dialog, onDone }) {
  const form = useForm([{ id: 'relation', server: ['relation'] }], { NOT_FOUND: 'community.gone' });
  const name = item.author.pseudonym;
  const submit = (event) => {
    const values = formValues(event);
    form.run(async () => {
      const set = await put(`/api/community/members/${encodeURIComponent(item.author.member_id)}/relation`, { relation: values.relation });
      dialog.current.close();
      onDone(set);
    }, required(values, [['relation', 'community.set_apart_missing']]));
  };
  return html`
    <h2 id="set-apart-title">${t('community.set_apart_title', { name })}</h2>
    <p id="set-apart-lead">${t('community.set_apart_lead', { name })}</p>
    <${ErrorSummary} form=${form} id="set-apart-errors" />
    <form onSubmit=${submit} novalidate>
      <${Radios} id="relation" legend=${t('community.set_apart_legend', { name })} error=${form.errorFor('relation')} options=${[
        { value: 'muted', label: t('community.mute_option', { name }) },
        { value: 'blocked', label: t('community.block_option', { name }) },
      ]} />
      <div class="button-group">
        <${Button} busy=${form.busy}>${t('community.set_apart_confirm')}<//>
        <${Button} type="button" kind="secondary" onClick=${() => dialog.current.close()}>${t('community.cancel')}<//>
      </div>
    </form>`;
}

/** After muting or blocking: what happened, and a way to undo it. */
function SetApartNotice({ set, onUndone }) {
  const form = useForm([]);
  if (!set) return null;
  const undo = () => form.run(async () => {
    const restored = await put(`/api/community/members/${encodeURIComponent(set.member_id)}/relation`, { relation: 'none' });
    onUndone(restored);
  });
  return html`
    <div class="notice notice--success measure" id="set-apart-notice" tabindex="-1">
      <p>${t(set.relation === 'blocked' ? 'community.blocked' : 'community.muted', { name: set.pseudonym })}</p>
      <${ErrorSummary} form=${form} id="undo-errors" />
      <p><${Button} type="button" kind="secondary" busy=${form.busy} onClick=${undo}>${t('community.undo', { name: set.pseudonym })}<//></p>
    </div>`;
}

/** A dialog that holds one form at a time, opened for an item and closed back to its button. */
function useItemDialog() {
  const dialog = useRef(null);
  const opener = useRef(null);
  const [item, setItem] = useState(null);
  const open = (chosen, event) => {
    opener.current = event.currentTarget;
    setItem(chosen);
    // Open once the dialog holds this item's form.
    requestAnimationFrame(() => dialog.current.showModal());
  };
  const closed = () => {
    if (dialog.current && dialog.current.open) return;
    setItem(null);
    if (opener.current && opener.current.isConnected) opener.current.focus();
  };
  const forget = () => {
    opener.current = null;
  };
  return { dialog, item, open, closed, forget };
}

/** /community/posts/:id: a post (or a comment) with its comments, reactions, reports and a box to comment. */
export function CommunityPost({ params }) {
  const id = params.id;
  const path = `/api/community/posts/${encodeURIComponent(id)}`;
  const first = useData(async () => {
    const page = await get(`${path}?limit=${PAGE}`);
    const [channelPage, member] = await Promise.all([
      get(`/api/community/channels/${encodeURIComponent(page.post.channel_id)}/posts?limit=1`),
      loadMember(),
    ]);
    return { ...page, channel: channelPage.channel, member };
  }, [id]);
  const [item, setItem] = useState(null);
  const [comments, setComments] = useState([]);
  const [read, setRead] = useState(0);
  const [more, setMore] = useState(false);
  const [later, setLater] = useState({ busy: false, error: null });
  const [written, setWritten] = useState(null);
  const [said, setSaid] = useState(null);
  const [apart, setApart] = useState(null);
  const form = useForm([{ id: 'comment_body', server: ['body'] }], WRITE_ERRORS);
  const reporting = useItemDialog();
  const settingApart = useItemDialog();
  useEffect(() => {
    if (!first.data) return;
    setItem(first.data.post);
    setComments(merge(false, first.data.comments));
    setRead(first.data.comments.length);
    setMore(first.data.comments.length === PAGE);
  }, [first.data]);
  const changed = (updated) => {
    if (updated.id === id) setItem((current) => ({ ...current, reactions: updated.reactions }));
    else setComments((current) => current.map((comment) => (comment.id === updated.id ? { ...comment, reactions: updated.reactions } : comment)));
  };
  const loadLater = async () => {
    setLater({ busy: true, error: null });
    try {
      const page = await get(`${path}?limit=${PAGE}&offset=${read}`);
      setComments((current) => merge(false, current, page.comments));
      setRead((count) => count + page.comments.length);
      setMore(page.comments.length === PAGE);
      setLater({ busy: false, error: null });
    } catch (error) {
      setLater({ busy: false, error });
    }
  };
  const submit = (event) => {
    const target = event.currentTarget;
    const values = formValues(event);
    form.run(async () => {
      setWritten(null);
      const { written: answer, announce } = await write(`${path}/comments`, values.comment_body);
      target.reset();
      setComments((current) => merge(false, current, [answer.item]));
      setWritten(answer);
      // The crisis view, when it takes over, has focus; otherwise the outcome does.
      if (!(answer.safety && answer.safety.show_crisis_resources)) focusSoon('community-outcome');
      announce();
    }, required(values, [['comment_body', 'community.comment_missing']]));
  };
  const reported = (message) => {
    reporting.forget();
    setApart(null);
    setSaid(message);
    focusSoon('community-notice');
  };
  const setApartDone = (set) => {
    settingApart.forget();
    setSaid(null);
    if (item && set.member_id === item.author.member_id) {
      // The post itself is now hidden from the caller: back to its channel, which says so.
      pendingApart = set;
      navigate(`/community/channels/${encodeURIComponent(item.channel_id)}`);
      return;
    }
    setApart(set);
    first.reload();
    focusSoon('set-apart-notice');
  };
  const undone = (restored) => {
    setApart(null);
    setSaid(t('community.restored', { name: restored.pseudonym }));
    first.reload();
    focusSoon('community-notice');
  };
  if (first.loading && !first.data) return html`<${Page} title=${t('community.post_loading')}><${Loading} /><//>`;
  if (first.error) {
    return html`<${Page} title=${t('community.post_loading')}><${LoadError} error=${first.error} /><p><a href="/community">${t('community.back_to_channels')}</a></p><//>`;
  }
  const { channel, member } = first.data;
  const shown = item || first.data.post;
  const isComment = Boolean(shown.parent_id);
  const title = shown.mine
    ? t(isComment ? 'community.your_comment' : 'community.your_post')
    : t(isComment ? 'community.comment_by' : 'community.post_by', { name: shown.author.pseudonym });
  let commentBox = cannotWrite({ member, archived: channel.archived, what: 'comment' });
  if (!commentBox && shown.status !== 'published') commentBox = html`<p class="measure">${t('community.comment_not_yet')}</p>`;
  return html`
    <${Page} title=${title}>
      <p><a href=${`/community/channels/${encodeURIComponent(channel.id)}`}>${t('community.back_to_channel', { name: channel.name })}</a></p>
      ${isComment ? html`<p><a href=${`/community/posts/${encodeURIComponent(shown.parent_id)}`}>${t('community.parent_link')}</a></p>` : null}
      <${Flash} said=${said} />
      <${SetApartNotice} set=${apart} onUndone=${undone} />
      <div class="measure">
        <${Item} item=${shown} member=${member} heading="h2" onChanged=${changed} onReport=${reporting.open} onSetApart=${settingApart.open} />
      </div>
      ${isComment ? null : html`
        <section aria-labelledby="post-comments" class="measure">
          <h2 id="post-comments">${t('community.comments_title')}</h2>
          ${comments.length ? html`
            <ol class="community-list" aria-label=${t('community.comments_label')}>
              ${comments.map((comment) => html`<li key=${comment.id}><${Item} item=${comment} member=${member} heading="h3"
                onChanged=${changed} onReport=${reporting.open} onSetApart=${settingApart.open} /></li>`)}
            </ol>` : html`<p>${t('community.comments_none')}</p>`}
          ${later.error ? html`<${LoadError} error=${later.error} />` : null}
          ${more ? html`<p><${Button} type="button" kind="secondary" busy=${later.busy} onClick=${loadLater}>${t('community.comments_more')}<//></p>` : null}
          <h3 class="community-write">${t('community.write_comment_title')}</h3>
          ${commentBox || html`
            <${ErrorSummary} form=${form} id="comment-errors" />
            <form onSubmit=${submit} novalidate>
              <${TextArea} id="comment_body" label=${t('community.comment_label')} hint=${t('community.post_hint', { name: member.pseudonym })}
                rows="4" maxlength=${POST_MAX_CHARS} error=${form.errorFor('comment_body')} />
              <${Button} busy=${form.busy}>${t('community.comment_send')}<//>
            </form>`}
          <div role="status"><${Outcome} written=${written} /></div>
        </section>`}
      <dialog ref=${reporting.dialog} class="dialog" aria-labelledby="report-title" aria-describedby="report-lead" onClose=${reporting.closed}>
        ${reporting.item ? html`<${ReportForm} key=${reporting.item.id} item=${reporting.item} dialog=${reporting.dialog} onDone=${reported} />` : null}
      </dialog>
      <dialog ref=${settingApart.dialog} class="dialog" aria-labelledby="set-apart-title" aria-describedby="set-apart-lead" onClose=${settingApart.closed}>
        ${settingApart.item ? html`<${SetApartForm} key=${settingApart.item.id} item=${settingApart.item} dialog=${settingApart.dialog} onDone=${setApartDone} />` : null}
      </dialog>
    <//>`;
}
