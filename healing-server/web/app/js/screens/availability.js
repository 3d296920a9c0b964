// A clinician's availability: the weekly times patients can book (each a day,
// a start and a length, in UK time) and the days off (leave, bank holidays).
// Times are added as one appointment or a run of them from a start to an end,
// and removed one at a time; every change saves the whole availability in the
// API's shape at once, so what is on screen is what patients can book.
// Mistakes are said next to the field, before sending where the screen can
// tell and from the server's answer where it cannot.
import { html, useState, useEffect, useRef } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, put, ApiError } from '../api.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, ErrorMessage, Select, Button, formValues } from '../components/forms.js';
import { clock, dayText } from '../components/slots.js';

// The server's limits (healing_store::schedule).
const MIN_LENGTH = 10;
const MAX_LENGTH = 240;
const MAX_WEEKLY = 200;
const MAX_CLOSURES = 200;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const BREAKS = [0, 5, 10, 15, 20, 30];

const dayName = (weekday) => t(`availability.weekday.${weekday}`);

/** "09:30" as minutes after midnight, or null. */
function minutesOf(text) {
  const match = /^(\d{1,2}):(\d{2})$/.exec(String(text || '').trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
}

const startOf = (slot) => minutesOf(slot.start);
const sortWeekly = (weekly) => [...weekly].sort((a, b) => a.weekday - b.weekday || startOf(a) - startOf(b));
const sortClosures = (closures) => [...closures].sort((a, b) => a.first_day.localeCompare(b.first_day));

/** The body `PUT /api/me/availability` takes. */
function body(availability) {
  return {
    weekly: availability.weekly.map(({ weekday, start, length_minutes: length }) => ({ weekday, start, length_minutes: length })),
    closures: availability.closures.map(({ first_day: first, last_day: last }) => ({ first_day: first, last_day: last })),
  };
}

/** A list in words: "09:00, 09:50 and 10:40". */
function listed(items) {
  if (items.length < 2) return items.join('');
  return t('availability.and', { first: items.slice(0, -1).join(', '), last: items[items.length - 1] });
}

/**
 * The server's refusal of an availability, next to the field it is about: the
 * server names the rule broken ("two slots on weekday 2 overlap"); the screen
 * says it in the catalogue's words.
 */
function fieldError(error, form) {
  if (!(error instanceof ApiError)) return error;
  const server = (error.serverMessage || '').toLowerCase();
  const rules = form === 'closure'
    ? [[/first_day/, 'first_day', 'availability.first_day_invalid'], [/last_day|closure ends/, 'last_day', 'availability.last_day_before'],
      [/at most/, null, 'availability.too_many']]
    : [[/^start/, 'start', 'availability.start_invalid'], [/minutes long/, 'length', 'availability.length_invalid'],
      [/overlap/, 'start', 'availability.overlap_server'], [/past midnight/, 'end', 'availability.past_midnight'],
      [/at most/, null, 'availability.too_many']];
  const found = rules.find(([pattern]) => pattern.test(server));
  if (!found) return error;
  // The field's id leads the message, as the form matches a server message to its field.
  return new ApiError(error.status, error.code, t(found[2]), found[1] || '');
}

/** A time input with its label, hint and error. */
function TimeField({ id, label, hint, error, value }) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return html`
    <div class=${`form-group${error ? ' form-group--error' : ''}`}>
      <label for=${id}>${label}</label>
      ${hint ? html`<span class="hint" id=${`${id}-hint`}>${hint}</span>` : null}
      <${ErrorMessage} id=${id} message=${error} />
      <input id=${id} name=${id} type="time" step="300" defaultValue=${value} class="input--time"
        aria-invalid=${error ? 'true' : undefined} aria-describedby=${described} />
    </div>`;
}

/** A date or number input with its label, hint and error. */
function Field({ id, label, hint, error, type, value, min, max, inputmode }) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return html`
    <div class=${`form-group${error ? ' form-group--error' : ''}`}>
      <label for=${id}>${label}</label>
      ${hint ? html`<span class="hint" id=${`${id}-hint`}>${hint}</span>` : null}
      <${ErrorMessage} id=${id} message=${error} />
      <input id=${id} name=${id} type=${type} defaultValue=${value} min=${min} max=${max} inputmode=${inputmode}
        class=${type === 'number' ? 'input--short' : 'input--date'} aria-invalid=${error ? 'true' : undefined} aria-describedby=${described} />
    </div>`;
}

/** The slots a run from `start` to `end` holds, `length` long with `gap` between. */
function run(start, end, length, gap) {
  const starts = [];
  for (let at = start; at + length <= end; at += length + gap) starts.push(at);
  return starts;
}

function AddWeekly({ availability, save }) {
  const form = useForm([{ id: 'weekday' }, { id: 'start' }, { id: 'end' }, { id: 'length' }, { id: 'break' }]);
  const submit = (event) => {
    const values = formValues(event);
    const weekday = Number(values.weekday);
    const start = minutesOf(values.start);
    const end = minutesOf(values.end);
    const length = Number(values.length);
    const gap = Number(values.break) || 0;
    const problems = [];
    if (!values.start) problems.push({ field: 'start', message: t('availability.start_missing') });
    else if (start === null) problems.push({ field: 'start', message: t('availability.start_invalid') });
    if (!values.end) problems.push({ field: 'end', message: t('availability.end_missing') });
    else if (end === null) problems.push({ field: 'end', message: t('availability.end_invalid') });
    if (!values.length || !Number.isInteger(length) || length < MIN_LENGTH || length > MAX_LENGTH) {
      problems.push({ field: 'length', message: t('availability.length_invalid') });
    }
    let starts = [];
    if (!problems.length) {
      if (end <= start) problems.push({ field: 'end', message: t('availability.end_before_start') });
      else {
        starts = run(start, end, length, gap);
        if (!starts.length) problems.push({ field: 'end', message: t('availability.end_too_soon', { minutes: length }) });
      }
    }
    if (!problems.length) {
      const clash = availability.weekly.filter((slot) => slot.weekday === weekday
        && starts.some((at) => at < startOf(slot) + slot.length_minutes && startOf(slot) < at + length));
      if (clash.length) {
        problems.push({ field: 'start', message: t('availability.overlap', { day: dayName(weekday), times: listed(clash.map((slot) => slot.start)) }) });
      } else if (availability.weekly.length + starts.length > MAX_WEEKLY) {
        problems.push({ field: null, message: t('availability.too_many') });
      }
    }
    form.run(async () => {
      const added = starts.map((at) => ({ weekday, start: clock(at), length_minutes: length }));
      await save({ ...availability, weekly: [...availability.weekly, ...added] }, 'weekly',
        t(added.length === 1 ? 'availability.added_one' : 'availability.added_many', {
          count: added.length, day: dayName(weekday), times: listed(added.map((slot) => slot.start)), minutes: length,
        }));
    }, problems);
  };
  return html`
    <h3 id="availability-add-weekly">${t('availability.add_weekly_title')}</h3>
    <p>${t('availability.add_weekly_lead')}</p>
    <${ErrorSummary} form=${form} id="weekly-errors" />
    <form onSubmit=${submit} novalidate aria-labelledby="availability-add-weekly">
      <${Select} id="weekday" label=${t('availability.day')} options=${WEEKDAYS.map((day) => ({ value: day, label: dayName(day) }))} value="1" />
      <${TimeField} id="start" label=${t('availability.start')} hint=${t('availability.start_hint')} error=${form.errorFor('start')} value="09:00" />
      <${TimeField} id="end" label=${t('availability.end')} hint=${t('availability.end_hint')} error=${form.errorFor('end')} value="12:00" />
      <${Field} id="length" type="number" inputmode="numeric" min=${MIN_LENGTH} max=${MAX_LENGTH} value="50" label=${t('availability.length')}
        hint=${t('availability.length_hint', { min: MIN_LENGTH, max: MAX_LENGTH })} error=${form.errorFor('length')} />
      <${Select} id="break" label=${t('availability.break')} value="0"
        options=${BREAKS.map((minutes) => ({ value: minutes, label: minutes ? t('availability.break_minutes', { minutes }) : t('availability.break_none') }))} />
      <${Button} busy=${form.busy}>${t('availability.add_weekly')}<//>
    </form>`;
}

function AddClosure({ availability, save }) {
  const form = useForm([{ id: 'first_day' }, { id: 'last_day' }]);
  const submit = (event) => {
    const values = formValues(event);
    const date = /^\d{4}-\d{2}-\d{2}$/;
    const problems = [];
    if (!values.first_day) problems.push({ field: 'first_day', message: t('availability.first_day_missing') });
    else if (!date.test(values.first_day)) problems.push({ field: 'first_day', message: t('availability.first_day_invalid') });
    const last = values.last_day || values.first_day;
    if (values.last_day && !date.test(values.last_day)) problems.push({ field: 'last_day', message: t('availability.last_day_invalid') });
    else if (!problems.length && last < values.first_day) problems.push({ field: 'last_day', message: t('availability.last_day_before') });
    if (!problems.length && availability.closures.length >= MAX_CLOSURES) problems.push({ field: null, message: t('availability.too_many') });
    form.run(async () => {
      await save({ ...availability, closures: [...availability.closures, { first_day: values.first_day, last_day: last }] }, 'closure',
        last === values.first_day ? t('availability.closure_added_one', { day: dayText(last) })
          : t('availability.closure_added', { first: dayText(values.first_day), last: dayText(last) }));
    }, problems);
  };
  return html`
    <h3 id="availability-add-closure">${t('availability.add_closure_title')}</h3>
    <${ErrorSummary} form=${form} id="closure-errors" />
    <form onSubmit=${submit} novalidate aria-labelledby="availability-add-closure">
      <${Field} id="first_day" type="date" label=${t('availability.first_day')} error=${form.errorFor('first_day')} />
      <${Field} id="last_day" type="date" label=${t('availability.last_day')} hint=${t('availability.last_day_hint')} error=${form.errorFor('last_day')} />
      <${Button} busy=${form.busy}>${t('availability.add_closure')}<//>
    </form>`;
}

export function Availability() {
  const data = useData(() => get('/api/me/availability'));
  const [availability, setAvailability] = useState(null);
  const [notice, setNotice] = useState(null);
  const removeForm = useForm([]);
  const said = useRef(null);
  useEffect(() => {
    if (data.data) setAvailability({ weekly: sortWeekly(data.data.weekly), closures: sortClosures(data.data.closures) });
  }, [data.data]);
  /** Saves the whole availability; the server's answer is what is shown. */
  const save = async (next, form, words) => {
    setNotice(null);
    try {
      const stored = await put('/api/me/availability', body(next));
      setAvailability({ weekly: sortWeekly(stored.weekly), closures: sortClosures(stored.closures) });
    } catch (error) {
      throw fieldError(error, form);
    }
    setNotice(words);
    requestAnimationFrame(() => said.current && said.current.focus());
  };
  const remove = (next, words) => removeForm.run(() => save(next, 'remove', words));
  let content;
  if (data.loading || (!data.error && !availability)) content = html`<${Loading} />`;
  else if (data.error) content = html`<${LoadError} error=${data.error} />`;
  else {
    const { weekly, closures } = availability;
    content = html`
      <${ErrorSummary} form=${removeForm} id="remove-errors" />
      <section aria-labelledby="availability-weekly">
        <h2 id="availability-weekly">${t('availability.weekly_title')}</h2>
        ${weekly.length ? WEEKDAYS.filter((day) => weekly.some((slot) => slot.weekday === day)).map((day) => html`
          <h3 id=${`availability-day-${day}`}>${dayName(day)}</h3>
          <ul class="time-list" aria-labelledby=${`availability-day-${day}`}>
            ${weekly.map((slot, index) => ({ slot, index })).filter(({ slot }) => slot.weekday === day).map(({ slot, index }) => {
              const end = clock(startOf(slot) + slot.length_minutes);
              const what = t('availability.slot_words', { day: dayName(slot.weekday), start: slot.start, end });
              return html`<li key=${slot.start}>
                <span>${t('availability.slot_line', { start: slot.start, end, minutes: slot.length_minutes })}</span>
                <${Button} type="button" kind="secondary" busy=${removeForm.busy}
                  onClick=${() => remove({ ...availability, weekly: weekly.filter((_, at) => at !== index) }, t('availability.removed', { what }))}>
                  ${t('availability.remove')}<span class="visually-hidden"> ${what}</span><//>
              </li>`;
            })}
          </ul>`) : html`<p>${t('availability.weekly_none')}</p>`}
        <${AddWeekly} availability=${availability} save=${save} />
      </section>
      <section aria-labelledby="availability-closures">
        <h2 id="availability-closures">${t('availability.closures_title')}</h2>
        <p>${t('availability.closures_lead')}</p>
        ${closures.length ? html`
          <ul class="time-list" aria-labelledby="availability-closures">
            ${closures.map((closure, index) => {
              const what = closure.first_day === closure.last_day ? dayText(closure.first_day)
                : t('availability.closure_words', { first: dayText(closure.first_day), last: dayText(closure.last_day) });
              return html`<li key=${`${closure.first_day}-${closure.last_day}-${index}`}>
                <span>${what}</span>
                <${Button} type="button" kind="secondary" busy=${removeForm.busy}
                  onClick=${() => remove({ ...availability, closures: closures.filter((_, at) => at !== index) }, t('availability.closure_removed', { what }))}>
                  ${t('availability.remove')}<span class="visually-hidden"> ${what}</span><//>
              </li>`;
            })}
          </ul>` : html`<p>${t('availability.closures_none')}</p>`}
        <${AddClosure} availability=${availability} save=${save} />
      </section>`;
  }
  return html`
    <${Page} title=${t('availability.title')} lead=${t('availability.lead')}>
      <p><a href="/appointments">${t('availability.appointments_link')}</a></p>
      <div role="status" tabindex="-1" ref=${said} class="said">${notice ? html`<div class="notice notice--success"><p>${notice}</p></div>` : null}</div>
      ${content}
    <//>`;
}
