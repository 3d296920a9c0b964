// Messages between a patient and their care team: the inbox (conversations,
// latest first, with unread counts), one conversation (oldest first, earlier
// messages on request, marked read when opened, deleted for oneself after a
// confirmation) and a new message to a linked clinician or patient. A patient
// is told, where they write, that messages are not read around the clock (the
// server's own words); a message that screening reads as high or critical risk
// brings up the crisis view, as on every screen.
import { html, useState, useEffect, useRef } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, post, del, reportSafety } from '../api.js';
import { navigate } from '../router.js';
import { session } from '../session.js';
import { refreshUnreadMessages, setUnreadMessages } from '../message-count.js';
import { Page, Loading, LoadError, focusHeadingSoon } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, TextArea, Radios, Button, formValues, required } from '../components/forms.js';
import { When, dateTime } from '../components/time.js';

// The server's limit (MESSAGE_MAX_CHARS in routes/messages.rs).
const MESSAGE_MAX_CHARS = 5000;
// Conversations in the inbox, and messages of a conversation, read at a time.
const INBOX_PAGE = 20;
const THREAD_PAGE = 20;
// Wording that fits a message form better than the general one.
const SEND_ERRORS = { MESSAGE_REFUSED: 'messages.refused', FORBIDDEN: 'messages.refused' };

// Said once on the inbox after a conversation was deleted (the inbox is a new screen).
let flash = null;

const isPatient = () => session().user.role === 'patient';

/** A person's chosen name, or plain words when they have none. */
function nameOf(person) {
  return (person && person.display_name) || t('messages.someone');
}

/** Messages are not read around the clock: the server's words, for a patient, where they write. */
function NotMonitored({ notice }) {
  if (!isPatient()) return null;
  return html`
    <div class="notice measure" id="not-monitored">
      <p>${notice || t('messages.not_monitored')}</p>
      <p><a href="/crisis">${t('messages.crisis_link')}</a></p>
    </div>`;
}

/** A gentle pointer to support when screening read the message as medium risk. */
function Signpost({ sent }) {
  const safety = sent && sent.safety;
  if (!safety || safety.level !== 'medium' || !safety.signpost) return null;
  return html`<div class="notice measure"><p>${safety.signpost}</p><p><a href="/crisis">${t('messages.crisis_link')}</a></p></div>`;
}

function ThreadItem({ thread }) {
  const about = thread.patient.id !== thread.with.id;
  return html`
    <li>
      <h2><a href=${`/messages/${encodeURIComponent(thread.thread_id)}`}>${t('messages.with', { name: nameOf(thread.with) })}</a></h2>
      ${about ? html`<p>${t('messages.about', { name: nameOf(thread.patient) })}</p>` : null}
      <p class=${thread.unread ? 'thread-unread' : 'muted'}>${thread.unread === 1 ? t('messages.unread_one') : thread.unread ? t('messages.unread_many', { count: thread.unread }) : t('messages.unread_none')}</p>
      <p class="muted">${t('messages.last_message')} <${When} iso=${thread.last_message_at} /></p>
      ${thread.open ? null : html`<p>${t('messages.closed')}</p>`}
    </li>`;
}

export function Inbox() {
  const [offset, setOffset] = useState(0);
  const data = useData(() => get(`/api/messages?limit=${INBOX_PAGE}&offset=${offset}`), [offset]);
  const [said] = useState(() => {
    const text = flash;
    flash = null;
    return text;
  });
  useEffect(() => {
    if (data.data) setUnreadMessages(data.data.total_unread);
  }, [data.data]);
  const turnPage = (next) => {
    setOffset(next);
    focusHeadingSoon();
  };
  let body;
  if (data.loading) body = html`<${Loading} />`;
  else if (data.error) body = html`<${LoadError} error=${data.error} />`;
  else {
    const inbox = data.data;
    const total = Number(inbox.total_threads);
    body = html`
      <${NotMonitored} notice=${inbox.notice} />
      ${inbox.threads.length ? html`
        <p>${inbox.total_unread === 1 ? t('messages.total_unread_one') : inbox.total_unread ? t('messages.total_unread_many', { count: inbox.total_unread }) : t('messages.total_unread_none')}</p>
        <ul class="thread-list" aria-label=${t('messages.list_label', { from: offset + 1, to: offset + inbox.threads.length, total })}>
          ${inbox.threads.map((thread) => html`<${ThreadItem} key=${thread.thread_id} thread=${thread} />`)}
        </ul>
        ${total > INBOX_PAGE ? html`
          <nav class="pagination" aria-label=${t('messages.pages_label')}>
            <p>${t('messages.page', { from: offset + 1, to: offset + inbox.threads.length, total })}</p>
            <div class="button-group">
              ${offset > 0 ? html`<${Button} type="button" kind="secondary" onClick=${() => turnPage(Math.max(0, offset - INBOX_PAGE))}>${t('messages.previous')}<//>` : null}
              ${offset + INBOX_PAGE < total ? html`<${Button} type="button" kind="secondary" onClick=${() => turnPage(offset + INBOX_PAGE)}>${t('messages.next')}<//>` : null}
            </div>
          </nav>` : null}` : html`<p>${t(offset ? 'messages.none_on_page' : isPatient() ? 'messages.none_patient' : 'messages.none_clinician')}</p>`}`;
  }
  return html`
    <${Page} title=${t('messages.title')} lead=${t(isPatient() ? 'messages.lead_patient' : 'messages.lead_clinician')}>
      <div role="status">${said ? html`<div class="notice notice--success"><p>${said}</p></div>` : null}</div>
      <p><a class="button" href="/messages/new">${t('messages.new')}</a></p>
      ${body}
    <//>`;
}

/** Who may be written to: a patient's linked clinicians, a clinician's linked patients. */
function recipients(links) {
  const patient = isPatient();
  return links
    .filter((link) => link.status === 'accepted')
    .map((link) => {
      const id = patient ? link.clinician_id : link.patient_id;
      return { value: id, label: link.other_party_name || t(patient ? 'links.clinician' : 'messages.patient_label', { id: id.slice(0, 8) }) };
    });
}

export function NewMessage() {
  const links = useData(() => get('/api/links'));
  // The notice comes with any inbox answer; one conversation is enough to read it.
  const inbox = useData(() => (isPatient() ? get('/api/messages?limit=1') : null));
  const form = useForm([{ id: 'to', server: ['to', 'about'] }, { id: 'message', server: ['message', 'body'] }], SEND_ERRORS);
  const wanted = new URLSearchParams(window.location.search).get('to') || undefined;
  const submit = (event) => {
    const values = formValues(event);
    const problems = required(values, [['to', isPatient() ? 'messages.to_missing_patient' : 'messages.to_missing_clinician'], ['message', 'messages.message_missing']]);
    form.run(async () => {
      // The crisis view is brought up once the conversation is on screen, so
      // moving to it does not close the view.
      const sent = await post('/api/messages', { to: values.to, body: values.message }, { crisis: false });
      refreshUnreadMessages({ force: true });
      navigate(`/messages/${encodeURIComponent(sent.thread_id)}`);
      reportSafety(sent.safety);
    }, problems);
  };
  let body;
  if (links.loading) body = html`<${Loading} />`;
  else if (links.error) body = html`<${LoadError} error=${links.error} />`;
  else {
    const options = recipients(links.data);
    if (!options.length) {
      body = isPatient()
        ? html`<p>${t('messages.no_clinicians')}</p><p><a href="/links">${t('messages.links_link')}</a></p>`
        : html`<p>${t('messages.no_patients')}</p><p><a href="/clinician">${t('messages.caseload_link')}</a></p>`;
    } else {
      body = html`
        <${NotMonitored} notice=${inbox.data && inbox.data.notice} />
        <div class="measure">
          <${ErrorSummary} form=${form} />
          <form onSubmit=${submit} novalidate>
            <${Radios} id="to" legend=${t(isPatient() ? 'messages.to_patient' : 'messages.to_clinician')} options=${options}
              checked=${options.some((option) => option.value === wanted) ? wanted : undefined} error=${form.errorFor('to')} />
            <${TextArea} id="message" label=${t('messages.message')} hint=${t('messages.message_hint')} rows="6" maxlength=${MESSAGE_MAX_CHARS} error=${form.errorFor('message')} />
            <div class="button-group">
              <${Button} busy=${form.busy}>${t('messages.send')}<//>
              <a class="button button--secondary" href="/messages">${t('messages.cancel')}</a>
            </div>
          </form>
        </div>`;
    }
  }
  return html`
    <${Page} title=${t('messages.new_title')} lead=${t(isPatient() ? 'messages.new_lead_patient' : 'messages.new_lead_clinician')}>
      ${body}
    <//>`;
}

/** Merges pages of messages (newest first from the server) into one list, oldest first, without repeats. */
function merge(...lists) {
  const byId = new Map();
  for (const list of lists) for (const message of list) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

function Message({ message, members }) {
  const sender = members.find((member) => member.id === message.sender_id);
  return html`
    <li class=${`chat-message ${message.mine ? 'chat-message--mine' : 'chat-message--theirs'}`}>
      <p class="chat-message__who"><strong>${message.mine ? t('messages.you') : nameOf(sender)}</strong></p>
      <p class="chat-message__body">${message.body}</p>
      <p class="chat-message__when muted">
        <time datetime=${message.sent_at}>${dateTime(message.sent_at)}</time>
        ${message.mine ? html` · ${t(message.read ? 'messages.read' : 'messages.not_read')}` : null}
      </p>
    </li>`;
}

/** Delete for oneself, confirmed in a native dialog that says what the other person keeps. */
function DeleteThread({ threadId, other }) {
  const dialog = useRef(null);
  const opener = useRef(null);
  const form = useForm([]);
  const open = (event) => {
    opener.current = event.currentTarget;
    form.setErrors([]);
    dialog.current.showModal();
  };
  const confirm = () => form.run(async () => {
    await del(`/api/messages/threads/${encodeURIComponent(threadId)}`);
    opener.current = null;
    dialog.current.close();
    flash = t('messages.deleted', { name: other });
    refreshUnreadMessages({ force: true });
    navigate('/messages');
  });
  return html`
    <p class="thread-delete"><${Button} type="button" kind="secondary" onClick=${open}>${t('messages.delete')}<//></p>
    <dialog ref=${dialog} class="dialog" aria-labelledby="delete-title" aria-describedby="delete-lead" onClose=${() => opener.current && opener.current.focus()}>
      <h2 id="delete-title">${t('messages.delete_title')}</h2>
      <p id="delete-lead">${t('messages.delete_lead', { name: other })}</p>
      <${ErrorSummary} form=${form} id="delete-errors" />
      <div class="button-group">
        <${Button} type="button" kind="warning" busy=${form.busy} onClick=${confirm}>${t('messages.delete_confirm')}<//>
        <${Button} type="button" kind="secondary" onClick=${() => dialog.current.close()}>${t('messages.delete_cancel')}<//>
      </div>
    </dialog>`;
}

export function Thread({ params }) {
  const id = params.id;
  const path = `/api/messages/threads/${encodeURIComponent(id)}`;
  const first = useData(() => get(`${path}?limit=${THREAD_PAGE}`), [id]);
  const [messages, setMessages] = useState([]);
  const [more, setMore] = useState(false);
  const [earlier, setEarlier] = useState({ busy: false, error: null });
  const [sent, setSent] = useState(null);
  const [announce, setAnnounce] = useState('');
  const form = useForm([{ id: 'message', server: ['message', 'body'] }], SEND_ERRORS);
  const end = useRef(null);
  useEffect(() => {
    const thread = first.data;
    if (!thread) return;
    setMessages(merge(thread.messages));
    setMore(thread.messages.length === THREAD_PAGE);
    // Opening the conversation reads it: mark read, then count again.
    if (thread.read_seq !== null && thread.read_seq !== undefined && thread.read_seq < thread.last_seq) {
      post(`${path}/read`, {}).then(() => refreshUnreadMessages({ force: true }), () => {
        // Still unread on the server; the count says so. Nothing is lost.
      });
    }
  }, [first.data]);
  const loadEarlier = async () => {
    setEarlier({ busy: true, error: null });
    try {
      const page = await get(`${path}?limit=${THREAD_PAGE}&offset=${messages.length}`);
      setMessages((current) => merge(page.messages, current));
      setMore(page.messages.length === THREAD_PAGE);
      setEarlier({ busy: false, error: null });
    } catch (error) {
      setEarlier({ busy: false, error });
    }
  };
  const submit = (event) => {
    const target = event.currentTarget;
    const values = formValues(event);
    form.run(async () => {
      setSent(null);
      setAnnounce('');
      const answer = await post(path, { body: values.message });
      // Stored: clear the box only now, so a failure loses nothing.
      target.reset();
      setMessages((current) => merge(current, [answer.message]));
      setSent(answer);
      setAnnounce(t('messages.sent'));
    }, required(values, [['message', 'messages.message_missing']]));
  };
  useEffect(() => {
    if (end.current && sent) end.current.scrollIntoView({ block: 'nearest' });
  }, [sent]);
  if (first.loading) return html`<${Page} title=${t('messages.thread_title_loading')}><${Loading} /><//>`;
  if (first.error) {
    return html`<${Page} title=${t('messages.thread_title_loading')}><${LoadError} error=${first.error} /><p><a href="/messages">${t('messages.back')}</a></p><//>`;
  }
  const thread = first.data;
  const me = session().user.id;
  const other = nameOf(thread.members.find((member) => member.id !== me));
  const about = thread.members.every((member) => member.id !== thread.patient.id);
  return html`
    <${Page} title=${t('messages.thread_title', { name: other })}>
      <p><a href="/messages">${t('messages.back')}</a></p>
      ${about ? html`<p>${t('messages.about', { name: nameOf(thread.patient) })}</p>` : null}
      <section aria-labelledby="thread-conversation" class="measure">
        <h2 id="thread-conversation">${t('messages.conversation_title')}</h2>
        ${more ? html`<p><${Button} type="button" kind="secondary" busy=${earlier.busy} onClick=${loadEarlier}>${t('messages.earlier')}<//></p>` : null}
        ${earlier.error ? html`<${LoadError} error=${earlier.error} />` : null}
        ${messages.length ? html`
          <ol class="chat-log" aria-label=${t('messages.log_label')}>
            ${messages.map((message) => html`<${Message} key=${message.id} message=${message} members=${thread.members} />`)}
          </ol>` : html`<p>${t('messages.thread_empty')}</p>`}
        <div ref=${end}></div>
        <${Signpost} sent=${sent} />
        <p class="visually-hidden" role="status">${announce}</p>
      </section>
      <${NotMonitored} notice=${(sent && sent.notice) || thread.notice} />
      <div class="measure">
        <${ErrorSummary} form=${form} />
        <form onSubmit=${submit} novalidate>
          <${TextArea} id="message" label=${t('messages.reply', { name: other })} hint=${t('messages.message_hint')} rows="4" maxlength=${MESSAGE_MAX_CHARS} error=${form.errorFor('message')} />
          <${Button} busy=${form.busy}>${t('messages.send')}<//>
        </form>
        <${DeleteThread} threadId=${thread.thread_id} other=${other} />
      </div>
    <//>`;
}
