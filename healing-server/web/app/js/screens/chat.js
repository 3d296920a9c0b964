// The companion chat: the conversation (newest at the bottom, earlier messages
// loaded on request) and a box to write in. The reply streams in as it is
// written. Who answered is always said: the AI model, the offline companion
// (built-in replies, not AI) or the safety response. A message that screening
// reads as high or critical risk brings up the crisis view, as on every screen.
import { html, useState, useEffect, useRef } from '../../vendor/preact-htm.module.js';
import { t, has } from '../i18n.js';
import { get, postStream, reportSafety } from '../api.js';
import { patientPath } from '../session.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, TextArea, Button, formValues, required } from '../components/forms.js';
import { dateTime } from '../components/time.js';
import { isGranted } from './settings.js';

// The server's limit (CHAT_MAX_CHARS in chat/mod.rs).
const MESSAGE_MAX_CHARS = 2000;
// Messages read at a time; the server answers newest first.
const PAGE = 20;

/** Who wrote a message, in words that never leave doubt whether it was AI or a person. */
function who(message) {
  if (message.author === 'patient') return t('chat.author_you');
  return has(`chat.source.${message.source}`) ? t(`chat.source.${message.source}`) : t('chat.source.companion');
}

function sourceNote(message) {
  if (message.author === 'patient') return null;
  const key = `chat.source_note.${message.source}`;
  return has(key) ? t(key) : null;
}

/** The companion's pointers to the app's own screens ("your journal (/journal)") become links. */
function Body({ message }) {
  if (message.author === 'patient') return message.body;
  return message.body.split(/(\(\/[a-z][a-z-]*(?:\/[a-z_-]+)?\))/).map((part) => {
    const path = /^\((\/[a-z][a-z_/-]*)\)$/.exec(part);
    return path ? html`(<a href=${path[1]}>${path[1]}</a>)` : part;
  });
}

function Message({ message }) {
  const note = sourceNote(message);
  const mine = message.author === 'patient';
  return html`
    <li class=${`chat-message ${mine ? 'chat-message--mine' : `chat-message--companion chat-message--${message.source || 'companion'}`}`}>
      <p class="chat-message__who"><strong>${who(message)}</strong>${note ? html` <span class="chat-tag">${note}</span>` : null}</p>
      <p class="chat-message__body"><${Body} message=${message} /></p>
      ${message.source === 'crisis' ? html`<p><a href="/crisis">${t('chat.crisis_link')}</a></p>` : null}
      <p class="chat-message__when muted">${message.written_at ? html`<time datetime=${message.written_at}>${dateTime(message.written_at)}</time>` : t('chat.sending')}</p>
    </li>`;
}

/** Why the offline companion answered the last message, and what the person can do about it. */
function AnswerNotice({ answer }) {
  if (!answer) return null;
  const reason = answer.offline_reason;
  const signpost = answer.safety && answer.safety.level === 'medium' ? answer.safety.signpost : null;
  if (!reason && !signpost) return null;
  const text = reason && has(`chat.reason.${reason}`) ? t(`chat.reason.${reason}`) : answer.notice;
  return html`
    <div class="notice">
      ${reason ? html`<p>${text}</p>` : null}
      ${reason === 'no_consent' ? html`<p><a href="/settings#consent-ai_chat">${t('chat.consent_link')}</a></p>` : null}
      ${signpost ? html`<p>${signpost}</p><p><a href="/crisis">${t('chat.crisis_link')}</a></p>` : null}
    </div>`;
}

/** The AI companion answers only with the `ai_chat` consent in force; say so before anything is written. */
function ConsentNotice({ consent }) {
  if (consent.loading || consent.error || isGranted(consent.data.state, 'ai_chat')) return null;
  return html`
    <div class="notice measure">
      <p>${t('chat.no_consent')}</p>
      <p><a href="/settings#consent-ai_chat">${t('chat.consent_link')}</a></p>
    </div>`;
}

/** Merges pages of messages (newest first from the server) into one list, oldest first, without repeats. */
function merge(...lists) {
  const byId = new Map();
  for (const list of lists) for (const message of list) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

export function Chat() {
  const consent = useData(() => get(patientPath('/consent')));
  const first = useData(() => get(patientPath(`/chat?limit=${PAGE}`)));
  const [messages, setMessages] = useState([]);
  const [more, setMore] = useState(false);
  const [earlier, setEarlier] = useState({ busy: false, error: null });
  const [pending, setPending] = useState(null);
  const [answer, setAnswer] = useState(null);
  const [announce, setAnnounce] = useState('');
  const form = useForm([{ id: 'message', server: ['message'] }]);
  const end = useRef(null);
  useEffect(() => {
    if (!first.data) return;
    setMessages(merge(first.data));
    setMore(first.data.length === PAGE);
  }, [first.data]);
  const loadEarlier = async () => {
    setEarlier({ busy: true, error: null });
    try {
      const page = await get(patientPath(`/chat?limit=${PAGE}&offset=${messages.length}`));
      setMessages((current) => merge(page, current));
      setMore(page.length === PAGE);
      setEarlier({ busy: false, error: null });
    } catch (error) {
      setEarlier({ busy: false, error });
    }
  };
  const submit = (event) => {
    const target = event.currentTarget;
    const values = formValues(event);
    const text = values.message || '';
    form.run(async () => {
      setAnswer(null);
      setAnnounce('');
      setPending({ text, reply: '' });
      try {
        const done = await postStream(patientPath('/chat'), { message: text }, {
          onDelta: (piece) => setPending((current) => (current ? { ...current, reply: current.reply + piece } : current)),
        });
        // What was written is stored: clear the box only now, so a failure loses nothing.
        target.reset();
        setMessages((current) => merge(current, [done.message, done.reply_message]));
        setAnswer(done);
        setAnnounce(t('chat.replied', { who: who(done.reply_message) }));
        // The safety response always brings the crisis view, whatever the level says.
        if (done.source === 'crisis') reportSafety({ ...done.safety, show_crisis_resources: true });
      } finally {
        setPending(null);
      }
    }, required(values, [['message', 'chat.message_missing']]));
  };
  // Keep the newest message in view as the reply is written.
  useEffect(() => {
    if (end.current && (pending || answer)) end.current.scrollIntoView({ block: 'nearest' });
  }, [pending, answer, messages]);
  let conversation;
  if (first.loading) conversation = html`<${Loading} />`;
  else if (first.error) conversation = html`<${LoadError} error=${first.error} />`;
  else {
    conversation = html`
      ${more ? html`
        <p><${Button} type="button" kind="secondary" busy=${earlier.busy} onClick=${loadEarlier}>${t('chat.earlier')}<//></p>` : null}
      ${earlier.error ? html`<${LoadError} error=${earlier.error} />` : null}
      ${messages.length || pending ? html`
        <ol class="chat-log" aria-label=${t('chat.log_label')}>
          ${messages.map((message) => html`<${Message} key=${message.id} message=${message} />`)}
          ${pending ? html`
            <${Message} message=${{ author: 'patient', body: pending.text }} />
            <li class="chat-message chat-message--companion" aria-busy="true">
              <p class="chat-message__who"><strong>${t('chat.source.companion')}</strong></p>
              <p class="chat-message__body">${pending.reply || t('chat.writing')}</p>
            </li>` : null}
        </ol>` : html`<p>${t('chat.none')}</p>`}
      <div ref=${end}></div>`;
  }
  return html`
    <${Page} title=${t('chat.title')} lead=${t('chat.lead')}>
      <${ConsentNotice} consent=${consent} />
      <section aria-labelledby="chat-conversation" class="measure">
        <h2 id="chat-conversation">${t('chat.conversation_title')}</h2>
        ${conversation}
        <${AnswerNotice} answer=${answer} />
        <p class="visually-hidden" role="status">${announce}</p>
      </section>
      <div class="measure">
        <${ErrorSummary} form=${form} />
        <form onSubmit=${submit} novalidate>
          <${TextArea} id="message" label=${t('chat.message')} hint=${t('chat.message_hint')} rows="4" maxlength=${MESSAGE_MAX_CHARS} error=${form.errorFor('message')} />
          <${Button} busy=${form.busy}>${t('chat.send')}<//>
        </form>
      </div>
    <//>`;
}
