// Courses of care on a patient's page: open one with the patient's main
// problem (which decides the anxiety measure paired with the PHQ-9), record
// each session with the measures taken, close it with how it ended, and read
// the NHS Talking Therapies outcome the server keeps, each finding with its
// reasoning. Only the clinician who opened a course records in it.
import { html, useState } from '../../vendor/preact-htm.module.js';
import { t, sentence } from '../i18n.js';
import { post } from '../api.js';
import { session, clinicianPatientPath } from '../session.js';
import { word, capital, reasonAfterName } from '../words.js';
import { Loading, LoadError } from '../components/layout.js';
import { useFocusAfterReload } from '../components/data.js';
import { useForm, ErrorSummary, TextField, Select, Button, formValues } from '../components/forms.js';
import { DataTable, longDate } from '../components/chart.js';
import { dateTime, shortDateTime } from '../components/time.js';

// The names the courses API takes (routes/courses.rs documents each list).
export const PROBLEMS = ['depression', 'generalised_anxiety', 'mixed_anxiety_and_depression', 'social_anxiety', 'panic_disorder',
  'agoraphobia', 'post_traumatic_stress', 'obsessive_compulsive', 'health_anxiety', 'specific_phobia', 'other'];
export const ENDINGS = ['finished_treatment', 'dropped_out', 'ended_by_service', 'referred_on', 'declined_treatment', 'other'];
const KINDS = ['treatment', 'assessment', 'assessment_and_treatment', 'review_and_treatment', 'review_without_treatment', 'other'];
const ATTENDANCE = ['attended', 'did_not_attend', 'cancelled_by_patient', 'cancelled_by_service'];
// A score as the API takes it: a whole number, or a decimal with up to two places (the Mobility Inventory's mean).
const SCORE = /^\d{1,3}(\.\d{1,2})?$/;

function measureName(measure) {
  return word('courses.measure', measure);
}

/** "2026-12-01T10:30" (a datetime-local value, the reader's time) → RFC 3339 in UTC, to the second. */
function instant(local) {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function OpenCourse({ patientId, onOpened }) {
  const form = useForm([{ id: 'course_problem', server: ['problem_descriptor'] }], { CONFLICT: 'courses.already_open' });
  const submit = (event) => {
    const values = formValues(event);
    const local = values.course_problem ? [] : [{ field: 'course_problem', message: t('courses.problem_missing') }];
    form.run(async () => onOpened(await post(clinicianPatientPath(patientId, '/courses'), { problem_descriptor: values.course_problem })), local);
  };
  return html`
    <div class="measure form-block">
      <h3>${t('courses.open_title')}</h3>
      <${ErrorSummary} form=${form} id="open-course-errors" />
      <form onSubmit=${submit} novalidate>
        <${Select} id="course_problem" label=${t('courses.problem')} hint=${t('courses.problem_hint')} error=${form.errorFor('course_problem')}
          options=${[{ value: '', label: t('courses.problem_choose') }, ...PROBLEMS.map((value) => ({ value, label: capital(word('courses.problem_name', value)) }))]} />
        <${Button} busy=${form.busy}>${t('courses.open_submit')}<//>
      </form>
    </div>`;
}

function RecordSession({ patientId, course, onRecorded }) {
  const measures = ['phq9', 'gad7', course.recommended_anxiety_measure].filter((value, index, all) => all.indexOf(value) === index);
  const form = useForm([
    { id: 'session_at', server: ['at'] },
    { id: 'session_kind', server: ['kind'] },
    { id: 'session_attendance', server: ['attendance', 'scores are recorded'] },
    ...measures.map((measure) => ({ id: `score_${measure}`, server: [`score for ${measure}`] })),
  ]);
  const submit = (event) => {
    const target = event.currentTarget;
    const values = formValues(event);
    const local = [];
    const at = values.session_at ? instant(values.session_at) : null;
    if (values.session_at && !at) local.push({ field: 'session_at', message: t('courses.at_invalid') });
    const scores = [];
    for (const measure of measures) {
      const value = (values[`score_${measure}`] || '').trim();
      if (!value) continue;
      if (!SCORE.test(value)) local.push({ field: `score_${measure}`, message: t('courses.score_invalid', { measure: measureName(measure) }) });
      scores.push({ measure, value });
    }
    if (scores.length && values.session_attendance !== 'attended') {
      local.push({ field: 'session_attendance', message: t('courses.scores_need_attendance') });
    }
    form.run(async () => {
      const body = { kind: values.session_kind, attendance: values.session_attendance, scores };
      if (at) body.at = at;
      const updated = await post(clinicianPatientPath(patientId, `/courses/${encodeURIComponent(course.id)}/sessions`), body);
      target.reset();
      onRecorded(updated);
    }, local);
  };
  return html`
    <div class="measure">
      <h4>${t('courses.session_title')}</h4>
      <${ErrorSummary} form=${form} id="session-errors" />
      <form onSubmit=${submit} novalidate>
        <${TextField} id="session_at" type="datetime-local" label=${t('courses.session_at')} hint=${t('courses.session_at_hint')} error=${form.errorFor('session_at')} />
        <${Select} id="session_kind" label=${t('courses.session_kind')} value="treatment" error=${form.errorFor('session_kind')}
          options=${KINDS.map((value) => ({ value, label: word('courses.kind', value) }))} />
        <${Select} id="session_attendance" label=${t('courses.session_attendance')} value="attended" error=${form.errorFor('session_attendance')}
          options=${ATTENDANCE.map((value) => ({ value, label: word('courses.attendance', value) }))} />
        <fieldset>
          <legend>${t('courses.scores_legend')}</legend>
          <span class="hint">${t('courses.scores_hint')}</span>
          ${measures.map((measure) => html`
            <${TextField} id=${`score_${measure}`} className="input--score" inputmode="decimal" autocomplete="off"
              label=${t('courses.score_label', { measure: measureName(measure) })} hint=${word('courses.range', measure)} error=${form.errorFor(`score_${measure}`)} />`)}
        </fieldset>
        <${Button} busy=${form.busy}>${t('courses.session_submit')}<//>
      </form>
    </div>`;
}

function CloseCourse({ patientId, course, onClosed }) {
  const form = useForm([{ id: 'course_ending', server: ['ending'] }], { CONFLICT: 'courses.already_closed' });
  const submit = (event) => {
    const values = formValues(event);
    form.run(async () => onClosed(await post(clinicianPatientPath(patientId, `/courses/${encodeURIComponent(course.id)}/close`), { ending: values.course_ending })));
  };
  return html`
    <div class="measure">
      <h4>${t('courses.close_title')}</h4>
      <${ErrorSummary} form=${form} id="close-course-errors" />
      <form onSubmit=${submit} novalidate>
        <${Select} id="course_ending" label=${t('courses.ending_label')} hint=${t('courses.ending_hint')} value="finished_treatment" error=${form.errorFor('course_ending')}
          options=${ENDINGS.map((value) => ({ value, label: capital(word('courses.ending', value)) }))} />
        <${Button} kind="secondary" busy=${form.busy}>${t('courses.close_submit')}<//>
      </form>
    </div>`;
}

function Change({ change }) {
  if (!change) return t('courses.not_paired');
  return html`${t('courses.first_last', { first: change.first, last: change.last, change: change.change })}
    ${' '}<strong>${word('courses.reliable', change.reliable_change)}</strong>`;
}

function Finding({ label, finding }) {
  if (!finding) return null;
  return html`<dt>${label}</dt><dd><strong>${word('courses.finding', finding.value)}.</strong> ${reasonAfterName(finding.reasoning)}</dd>`;
}

/** The course's NHS Talking Therapies outcome as the server keeps it. */
export function Outcome({ outcome, final }) {
  if (!outcome) return html`<p>${t(final ? 'courses.no_outcome_closed' : 'courses.no_outcome')}</p>`;
  const measured = outcome.status === 'measured';
  return html`
    <div class="outcome">
      <h4>${t(final ? 'courses.outcome_final' : 'courses.outcome_so_far')}</h4>
      <p><strong>${word('courses.status', outcome.status)}</strong>${outcome.reasoning ? html`. ${reasonAfterName(outcome.reasoning)}` : null}</p>
      <dl class="stats">
        <dt>${t('courses.treatment_sessions')}</dt><dd>${outcome.treatment_sessions}</dd>
        <dt>${t('courses.depression', { measure: measureName('phq9') })}</dt><dd><${Change} change=${outcome.depression} /></dd>
        <dt>${t('courses.anxiety', { measure: measureName(outcome.anxiety_measure) })}</dt><dd><${Change} change=${outcome.anxiety} /></dd>
        ${measured ? html`
          <dt>${t('courses.caseness_start')}</dt><dd>${word('courses.caseness', outcome.caseness_at_start)}</dd>
          <dt>${t('courses.caseness_end')}</dt><dd>${word('courses.caseness', outcome.caseness_at_end)}</dd>` : null}
      </dl>
      ${measured ? html`
        <dl class="findings">
          <${Finding} label=${t('courses.recovery')} finding=${outcome.recovery} />
          <${Finding} label=${t('courses.reliable_change')} finding=${outcome.reliable_change} />
          <${Finding} label=${t('courses.reliable_recovery')} finding=${outcome.reliable_recovery} />
        </dl>` : null}
      <p class="hint">${sentence(outcome.anxiety_measure_reasoning)}</p>
    </div>`;
}

function scoresText(scores) {
  if (!scores.length) return '–';
  return scores.map((score) => `${measureName(score.measure)} ${score.value}`).join(', ');
}

function CourseCard({ patientId, course, mine, notice, onChanged }) {
  const open = course.state === 'open';
  return html`
    <article class="card course" aria-labelledby=${`course-${course.id}-title`}>
      <h3 id=${`course-${course.id}-title`} tabindex="-1">${t('courses.course_of', { problem: word('courses.problem_name', course.problem_descriptor) })}</h3>
      <p>${open ? t('courses.opened', { date: longDate(course.opened_at) }) : t('courses.closed', { opened: longDate(course.opened_at), date: longDate(course.closed_at), ending: word('courses.ending', course.ending) })}
        ${' '}${t(mine ? 'courses.with_you' : 'courses.with_other')}</p>
      <div role="status">${notice ? html`<div class="notice notice--success"><p>${notice}</p></div>` : null}</div>
      ${course.sessions.length ? html`<${DataTable} caption=${t('courses.sessions_caption')}
        columns=${[t('courses.col_when'), t('courses.col_kind'), t('courses.col_attendance'), t('courses.col_scores')]}
        rows=${course.sessions.map((item) => [shortDateTime(item.at), word('courses.kind', item.kind), word('courses.attendance', item.attendance), scoresText(item.scores)])} />`
    : html`<p>${t('courses.no_sessions')}</p>`}
      <${Outcome} outcome=${course.outcome} final=${!open} />
      ${open && mine ? html`
        <${RecordSession} patientId=${patientId} course=${course} onRecorded=${(updated) => onChanged(updated, 'courses.session_recorded')} />
        <${CloseCourse} patientId=${patientId} course=${course} onClosed=${(updated) => onChanged(updated, 'courses.closed_notice')} />` : null}
    </article>`;
}

/** The courses section; `courses` is the page's read of the courses list; `readOnly` offers no forms. */
export function Courses({ patientId, courses, onChange, readOnly = false }) {
  const me = session().user.id;
  const [notice, setNotice] = useState(null);
  const focusNext = useFocusAfterReload(courses.data);
  const changed = (course, key) => {
    setNotice({ id: course.id, text: t(key) });
    // Opening or closing takes its form away: focus goes to the course. A session
    // keeps focus in its form, ready for the next.
    if (key !== 'courses.session_recorded') focusNext(`course-${course.id}-title`);
    onChange();
  };
  let body;
  if (courses.error) body = html`<${LoadError} error=${courses.error} />`;
  else if (!courses.data) body = html`<${Loading} />`;
  else {
    const list = [...courses.data].reverse();
    const mineOpen = list.some((course) => course.state === 'open' && course.clinician_id === me);
    body = html`
      ${list.length ? null : html`<p>${t('courses.none')}</p>`}
      ${mineOpen || readOnly ? null : html`<${OpenCourse} patientId=${patientId} onOpened=${(course) => changed(course, 'courses.opened_notice')} />`}
      ${list.map((course) => html`<${CourseCard} key=${course.id} patientId=${patientId} course=${course} mine=${!readOnly && course.clinician_id === me}
        notice=${notice && notice.id === course.id ? notice.text : null} onChanged=${changed} />`)}`;
  }
  return html`
    <section aria-labelledby="patient-courses">
      <h2 id="patient-courses">${t('courses.title')}</h2>
      <p class="measure">${t('courses.lead')}</p>
      ${body}
    </section>`;
}

/** "Session on 1 December 2026 (treatment)", to attach a note to it. */
export function sessionLabel(item) {
  return t('courses.session_option', { date: dateTime(item.at), kind: word('courses.kind', item.kind) });
}
