// Clinical notes on a patient's page. A note is never edited in place: an
// amendment is its next version, and the earlier versions stay readable. Every
// note is screened like all free text; what screening finds is shown to the
// clinician as information (the crisis view is for the person in crisis, not
// for a clinician recording risk), and an alert is raised only if they ask.
import { html, useState } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, post } from '../api.js';
import { session, clinicianPatientPath } from '../session.js';
import { word } from '../words.js';
import { refreshOpenAlerts } from '../alert-count.js';
import { Loading, LoadError } from '../components/layout.js';
import { useData, useFocusAfterReload } from '../components/data.js';
import { useForm, ErrorSummary, TextArea, Select, Checkbox, Button, formValues, required } from '../components/forms.js';
import { dateTime } from '../components/time.js';
import { sessionLabel } from './courses.js';

// The server's limit (MAX_NOTE_CHARS in routes/notes.rs).
const NOTE_MAX_CHARS = 20000;

/** Who wrote a version: "you", their name, or (a name not known) a short id. */
function author(version) {
  const id = version.author_id;
  if (!id) return t('notes.author_erased');
  if (id === session().user.id) return t('notes.author_you');
  if (version.author_name) return version.author_name;
  return t('notes.author_other', { id: id.slice(0, 8) });
}

/** What screening found in the note just written, as information for its writer. */
function Screening({ written, asked }) {
  const level = written.safety.level;
  if (level === 'none') return null;
  let alert = t('notes.alert_not_asked');
  if (written.alert_raised) alert = t('notes.alert_raised');
  else if (asked) alert = t('notes.alert_below');
  return html`
    <div class="notice">
      <p>${t('notes.screening_found', { level: word('notes.level', level) })} ${alert}</p>
      ${written.alert_raised ? html`<p><a href="/alerts">${t('notes.alerts_link')}</a></p>` : null}
    </div>`;
}

function Message({ message }) {
  return html`<div role="status">${message ? html`
    <div class="notice notice--success"><p>${t(message.key)}</p></div>
    <${Screening} written=${message.written} asked=${message.asked} />` : null}</div>`;
}

function WriteNote({ patientId, sessions, message, onWritten }) {
  const form = useForm([{ id: 'note_body', server: ['body'] }, { id: 'note_session', server: ['session', 'treatment session'] }]);
  const submit = (event) => {
    const target = event.currentTarget;
    const values = formValues(event);
    form.run(async () => {
      const body = { body: values.note_body, raise_alert: values.note_raise_alert === 'on' };
      if (values.note_session) body.session_id = values.note_session;
      const written = await post(clinicianPatientPath(patientId, '/notes'), body, { crisis: false });
      target.reset();
      onWritten({ noteId: null, key: 'notes.written', written, asked: body.raise_alert });
    }, required(values, [['note_body', 'notes.body_missing']]));
  };
  return html`
    <div class="measure form-block">
      <h3>${t('notes.write_title')}</h3>
      <${ErrorSummary} form=${form} id="note-errors" />
      <${Message} message=${message} />
      <form onSubmit=${submit} novalidate>
        <${TextArea} id="note_body" label=${t('notes.body')} hint=${t('notes.body_hint')} rows="6" maxlength=${NOTE_MAX_CHARS} error=${form.errorFor('note_body')} />
        <${Select} id="note_session" label=${t('notes.session')} error=${form.errorFor('note_session')}
          options=${[{ value: '', label: t('notes.session_none') }, ...sessions.map((item) => ({ value: item.id, label: sessionLabel(item) }))]} />
        <${Checkbox} id="note_raise_alert" label=${t('notes.raise_alert')} hint=${t('notes.raise_alert_hint')} />
        <${Button} busy=${form.busy}>${t('notes.submit')}<//>
      </form>
    </div>`;
}

function AmendNote({ patientId, note, onAmended }) {
  const field = `amend-${note.note_id}`;
  const form = useForm([{ id: field, server: ['body'] }], { CONFLICT: 'notes.amend_conflict' });
  const submit = (event) => {
    const values = formValues(event);
    form.run(async () => {
      const body = { body: values[field], raise_alert: values[`${field}-alert`] === 'on' };
      const written = await post(clinicianPatientPath(patientId, `/notes/${encodeURIComponent(note.note_id)}/amend`), body, { crisis: false });
      onAmended({ noteId: note.note_id, key: 'notes.amended', written, asked: body.raise_alert });
    }, required(values, [[field, 'notes.body_missing']]));
  };
  return html`
    <details class="amend">
      <summary>${t('notes.amend')}</summary>
      <${ErrorSummary} form=${form} id=${`${field}-errors`} />
      <form onSubmit=${submit} novalidate>
        <${TextArea} id=${field} label=${t('notes.amend_body')} hint=${t('notes.amend_hint')} rows="6" maxlength=${NOTE_MAX_CHARS}
          defaultValue=${note.body} error=${form.errorFor(field)} />
        <${Checkbox} id=${`${field}-alert`} label=${t('notes.raise_alert')} hint=${t('notes.raise_alert_hint')} />
        <${Button} busy=${form.busy}>${t('notes.amend_submit')}<//>
      </form>
    </details>`;
}

/** The earlier versions, read when the reader opens them. */
function EarlierVersions({ patientId, summary, read }) {
  const [history, setHistory] = useState(null);
  const toggle = (event) => {
    if (!event.currentTarget.open || (history && !history.error)) return;
    read(clinicianPatientPath(patientId, `/notes/${encodeURIComponent(summary.latest.note_id)}`))
      .then((data) => setHistory({ versions: data.versions }))
      .catch((error) => setHistory({ error }));
  };
  let body = html`<${Loading} />`;
  if (history && history.error) body = html`<${LoadError} error=${history.error} />`;
  else if (history) {
    body = history.versions.filter((version) => version.version < summary.latest.version).reverse().map((version) => html`
      <div class="entry">
        <p><strong>${t('notes.version', { version: version.version })}</strong>: ${t('notes.written_by', { who: author(version), when: dateTime(version.written_at) })}</p>
        <p class="note-body">${version.body}</p>
      </div>`);
  }
  return html`
    <details onToggle=${toggle}>
      <summary>${t(summary.version_count === 2 ? 'notes.earlier_one' : 'notes.earlier_many', { count: summary.version_count - 1 })}</summary>
      ${body}
    </details>`;
}

function NoteCard({ patientId, summary, sessions, message, onAmended, read, readOnly }) {
  const note = summary.latest;
  const about = note.session_id ? sessions.find((item) => item.id === note.session_id) : null;
  return html`
    <li>
      <article class="card note" aria-labelledby=${`note-${note.note_id}-title`}>
        <h3 id=${`note-${note.note_id}-title`} tabindex="-1">${t('notes.note_of', { when: dateTime(summary.first_written_at) })}</h3>
        <p class="muted">${note.version > 1
    ? t('notes.amended_by', { version: note.version, who: author(note), when: dateTime(note.written_at) })
    : t('notes.written_by', { who: author(note), when: dateTime(note.written_at) })}
          ${about ? html`<br />${t('notes.about_session', { session: sessionLabel(about) })}` : null}</p>
        <p class="note-body">${note.body}</p>
        <${Message} message=${message} />
        ${summary.version_count > 1 ? html`<${EarlierVersions} patientId=${patientId} summary=${summary} read=${read} />` : null}
        ${readOnly ? null : html`<${AmendNote} patientId=${patientId} note=${note} onAmended=${onAmended} />`}
      </article>
    </li>`;
}

/**
 * The notes section; `courses` gives the sessions a note can be about; `onAlert`
 * after a note raised an alert; `read` does the page's GETs (with a break-glass
 * reason when there is one); `readOnly` offers no writing or amending.
 */
export function Notes({ patientId, courses, onAlert, read = get, readOnly = false }) {
  const data = useData(() => read(clinicianPatientPath(patientId, '/notes')), [patientId]);
  const [message, setMessage] = useState(null);
  const focusNext = useFocusAfterReload(data.data);
  const sessions = courses.flatMap((course) => course.sessions).sort((a, b) => b.at.localeCompare(a.at));
  const written = (next) => {
    setMessage(next);
    if (next.written.alert_raised) {
      refreshOpenAlerts({ force: true });
      onAlert();
    }
    data.reload();
    if (next.noteId) focusNext(`note-${next.noteId}-title`);
  };
  let list;
  if (data.error) list = html`<${LoadError} error=${data.error} />`;
  else if (!data.data) list = html`<${Loading} />`;
  else if (!data.data.length) list = html`<p>${t('notes.none')}</p>`;
  else {
    // Newest first; a card is new for each version, so an amended note opens closed.
    list = html`
      <ol class="note-list" aria-label=${t('notes.list_label')}>
        ${[...data.data].reverse().map((summary) => html`<${NoteCard} key=${`${summary.latest.note_id}-${summary.latest.version}`}
          patientId=${patientId} summary=${summary} sessions=${sessions}
          message=${message && message.noteId === summary.latest.note_id ? message : null} onAmended=${written} read=${read} readOnly=${readOnly} />`)}
      </ol>`;
  }
  return html`
    <section aria-labelledby="patient-notes">
      <h2 id="patient-notes">${t('notes.title')}</h2>
      <p class="measure">${t('notes.lead')}</p>
      ${readOnly ? null : html`<${WriteNote} patientId=${patientId} sessions=${sessions} message=${message && !message.noteId ? message : null} onWritten=${written} />`}
      ${list}
    </section>`;
}
