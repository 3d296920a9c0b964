// Appointments, for both sides. A patient sees theirs (upcoming, then past and
// cancelled, with whom, when in UK time, the state in words and the video link),
// books one of a linked clinician's open slots (choose the clinician, a time,
// then confirm), moves one to another slot and cancels one after a
// confirmation; inside the notice period the server refuses both and the
// screen says to contact the clinician. A clinician sees theirs by day with the
// patient's name, cancels, moves, sets or removes the video link, and records
// attended or did not attend once the start has passed. Both can add their
// appointments to a calendar app. A slot someone else booked first is said in
// plain words and the list of times is read again.
import { html, useState, useEffect, useRef } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, post, put, ApiError } from '../api.js';
import { navigate } from '../router.js';
import { session, patientPath } from '../session.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, ErrorMessage, Radios, Button, formValues } from '../components/forms.js';
import { CalendarFeed } from '../components/calendar-feed.js';
import {
  SlotPicker, SLOT_DAYS, MAX_DAYS_AHEAD, todayInLondon, addDays, dayText, london, splitLocal, whenText, minutesBetween,
  groupByDay, clinicSlots,
} from '../components/slots.js';
import { isGranted } from './settings.js';

// A page of the caller's appointments (the server's most).
const PAGE = 200;
// The server's limit on a video-call link (VIDEO_URL_MAX_CHARS in routes/appointments.rs).
const VIDEO_URL_MAX_CHARS = 500;

// Said once on the next screen after a change there (booked, moved, a slot taken).
let flash = null;

const isPatient = () => session().user.role === 'patient';
const startsIn = (appointment, now) => new Date(appointment.starts_at).getTime() - now;
const endsIn = (appointment, now) => new Date(appointment.ends_at).getTime() - now;

function takeFlash() {
  const said = flash;
  flash = null;
  return said;
}

/** A person's chosen name, or plain words when they have none. */
function nameOf(person, fallbackKey) {
  return (person && person.display_name) || t(fallbackKey);
}
const clinicianName = (appointment) => nameOf(appointment.clinician, 'appointments.your_clinician');
const patientName = (appointment) => nameOf(appointment.patient, 'appointments.a_patient');

/**
 * An appointment refusal in the catalogue's words (the server's codes); the
 * notice period is read from the server's own sentence, which names it.
 */
function explain(error) {
  if (!(error instanceof ApiError)) return error;
  const key = `appointments.refused.${error.code}`;
  if (error.code === 'INSIDE_NOTICE_PERIOD') {
    const hours = /(\d+) hours?/.exec(error.serverMessage || '');
    error.message = hours ? t('appointments.refused.INSIDE_NOTICE_PERIOD', { hours: hours[1] }) : t('appointments.refused.inside_notice_unknown');
  } else if (['SLOT_TAKEN', 'NOT_AN_OPEN_SLOT', 'NOT_SCHEDULED', 'NOT_STARTED', 'APPOINTMENT_REFUSED', 'CLINICIAN_ONLY', 'FORBIDDEN', 'NOT_FOUND'].includes(error.code)) {
    error.message = t(key);
  }
  return error;
}

/** Runs `action`, turning a refusal into words before the form shows it. */
async function explained(action) {
  try {
    return await action();
  } catch (error) {
    throw explain(error);
  }
}

/** The state of an appointment in words for the person reading it. */
function stateText(appointment, movedTo) {
  if (movedTo) return t('appointments.state.moved', { when: whenText(movedTo.local_start) });
  const side = isPatient() ? 'patient' : 'clinician';
  if (side === 'patient' && appointment.state === 'scheduled' && endsIn(appointment, Date.now()) <= 0) return t('appointments.state.patient.passed');
  const key = `appointments.state.${side}.${appointment.state}`;
  return t(key);
}

/** The appointments each was moved to, by the id of the one it replaced. */
function movedMap(appointments) {
  const moved = new Map();
  for (const appointment of appointments) {
    if (appointment.rescheduled_from) moved.set(appointment.rescheduled_from, appointment);
  }
  return moved;
}

/** Every page of the caller's appointments, latest start first. */
async function loadAppointments() {
  const all = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await get(`/api/appointments?limit=${PAGE}&offset=${offset}`);
    all.push(...page.appointments);
    if (page.appointments.length < PAGE || offset >= 10 * PAGE) return all;
  }
}

/** The success notice of the list screens: said to screen readers, and focusable after a change. */
function Said({ notice, focusRef }) {
  return html`<div role="status" tabindex="-1" ref=${focusRef} class="said">${notice ? html`<div class="notice notice--success"><p>${notice}</p></div>` : null}</div>`;
}

/** Cancel an appointment, confirmed in a native dialog; `target` is the appointment it is open for. */
function CancelDialog({ dialog, target, onCancelled, onClose }) {
  const form = useForm([]);
  const [notice, setNotice] = useState(false);
  useEffect(() => {
    form.setErrors([]);
    setNotice(false);
  }, [target]);
  if (!target) return html`<dialog ref=${dialog} class="dialog" aria-label=${t('appointments.cancel_title_plain')} onClose=${onClose}></dialog>`;
  const when = whenText(target.local_start);
  const patient = isPatient();
  const confirm = () => form.run(() => explained(async () => {
    setNotice(false);
    try {
      await post(`/api/appointments/${encodeURIComponent(target.id)}/cancel`, {});
    } catch (error) {
      if (error instanceof ApiError && error.code === 'INSIDE_NOTICE_PERIOD') setNotice(true);
      throw error;
    }
    dialog.current.close();
    onCancelled(target);
  }));
  return html`
    <dialog ref=${dialog} class="dialog" aria-labelledby="cancel-title" aria-describedby="cancel-lead" onClose=${onClose}>
      <h2 id="cancel-title">${t(patient ? 'appointments.cancel_title' : 'appointments.cancel_title_clinician', { when, name: patientName(target) })}</h2>
      <p id="cancel-lead">${patient
        ? t('appointments.cancel_lead', { name: clinicianName(target) })
        : t('appointments.cancel_lead_clinician', { name: patientName(target) })}</p>
      <${ErrorSummary} form=${form} id="cancel-errors" />
      ${notice ? html`<p><a href=${`/messages/new?to=${encodeURIComponent(target.clinician.id)}`}>${t('appointments.message_clinician', { name: clinicianName(target) })}</a></p>` : null}
      <div class="button-group">
        <${Button} type="button" kind="warning" busy=${form.busy} onClick=${confirm}>${t('appointments.cancel_confirm')}<//>
        <${Button} type="button" kind="secondary" onClick=${() => dialog.current.close()}>${t('appointments.cancel_keep')}<//>
      </div>
    </dialog>`;
}

/** The dialog, the appointment it is open for, and the button that opened it. */
function useDialog() {
  const dialog = useRef(null);
  const opener = useRef(null);
  const [target, setTarget] = useState(null);
  const open = (appointment) => (event) => {
    opener.current = event.currentTarget;
    setTarget(appointment);
    // Open once the dialog holds this appointment.
    requestAnimationFrame(() => dialog.current && dialog.current.showModal());
  };
  const closed = () => {
    // A close can arrive after it was opened again: it belongs to the earlier opening.
    if (dialog.current && dialog.current.open) return;
    setTarget(null);
    if (opener.current && opener.current.isConnected) opener.current.focus();
  };
  // After a change the list is read again and focus goes to what was said, not back to the button.
  const forget = () => {
    opener.current = null;
  };
  return { dialog, target, open, closed, forget };
}

/** After a change: say it, read the list again, and put focus on what was said. */
function useChange(data) {
  const [notice, setNotice] = useState(() => takeFlash());
  const said = useRef(null);
  const changed = (text) => {
    setNotice(text);
    data.reload();
    requestAnimationFrame(() => said.current && said.current.focus());
  };
  return { notice, said, changed };
}

// ---- the patient's appointments ----

function VideoLink({ appointment, when }) {
  if (!appointment.video_url || appointment.state !== 'scheduled') return null;
  return html`<p><a href=${appointment.video_url} rel="noopener noreferrer">${t('appointments.join_video')}<span class="visually-hidden"> ${t('appointments.for_when', { when })}</span></a></p>`;
}

function PatientCard({ appointment, movedTo, upcoming, onCancel }) {
  const when = whenText(appointment.local_start);
  return html`
    <li class="card appointment">
      <h3>${when}</h3>
      <p>${t('appointments.with', { name: clinicianName(appointment), minutes: minutesBetween(appointment.starts_at, appointment.ends_at) })}</p>
      <p><strong>${stateText(appointment, movedTo)}</strong></p>
      <${VideoLink} appointment=${appointment} when=${when} />
      ${upcoming && appointment.state === 'scheduled' ? html`
        <div class="button-group">
          <a class="button button--secondary" href=${`/appointments/${encodeURIComponent(appointment.id)}/move`}>${t('appointments.move')}<span class="visually-hidden"> ${t('appointments.for_when', { when })}</span></a>
          <${Button} type="button" kind="secondary" onClick=${onCancel(appointment)}>${t('appointments.cancel')}<span class="visually-hidden"> ${t('appointments.for_when', { when })}</span><//>
        </div>` : null}
    </li>`;
}

function PatientAppointments() {
  const data = useData(async () => {
    const [appointments, links] = await Promise.all([loadAppointments(), get('/api/links')]);
    return { appointments, linked: links.some((link) => link.status === 'accepted') };
  });
  const change = useChange(data);
  const cancel = useDialog();
  const cancelled = (appointment) => {
    cancel.forget();
    change.changed(t('appointments.cancelled', { when: whenText(appointment.local_start), name: clinicianName(appointment) }));
  };
  let body;
  if (data.loading) body = html`<${Loading} />`;
  else if (data.error) body = html`<${LoadError} error=${data.error} />`;
  else {
    const { appointments, linked } = data.data;
    const now = Date.now();
    const moved = movedMap(appointments);
    const upcoming = appointments.filter((a) => a.state === 'scheduled' && endsIn(a, now) > 0).reverse();
    const past = appointments.filter((a) => !(a.state === 'scheduled' && endsIn(a, now) > 0));
    body = html`
      ${linked
        ? html`<p><a class="button" href="/appointments/book">${t('appointments.book')}</a></p>`
        : html`<div class="notice measure"><p>${t('appointments.no_clinician')}</p><p><a href="/links">${t('appointments.links_link')}</a></p></div>`}
      <section aria-labelledby="appointments-upcoming">
        <h2 id="appointments-upcoming">${t('appointments.upcoming_title')}</h2>
        ${upcoming.length ? html`<ul class="appointment-list">${upcoming.map((a) => html`<${PatientCard} key=${a.id} appointment=${a} upcoming=${true} onCancel=${cancel.open} />`)}</ul>`
          : html`<p>${t('appointments.upcoming_none')}</p>`}
      </section>
      <section aria-labelledby="appointments-past">
        <h2 id="appointments-past">${t('appointments.past_title')}</h2>
        ${past.length ? html`<ul class="appointment-list">${past.map((a) => html`<${PatientCard} key=${a.id} appointment=${a} movedTo=${moved.get(a.id)} upcoming=${false} />`)}</ul>`
          : html`<p>${t('appointments.past_none')}</p>`}
      </section>`;
  }
  return html`
    <${Page} title=${t('appointments.title_patient')} lead=${t('appointments.lead_patient')}>
      <${Said} notice=${change.notice} focusRef=${change.said} />
      ${body}
      <${CalendarFeed} />
      <${CancelDialog} dialog=${cancel.dialog} target=${cancel.target} onCancelled=${cancelled} onClose=${cancel.closed} />
    <//>`;
}

// ---- the clinician's appointments ----

/** Set, replace or remove the video-call link, in a dialog. */
function VideoDialog({ dialog, target, onSaved, onClose }) {
  const form = useForm([{ id: 'video_url', server: ['url'] }], { VALIDATION_FAILED: 'appointments.video_invalid' });
  useEffect(() => form.setErrors([]), [target]);
  if (!target) return html`<dialog ref=${dialog} class="dialog" aria-label=${t('appointments.video_title_plain')} onClose=${onClose}></dialog>`;
  const when = whenText(target.local_start);
  const name = patientName(target);
  const save = (url) => form.run(() => explained(async () => {
    await put(`/api/appointments/${encodeURIComponent(target.id)}/video-link`, { url });
    dialog.current.close();
    onSaved(t(url ? 'appointments.video_saved' : 'appointments.video_removed', { name, when }));
  }));
  const submit = (event) => {
    const values = formValues(event);
    const url = (values.video_url || '').trim();
    let problem = null;
    if (!url) problem = 'appointments.video_missing';
    else if (!/^https:\/\/\S+$/i.test(url)) problem = 'appointments.video_invalid';
    if (problem) form.run(null, [{ field: 'video_url', message: t(problem) }]);
    else save(url);
  };
  return html`
    <dialog ref=${dialog} class="dialog" aria-labelledby="video-title" onClose=${onClose}>
      <h2 id="video-title">${t(target.video_url ? 'appointments.video_title_change' : 'appointments.video_title_add', { name, when })}</h2>
      <${ErrorSummary} form=${form} id="video-errors" />
      <form onSubmit=${submit} novalidate key=${target.id}>
        <div class=${`form-group${form.errorFor('video_url') ? ' form-group--error' : ''}`}>
          <label for="video_url">${t('appointments.video_label')}</label>
          <span class="hint" id="video_url-hint">${t('appointments.video_hint')}</span>
          <${ErrorMessage} id="video_url" message=${form.errorFor('video_url')} />
          <input id="video_url" name="video_url" type="text" inputmode="url" autocomplete="off" spellcheck="false" maxlength=${VIDEO_URL_MAX_CHARS}
            defaultValue=${target.video_url || ''} aria-invalid=${form.errorFor('video_url') ? 'true' : undefined}
            aria-describedby=${form.errorFor('video_url') ? 'video_url-hint video_url-error' : 'video_url-hint'} />
        </div>
        <div class="button-group">
          <${Button} busy=${form.busy}>${t('appointments.video_save')}<//>
          ${target.video_url ? html`<${Button} type="button" kind="warning" busy=${form.busy} onClick=${() => save(null)}>${t('appointments.video_remove')}<//>` : null}
          <${Button} type="button" kind="secondary" onClick=${() => dialog.current.close()}>${t('appointments.video_cancel')}<//>
        </div>
      </form>
    </dialog>`;
}

/** Whether the patient came: asked once the appointment has started. */
function Attendance({ appointment, onRecorded }) {
  const id = `attended-${appointment.id}`;
  const form = useForm([{ id }]);
  const name = patientName(appointment);
  const submit = (event) => {
    const values = formValues(event);
    const choice = values[id];
    form.run(() => explained(async () => {
      await post(`/api/appointments/${encodeURIComponent(appointment.id)}/attendance`, { attended: choice === 'yes' });
      onRecorded(t(choice === 'yes' ? 'appointments.recorded_attended' : 'appointments.recorded_dna', { name, when: whenText(appointment.local_start) }));
    }), choice ? [] : [{ field: id, message: t('appointments.attendance_missing', { name }) }]);
  };
  return html`
    <${ErrorSummary} form=${form} id=${`${id}-errors`} />
    <form onSubmit=${submit} novalidate>
      <${Radios} id=${id} legend=${t('appointments.attendance_legend', { name })} inline=${true} error=${form.errorFor(id)}
        options=${[{ value: 'yes', label: t('appointments.attendance_yes') }, { value: 'no', label: t('appointments.attendance_no') }]} />
      <div class="button-group">
        <${Button} kind="secondary" busy=${form.busy}>${t('appointments.attendance_save')}<span class="visually-hidden"> ${t('appointments.for_name', { name })}</span><//>
      </div>
    </form>`;
}

function ClinicianItem({ appointment, movedTo, mode, actions }) {
  const { time } = splitLocal(appointment.local_start);
  const name = patientName(appointment);
  const when = whenText(appointment.local_start);
  const minutes = minutesBetween(appointment.starts_at, appointment.ends_at);
  const context = html`<span class="visually-hidden"> ${t('appointments.for_name_when', { name, when })}</span>`;
  return html`
    <li class="card appointment">
      <h4>${t('appointments.time_with', { time, name })}</h4>
      <p>${t('appointments.minutes', { minutes })} · <strong>${stateText(appointment, movedTo)}</strong></p>
      ${appointment.state === 'scheduled' && appointment.video_url
        ? html`<p>${t('appointments.video_set')} <a href=${appointment.video_url} rel="noopener noreferrer">${t('appointments.open_video')}${context}</a></p>` : null}
      ${mode === 'record' ? html`<${Attendance} appointment=${appointment} onRecorded=${actions.changed} />` : null}
      ${mode !== 'past' ? html`
        <div class="button-group">
          ${mode === 'upcoming' ? html`
            <a class="button button--secondary" href=${`/appointments/${encodeURIComponent(appointment.id)}/move`}>${t('appointments.move')}${context}</a>
            <${Button} type="button" kind="secondary" onClick=${actions.video(appointment)}>${t(appointment.video_url ? 'appointments.video_change' : 'appointments.video_add')}${context}<//>` : null}
          <${Button} type="button" kind="secondary" onClick=${actions.cancel(appointment)}>${t('appointments.cancel')}${context}<//>
        </div>` : null}
    </li>`;
}

function ByDay({ appointments, moved, mode, actions }) {
  return groupByDay(appointments).map((group) => html`
    <h3>${group.day}</h3>
    <ul class="appointment-list">
      ${group.items.map((a) => html`<${ClinicianItem} key=${a.id} appointment=${a} movedTo=${moved.get(a.id)} mode=${mode} actions=${actions} />`)}
    </ul>`);
}

function ClinicianAppointments() {
  const data = useData(loadAppointments);
  const change = useChange(data);
  const cancel = useDialog();
  const video = useDialog();
  const actions = {
    changed: change.changed,
    cancel: cancel.open,
    video: video.open,
  };
  const cancelled = (appointment) => {
    cancel.forget();
    change.changed(t('appointments.cancelled_clinician', { when: whenText(appointment.local_start), name: patientName(appointment) }));
  };
  const videoSaved = (text) => {
    video.forget();
    change.changed(text);
  };
  let body;
  if (data.loading) body = html`<${Loading} />`;
  else if (data.error) body = html`<${LoadError} error=${data.error} />`;
  else {
    const appointments = data.data;
    const now = Date.now();
    const moved = movedMap(appointments);
    const scheduled = appointments.filter((a) => a.state === 'scheduled');
    const record = scheduled.filter((a) => startsIn(a, now) <= 0).reverse();
    const upcoming = scheduled.filter((a) => startsIn(a, now) > 0).reverse();
    const past = appointments.filter((a) => a.state !== 'scheduled');
    body = html`
      ${record.length ? html`
        <section aria-labelledby="appointments-record">
          <h2 id="appointments-record">${t('appointments.record_title')}</h2>
          <p>${t('appointments.record_lead')}</p>
          <${ByDay} appointments=${record} moved=${moved} mode="record" actions=${actions} />
        </section>` : null}
      <section aria-labelledby="appointments-upcoming">
        <h2 id="appointments-upcoming">${t('appointments.upcoming_title')}</h2>
        ${upcoming.length ? html`<${ByDay} appointments=${upcoming} moved=${moved} mode="upcoming" actions=${actions} />`
          : html`<p>${t('appointments.upcoming_none_clinician')}</p>`}
      </section>
      <section aria-labelledby="appointments-past">
        <h2 id="appointments-past">${t('appointments.earlier_title')}</h2>
        ${past.length ? html`<${ByDay} appointments=${past} moved=${moved} mode="past" actions=${actions} />` : html`<p>${t('appointments.past_none')}</p>`}
      </section>`;
  }
  return html`
    <${Page} title=${t('appointments.title_clinician')} lead=${t('appointments.lead_clinician')}>
      <p><a href="/availability">${t('appointments.availability_link')}</a></p>
      <${Said} notice=${change.notice} focusRef=${change.said} />
      ${body}
      <${CalendarFeed} />
      <${CancelDialog} dialog=${cancel.dialog} target=${cancel.target} onCancelled=${cancelled} onClose=${cancel.closed} />
      <${VideoDialog} dialog=${video.dialog} target=${video.target} onSaved=${videoSaved} onClose=${video.closed} />
    <//>`;
}

export function Appointments() {
  return isPatient() ? html`<${PatientAppointments} />` : html`<${ClinicianAppointments} />`;
}

// ---- choosing a time ----

/** Where the open slots come from: a linked clinician's, as the server lists them, or a clinician's own. */
function slotSource(clinicianId) {
  if (isPatient()) {
    return (from, days) => get(`/api/clinicians/${encodeURIComponent(clinicianId)}/slots?from=${from}&days=${days}`).then((answer) => answer.slots);
  }
  return async (from, days) => {
    const [availability, appointments] = await Promise.all([get('/api/me/availability'), loadAppointments()]);
    const booked = appointments.filter((a) => a.state === 'scheduled').map((a) => a.starts_at);
    return clinicSlots(availability, booked, from, days);
  };
}

/** The open slot starting at `at`, read afresh, or null when it is no longer free. */
async function findSlot(source, at) {
  const wanted = new Date(at).getTime();
  if (Number.isNaN(wanted)) return null;
  const slots = await source(london(wanted).date, 1);
  return slots.find((slot) => new Date(slot.starts_at).getTime() === wanted) || null;
}

/**
 * The open slots two weeks at a time, grouped by day, to choose one from.
 * `onChoose(startsAt)` goes on to confirm; a flash from the confirm screen (the
 * slot was taken) is shown as the problem once the times are read again.
 */
function SlotStep({ source, onChoose, back, backLabel }) {
  const today = todayInLondon();
  const [from, setFrom] = useState(today);
  const to = addDays(from, SLOT_DAYS - 1);
  // Each answer says which two weeks it is, so a turn of the page shows "loading" until its own times arrive.
  const slots = useData(() => source(from, SLOT_DAYS).then((list) => ({ from, list })), [from]);
  const form = useForm([{ id: 'slot' }]);
  const range = useRef(null);
  const pending = useRef(takeFlash());
  useEffect(() => {
    if (!pending.current || !slots.data) return;
    const message = pending.current;
    pending.current = null;
    // After the new screen has put focus on its heading, so the summary keeps it.
    requestAnimationFrame(() => form.run(null, [{ field: null, message }]));
  }, [slots.data]);
  const turn = (next) => {
    setFrom(next);
    form.setErrors([]);
    requestAnimationFrame(() => range.current && range.current.focus());
  };
  const submit = (event) => {
    const values = formValues(event);
    form.run(async () => onChoose(values.slot), values.slot ? [] : [{ field: 'slot', message: t('appointments.slot_missing') }]);
  };
  const lastFrom = addDays(today, MAX_DAYS_AHEAD - SLOT_DAYS);
  const earlier = addDays(from, -SLOT_DAYS) < today ? today : addDays(from, -SLOT_DAYS);
  let body;
  if (slots.error) body = html`<${LoadError} error=${explain(slots.error)} />`;
  else if (slots.loading || !slots.data || slots.data.from !== from) body = html`<${Loading} />`;
  else if (!slots.data.list.length) body = html`<p>${t('appointments.slots_none', { from: dayText(from), to: dayText(to) })}</p>`;
  else {
    body = html`
      <form onSubmit=${submit} novalidate>
        <${SlotPicker} id="slot" slots=${slots.data.list} error=${form.errorFor('slot')} legend=${t('appointments.slots_legend', { from: dayText(from), to: dayText(to) })} />
        <${Button}>${t('appointments.continue')}<//>
      </form>`;
  }
  return html`
    <${ErrorSummary} form=${form} />
    <p tabindex="-1" ref=${range} class="slot-range">${t('appointments.slots_range', { from: dayText(from), to: dayText(to) })}</p>
    ${body}
    <div class="button-group">
      ${from > today ? html`<${Button} type="button" kind="secondary" onClick=${() => turn(earlier)}>${t('appointments.slots_earlier')}<//>` : null}
      ${from < lastFrom ? html`<${Button} type="button" kind="secondary" onClick=${() => turn(addDays(from, SLOT_DAYS))}>${t('appointments.slots_later')}<//>` : null}
    </div>
    <p><a href=${back}>${backLabel}</a></p>`;
}

/** Booking, step one: which linked clinician (skipped when there is one). */
export function Book() {
  const data = useData(async () => {
    const [links, consent] = await Promise.all([get('/api/links'), get(patientPath('/consent'))]);
    return { clinicians: links.filter((link) => link.status === 'accepted'), sharing: isGranted(consent.state, 'clinician_sharing') };
  });
  const form = useForm([{ id: 'clinician' }]);
  const only = data.data && data.data.sharing && data.data.clinicians.length === 1 ? data.data.clinicians[0].clinician_id : null;
  useEffect(() => {
    if (only) navigate(`/appointments/book/${encodeURIComponent(only)}`, { replace: true });
  }, [only]);
  const submit = (event) => {
    const values = formValues(event);
    form.run(async () => navigate(`/appointments/book/${encodeURIComponent(values.clinician)}`),
      values.clinician ? [] : [{ field: 'clinician', message: t('appointments.clinician_missing') }]);
  };
  let body;
  if (data.loading || only) body = html`<${Loading} />`;
  else if (data.error) body = html`<${LoadError} error=${data.error} />`;
  else if (!data.data.clinicians.length) {
    body = html`<p>${t('appointments.no_clinician')}</p><p><a href="/links">${t('appointments.links_link')}</a></p>`;
  } else if (!data.data.sharing) {
    body = html`<p>${t('appointments.no_sharing')}</p><p><a href="/settings#consent-clinician_sharing">${t('appointments.sharing_link')}</a></p>`;
  } else {
    body = html`
      <div class="measure">
        <${ErrorSummary} form=${form} />
        <form onSubmit=${submit} novalidate>
          <${Radios} id="clinician" legend=${t('appointments.clinician_legend')} error=${form.errorFor('clinician')}
            options=${data.data.clinicians.map((link) => ({ value: link.clinician_id, label: link.other_party_name || t('appointments.your_clinician') }))} />
          <${Button}>${t('appointments.continue')}<//>
        </form>
      </div>`;
  }
  return html`
    <${Page} title=${t('appointments.book_title')}>
      ${body}
      <p><a href="/appointments">${t('appointments.back')}</a></p>
    <//>`;
}

/** The linked clinician's name, from the patient's links. */
function useClinicianName(clinicianId) {
  const links = useData(() => get('/api/links'), [clinicianId]);
  const link = links.data && links.data.find((item) => item.clinician_id === clinicianId && item.status === 'accepted');
  return { loading: links.loading, error: links.error, linked: Boolean(link), name: (link && link.other_party_name) || t('appointments.your_clinician') };
}

/** Booking, step two: a time with the chosen clinician. */
export function BookSlot({ params }) {
  const clinician = useClinicianName(params.clinician);
  const source = slotSource(params.clinician);
  const choose = (startsAt) => navigate(`/appointments/book/${encodeURIComponent(params.clinician)}/${encodeURIComponent(startsAt)}`);
  let body;
  if (clinician.loading) body = html`<${Loading} />`;
  else if (clinician.error) body = html`<${LoadError} error=${clinician.error} />`;
  else if (!clinician.linked) body = html`<p>${t('appointments.not_linked')}</p><p><a href="/appointments/book">${t('appointments.choose_again')}</a></p>`;
  else {
    body = html`
      <p class="lead">${t('appointments.slots_lead', { name: clinician.name })}</p>
      <${SlotStep} source=${source} onChoose=${choose} back="/appointments" backLabel=${t('appointments.back')} />`;
  }
  return html`<${Page} title=${t('appointments.slots_title')}>${body}<//>`;
}

/** A summary list of what is about to happen. */
function Summary({ rows }) {
  return html`
    <dl class="summary-list">
      ${rows.map(([term, value]) => html`<div class="summary-list__row"><dt>${term}</dt><dd>${value}</dd></div>`)}
    </dl>`;
}

/** Booking, step three: check and book. A slot taken meanwhile sends the person back to the times, read again. */
export function ConfirmBooking({ params }) {
  const clinician = useClinicianName(params.clinician);
  const source = slotSource(params.clinician);
  const slot = useData(() => findSlot(source, params.at), [params.clinician, params.at]);
  const form = useForm([]);
  const timesPath = `/appointments/book/${encodeURIComponent(params.clinician)}`;
  const book = () => form.run(() => explained(async () => {
    try {
      const booked = await post(`/api/clinicians/${encodeURIComponent(params.clinician)}/appointments`, { starts_at: slot.data.starts_at });
      flash = t('appointments.booked', { when: whenText(booked.local_start), name: clinicianName(booked) });
      navigate('/appointments');
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'SLOT_TAKEN' || error.code === 'NOT_AN_OPEN_SLOT')) {
        flash = explain(error).message;
        navigate(timesPath);
        return;
      }
      throw error;
    }
  }));
  let body;
  if (clinician.loading || slot.loading) body = html`<${Loading} />`;
  else if (clinician.error || slot.error) body = html`<${LoadError} error=${explain(clinician.error || slot.error)} />`;
  else if (!slot.data) body = html`<p>${t('appointments.slot_gone')}</p><p><a href=${timesPath}>${t('appointments.choose_another')}</a></p>`;
  else {
    body = html`
      <${ErrorSummary} form=${form} />
      <${Summary} rows=${[
        [t('appointments.summary_with'), clinician.name],
        [t('appointments.summary_when'), whenText(slot.data.local_start)],
        [t('appointments.summary_length'), t('appointments.minutes', { minutes: minutesBetween(slot.data.starts_at, slot.data.ends_at) })],
      ]} />
      <div class="button-group">
        <${Button} type="button" busy=${form.busy} onClick=${book}>${t('appointments.book_confirm')}<//>
        <a href=${timesPath}>${t('appointments.choose_another')}</a>
      </div>`;
  }
  return html`<${Page} title=${t('appointments.confirm_title')}>${body}<//>`;
}

// ---- moving ----

function useAppointment(id) {
  return useData(() => get(`/api/appointments/${encodeURIComponent(id)}`), [id]);
}

/** Why an appointment cannot be moved, or null when it can. */
function cannotMove(appointment) {
  if (appointment.state !== 'scheduled') return t('appointments.cannot_move', { state: stateText(appointment) });
  return null;
}

/** Moving, step one: a new time with the same clinician. */
export function Move({ params }) {
  const appointment = useAppointment(params.id);
  let body;
  if (appointment.loading) body = html`<${Loading} />`;
  else if (appointment.error) body = html`<${LoadError} error=${explain(appointment.error)} />`;
  else {
    const current = appointment.data;
    const refusal = cannotMove(current);
    const choose = (startsAt) => navigate(`/appointments/${encodeURIComponent(current.id)}/move/${encodeURIComponent(startsAt)}`);
    body = refusal ? html`<p>${refusal}</p>` : html`
      <p class="lead">${t(isPatient() ? 'appointments.move_lead' : 'appointments.move_lead_clinician', {
        when: whenText(current.local_start), name: isPatient() ? clinicianName(current) : patientName(current),
      })}</p>
      <${SlotStep} source=${slotSource(current.clinician.id)} onChoose=${choose} back="/appointments" backLabel=${t('appointments.back')} />`;
  }
  return html`<${Page} title=${t('appointments.move_title')}>${body}${appointment.error || (appointment.data && cannotMove(appointment.data))
    ? html`<p><a href="/appointments">${t('appointments.back')}</a></p>` : null}<//>`;
}

/** Moving, step two: check and move. Inside the notice period a patient is told to contact their clinician. */
export function ConfirmMove({ params }) {
  const data = useData(async () => {
    const found = await get(`/api/appointments/${encodeURIComponent(params.id)}`);
    return { current: found, slot: found.state === 'scheduled' ? await findSlot(slotSource(found.clinician.id), params.at) : null };
  }, [params.id, params.at]);
  const current = data.data && data.data.current;
  const form = useForm([]);
  const [notice, setNotice] = useState(false);
  const timesPath = `/appointments/${encodeURIComponent(params.id)}/move`;
  const move = () => form.run(() => explained(async () => {
    setNotice(false);
    try {
      const moved = await post(`/api/appointments/${encodeURIComponent(current.id)}/reschedule`, { starts_at: data.data.slot.starts_at });
      flash = t(isPatient() ? 'appointments.moved' : 'appointments.moved_clinician', {
        from: whenText(current.local_start), to: whenText(moved.local_start), name: patientName(moved),
      });
      navigate('/appointments');
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'SLOT_TAKEN' || error.code === 'NOT_AN_OPEN_SLOT')) {
        flash = explain(error).message;
        navigate(timesPath);
        return;
      }
      if (error instanceof ApiError && error.code === 'INSIDE_NOTICE_PERIOD') setNotice(true);
      throw error;
    }
  }));
  let body;
  const slot = data.data && data.data.slot;
  if (data.loading) body = html`<${Loading} />`;
  else if (data.error) body = html`<${LoadError} error=${explain(data.error)} />`;
  else if (cannotMove(current)) body = html`<p>${cannotMove(current)}</p>`;
  else if (!slot) body = html`<p>${t('appointments.slot_gone')}</p><p><a href=${timesPath}>${t('appointments.choose_another')}</a></p>`;
  else {
    body = html`
      <${ErrorSummary} form=${form} />
      ${notice ? html`<p><a href=${`/messages/new?to=${encodeURIComponent(current.clinician.id)}`}>${t('appointments.message_clinician', { name: clinicianName(current) })}</a></p>` : null}
      <${Summary} rows=${[
        [t(isPatient() ? 'appointments.summary_with' : 'appointments.summary_patient'), isPatient() ? clinicianName(current) : patientName(current)],
        [t('appointments.summary_from'), whenText(current.local_start)],
        [t('appointments.summary_to'), whenText(slot.local_start)],
        [t('appointments.summary_length'), t('appointments.minutes', { minutes: minutesBetween(slot.starts_at, slot.ends_at) })],
      ]} />
      <div class="button-group">
        <${Button} type="button" busy=${form.busy} onClick=${move}>${t('appointments.move_confirm')}<//>
        <a href=${timesPath}>${t('appointments.choose_another')}</a>
      </div>`;
  }
  return html`<${Page} title=${t('appointments.move_confirm_title')}>${body}<p><a href="/appointments">${t('appointments.back')}</a></p><//>`;
}
