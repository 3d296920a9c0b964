// One patient's page for their linked clinician: open alerts first, then mood
// over a chosen window (trend with its certainty, the days that stand out),
// questionnaire scores against their bands, courses of care with their NHS
// Talking Therapies outcome, clinical notes, the safety plan (with a suggested
// edit for the patient to accept), and the consents in force. From
// here the clinician downloads the FHIR record for the EHR or discharges the
// patient. Every chart has a table beside it. An admin reads the same page
// with break-glass: read-only, the reason sent with every request.
import { html, useState, useRef, useEffect } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, post, getBlob, saveBlob } from '../api.js';
import { session, clinicianPatientPath } from '../session.js';
import { takeReason, withReason, BREAK_GLASS_MIN_CHARS } from '../break-glass.js';
import { word, number, capital } from '../words.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, TextArea, Select, Button, formValues, required } from '../components/forms.js';
import { LineChart, DataTable, shortDate, mediumDate, longDate } from '../components/chart.js';
import { When } from '../components/time.js';
import { maxTotal } from './questionnaires.js';
import { Courses, ENDINGS } from './courses.js';
import { Notes } from './notes.js';
import { SafetyPlanReview } from './safety-plan-review.js';

// The mood windows offered, in days (the server takes 1 to 365).
const WINDOWS = [7, 14, 28, 90, 365];
const PURPOSES = ['care', 'clinician_sharing', 'research', 'email_notifications'];

/** +0.8 → "+0.8", -0.3 → "−0.3" (a true minus sign, read as "minus"). */
function signed(value) {
  const text = number(Math.abs(value));
  if (Number(value) > 0) return `+${text}`;
  if (Number(value) < 0) return `−${text}`;
  return text;
}

function trendText(mood) {
  const trend = mood.trend;
  if (trend.status !== 'estimated') return t('patient.trend_insufficient', { days: trend.days, needed: trend.days_needed });
  return t('patient.trend_estimated', {
    direction: word('patient.direction', trend.direction),
    slope: signed(trend.slope_per_week),
    certainty: word('patient.certainty', trend.certainty),
  });
}

function reasonText(reason) {
  if (reason.kind === 'drop_from_previous_day') return t('patient.reason.drop', { points: number(reason.points), previous: number(reason.previous) });
  if (reason.kind === 'far_below_mean') return t('patient.reason.below', { sd: number(Math.abs(reason.standard_deviations)) });
  if (reason.kind === 'far_above_mean') return t('patient.reason.above', { sd: number(reason.standard_deviations) });
  return reason.kind;
}

function MoodSection({ mood, days, onDays }) {
  const notable = new Map(mood.notable_days.map((day) => [day.day, day]));
  // Each logged day's mean mood in the window, oldest first (the server's `mood.daily`).
  const daily = mood.daily;
  const reasons = (day) => (notable.has(day) ? notable.get(day).reasons.map(reasonText).join(' ') : '');
  const summary = `${trendText(mood)} ${t('patient.days_logged', { logged: mood.days_logged, days })}`;
  const stats = mood.mood;
  // A long window's table is folded away: the chart's summary says it in a line.
  const table = html`<${DataTable} caption=${t('patient.mood_table_caption')}
    columns=${[t('mood.col_date'), t('patient.col_day_mood'), t('patient.col_stands_out')]}
    rows=${[...daily].reverse().map((day) => [mediumDate(day.day), number(day.mood), reasons(day.day) || '–'])} />`;
  const choose = (event) => {
    const values = formValues(event);
    onDays(Number(values.mood_window) || 28);
  };
  return html`
    <section aria-labelledby="patient-mood">
      <h2 id="patient-mood">${t('patient.mood_title')}</h2>
      <form class="inline-form" onSubmit=${choose} novalidate>
        <${Select} id="mood_window" label=${t('patient.window_label')} value=${days}
          options=${WINDOWS.map((value) => ({ value, label: t('patient.window_days', { days: value }) }))} />
        <${Button} kind="secondary">${t('patient.window_submit')}<//>
      </form>
      <p class="measure"><strong>${trendText(mood)}</strong></p>
      ${stats ? html`
        <dl class="stats">
          <dt>${t('patient.days_logged_label')}</dt><dd>${t('patient.days_of', { logged: mood.days_logged, days })}</dd>
          <dt>${t('patient.mood_mean')}</dt><dd>${t('patient.mean_median', { mean: number(stats.mean), median: number(stats.median) })}</dd>
          <dt>${t('patient.mood_range')}</dt><dd>${t('patient.range', { min: stats.min, max: stats.max })}</dd>
          ${mood.sleep ? html`<dt>${t('patient.sleep_mean')}</dt><dd>${number(mood.sleep.mean)}</dd>` : null}
          ${mood.anxiety ? html`<dt>${t('patient.anxiety_mean')}</dt><dd>${number(mood.anxiety.mean)}</dd>` : null}
          ${mood.current_streak_days ? html`<dt>${t('patient.streak')}</dt><dd>${t('patient.streak_days', { days: mood.current_streak_days })}</dd>` : null}
        </dl>` : null}
      ${mood.notable_days.length ? html`
        <h3>${t('patient.notable_title')}</h3>
        <ul class="measure">${mood.notable_days.map((day) => html`<li>${t('patient.notable_day', { date: longDate(day.day), mood: number(day.mood) })} ${reasons(day.day)}</li>`)}</ul>` : null}
      ${daily.length ? html`
        <div class="chart-and-table">
          <${LineChart} id="patient-mood-chart" title=${t('patient.mood_chart_title', { days })} summary=${summary}
            points=${daily.map((day) => ({ label: shortDate(day.day), value: day.mood, marked: notable.has(day.day) }))} min=${1} max=${10} ticks=${[1, 4, 7, 10]} />
          ${days > 28 ? html`<details><summary>${t('patient.mood_table_show', { count: daily.length })}</summary>${table}</details>` : table}
        </div>` : html`<p>${t('patient.no_moods', { days })}</p>`}
    </section>`;
}

function Trajectory({ trajectory, instrument }) {
  const title = trajectory.title || (instrument && instrument.title) || trajectory.instrument_id;
  const bands = instrument ? instrument.bands : [];
  const bandLabel = (id) => {
    const band = bands.find((candidate) => candidate.id === id);
    return band ? band.label : id || '–';
  };
  const points = trajectory.points;
  const scored = points.filter((point) => typeof point.total === 'number');
  const max = instrument && instrument.questions.length ? maxTotal(instrument) : Math.max(1, ...scored.map((point) => point.total));
  const last = points[points.length - 1];
  const summary = t('patient.scores_summary', {
    count: points.length,
    total: typeof last.total === 'number' ? t('patient.out_of', { total: last.total, max }) : '–',
    band: bandLabel(last.band),
    date: longDate(last.completed_at),
  });
  const id = `trajectory-${trajectory.instrument_id}`;
  return html`
    <section aria-labelledby=${`${id}-title`}>
      <h3 id=${`${id}-title`}>${title}</h3>
      <div class="chart-and-table">
        ${scored.length ? html`<${LineChart} id=${`${id}-chart`} title=${t('questionnaires.chart_title', { title })} summary=${summary}
          points=${scored.map((point) => ({ label: shortDate(point.completed_at), value: point.total }))} min=${0} max=${max}
          ticks=${[...new Set([0, Math.round(max / 3), Math.round((2 * max) / 3), max])]} bands=${bands} />` : html`<p>${summary}</p>`}
        <${DataTable} caption=${t('questionnaires.table_caption', { title })}
          columns=${[t('questionnaires.col_date'), t('questionnaires.col_score'), t('questionnaires.col_band')]}
          rows=${[...points].reverse().map((point) => [mediumDate(point.completed_at), typeof point.total === 'number' ? `${point.total} / ${max}` : '–', bandLabel(point.band)])} />
      </div>
    </section>`;
}

function AlertItem({ alert }) {
  return html`
    <li class=${`alert-summary alert-summary--${alert.severity}`}>
      <p><span class=${`severity severity--${alert.severity}`}>${word('alerts.severity', alert.severity)}</span>
        ${' '}${alert.categories.map((category) => word('alerts.category', category)).join(', ')}</p>
      <p>${word('alerts.source', alert.source)}, <${When} iso=${alert.created_at} />. ${word('alerts.state', alert.state)}.</p>
    </li>`;
}

function AlertsSection({ alerts, days }) {
  return html`
    <section aria-labelledby="patient-alerts">
      <h2 id="patient-alerts">${t('patient.alerts_title')}</h2>
      ${alerts.open.length ? html`
        <p>${t(alerts.open.length === 1 ? 'patient.alerts_open_one' : 'patient.alerts_open_many', { count: alerts.open.length })}</p>
        <ul class="alert-list">${alerts.open.map((alert) => html`<${AlertItem} key=${alert.id} alert=${alert} />`)}</ul>`
    : html`<p>${t('patient.alerts_none_open')}</p>`}
      ${alerts.recent.length ? html`
        <details>
          <summary>${t('patient.alerts_recent', { count: alerts.recent.length, days })}</summary>
          <ul class="alert-list">${alerts.recent.map((alert) => html`<${AlertItem} key=${alert.id} alert=${alert} />`)}</ul>
        </details>` : null}
      <p><a href="/alerts">${t('patient.alerts_link')}</a></p>
    </section>`;
}

function ConsentSection({ consent, safetyPlan }) {
  return html`
    <section aria-labelledby="patient-consent">
      <h2 id="patient-consent">${t('patient.consent_title')}</h2>
      <dl class="stats">
        ${PURPOSES.map((purpose) => consent.find((item) => item.purpose === purpose)).filter(Boolean).map((item) => html`
          <dt>${word('patient.purpose', item.purpose)}</dt>
          <dd>${item.in_force ? t('patient.consent_since', { date: longDate(item.since) }) : t('patient.consent_not')}</dd>`)}
        <dt>${t('patient.safety_plan')}</dt>
        <dd>${safetyPlan ? t('patient.safety_plan_saved', { date: longDate(safetyPlan.updated_at) }) : t('patient.safety_plan_none')}</dd>
      </dl>
    </section>`;
}

/** Discharge: the reason (kept as a clinical note), the ending of an open course, confirmed in a dialog. */
function Discharge({ patientId, name, openCourse, onDone }) {
  const dialog = useRef(null);
  const opener = useRef(null);
  const form = useForm([{ id: 'discharge_reason', server: ['reason'] }, { id: 'discharge_ending', server: ['ending'] }]);
  const open = (event) => {
    opener.current = event.currentTarget;
    form.setErrors([]);
    dialog.current.showModal();
  };
  const submit = (event) => {
    const values = formValues(event);
    form.run(async () => {
      const body = { reason: values.discharge_reason.trim() };
      if (openCourse) body.ending = values.discharge_ending;
      const result = await post(clinicianPatientPath(patientId, '/discharge'), body);
      dialog.current.close();
      onDone(result);
    }, required(values, [['discharge_reason', 'patient.discharge_reason_missing']]));
  };
  return html`
    <${Button} type="button" kind="warning" onClick=${open}>${t('patient.discharge')}<//>
    <dialog ref=${dialog} class="dialog" aria-labelledby="discharge-title" onClose=${() => opener.current && opener.current.focus()}>
      <h2 id="discharge-title">${t('patient.discharge_title', { name })}</h2>
      <p>${t(openCourse ? 'patient.discharge_lead_course' : 'patient.discharge_lead')}</p>
      <${ErrorSummary} form=${form} id="discharge-errors" />
      <form onSubmit=${submit} novalidate>
        <${TextArea} id="discharge_reason" label=${t('patient.discharge_reason')} hint=${t('patient.discharge_reason_hint')} rows="4" maxlength="20000" error=${form.errorFor('discharge_reason')} />
        ${openCourse ? html`<${Select} id="discharge_ending" label=${t('patient.discharge_ending')} value="finished_treatment" error=${form.errorFor('discharge_ending')}
          options=${ENDINGS.map((value) => ({ value, label: capital(word('courses.ending', value)) }))} />` : null}
        <div class="button-group">
          <${Button} kind="warning" busy=${form.busy}>${t('patient.discharge_confirm')}<//>
          <${Button} type="button" kind="secondary" onClick=${() => dialog.current.close()}>${t('patient.discharge_cancel')}<//>
        </div>
      </form>
    </dialog>`;
}

function FhirDownload({ patientId }) {
  const form = useForm([]);
  const [done, setDone] = useState(false);
  const download = () => {
    setDone(false);
    form.run(async () => {
      const blob = await getBlob(clinicianPatientPath(patientId, '/fhir'));
      saveBlob(blob, `healing-fhir-${patientId.slice(0, 8)}-${new Date().toISOString().slice(0, 10)}.json`);
      setDone(true);
    });
  };
  return html`
    <${ErrorSummary} form=${form} id="fhir-errors" />
    <${Button} type="button" kind="secondary" busy=${form.busy} onClick=${download}>${t('patient.fhir')}<//>
    <span role="status">${done ? html`<span class="notice-inline">${t('patient.fhir_done')}</span>` : null}</span>`;
}

function Discharged({ name, result }) {
  // The page changed under the reader: start them at its heading.
  useEffect(() => {
    const heading = document.querySelector('main h1');
    if (heading) heading.focus();
  }, []);
  return html`
    <${Page} title=${t('patient.discharged_title', { name })}>
      <div class="notice notice--success">
        <p>${t('patient.discharged_body')}</p>
        ${result.course ? html`<p>${t('patient.discharged_course', { ending: word('courses.ending', result.course.ending) })}</p>` : null}
      </div>
      <p><a href="/clinician">${t('clinician.back')}</a></p>
    <//>`;
}

/** The notice at the top of a break-glass reading, with the reason as sent. */
function BreakGlassNotice({ reason }) {
  return html`
    <div class="notice">
      <p>${t('breakglass.page_notice')}</p>
      <p><q>${reason}</q></p>
    </div>`;
}

/**
 * The page itself. With `reason` (an admin's break-glass), every read sends
 * it and nothing that writes is offered (the server would refuse it).
 */
function PatientRecord({ id, reason }) {
  const [days, setDays] = useState(28);
  const [discharged, setDischarged] = useState(null);
  const readOnly = Boolean(reason);
  const read = (path) => get(path, reason ? withReason(reason) : {});
  const back = readOnly ? html`<p><a href="/admin">${t('breakglass.back')}</a></p>` : html`<p><a href="/clinician">${t('clinician.back')}</a></p>`;
  const summary = useData(() => read(clinicianPatientPath(id, `/summary?days=${days}`)), [id, days]);
  const instruments = useData(() => get('/api/instruments'), []);
  const courses = useData(() => read(clinicianPatientPath(id, '/courses')), [id]);
  const error = summary.error || instruments.error;
  if (discharged) return html`<${Discharged} name=${discharged.name} result=${discharged.result} />`;
  if (error) {
    const denied = error.status === 403 || error.status === 404;
    if (readOnly) {
      return html`
        <${Page} title=${denied ? t('breakglass.refused_title') : t('patient.title')}>
          ${denied ? html`<div class="notice"><p>${t('breakglass.refused_body', { min: BREAK_GLASS_MIN_CHARS })}</p></div>` : html`<${LoadError} error=${error} />`}
          ${back}
        <//>`;
    }
    return html`
      <${Page} title=${denied ? t('clinician.denied_title') : t('patient.title')}>
        ${denied ? html`<div class="notice"><p>${t('clinician.denied_body')}</p></div>` : html`<${LoadError} error=${error} />`}
        ${back}
      <//>`;
  }
  if (!summary.data || !instruments.data) return html`<${Page} title=${t('patient.title')}>${readOnly ? html`<${BreakGlassNotice} reason=${reason} />` : null}<${Loading} /><//>`;
  const data = summary.data;
  const name = data.display_name;
  const changed = () => {
    courses.reload();
    summary.reload();
  };
  // Discharge closes the caller's own open course, if any.
  const openCourse = (courses.data || []).find((course) => course.state === 'open' && course.clinician_id === session().user.id);
  return html`
    <${Page} title=${name}>
      ${back}
      ${readOnly ? html`<${BreakGlassNotice} reason=${reason} />` : null}
      <nav class="contents" aria-label=${t('patient.contents')}>
        <ul>
          <li><a href="#patient-alerts">${t('patient.alerts_title')}</a></li>
          <li><a href="#patient-mood">${t('patient.mood_title')}</a></li>
          <li><a href="#patient-scores">${t('patient.scores_title')}</a></li>
          <li><a href="#patient-courses">${t('courses.title')}</a></li>
          <li><a href="#patient-notes">${t('notes.title')}</a></li>
          <li><a href="#patient-safety-plan">${t('safety_plan.review_title')}</a></li>
          <li><a href="#patient-consent">${t('patient.consent_title')}</a></li>
        </ul>
      </nav>
      ${readOnly ? null : html`
        <div class="button-group">
          <a class="button button--secondary" href=${`/messages/new?to=${encodeURIComponent(id)}`}>${t('patient.message_link', { name })}</a>
          <${FhirDownload} patientId=${id} />
          <${Discharge} patientId=${id} name=${name} openCourse=${openCourse} onDone=${(result) => setDischarged({ name, result })} />
        </div>`}
      <${AlertsSection} alerts=${data.alerts} days=${days} />
      <${MoodSection} mood=${data.mood} days=${days} onDays=${setDays} />
      <section aria-labelledby="patient-scores">
        <h2 id="patient-scores">${t('patient.scores_title')}</h2>
        ${data.trajectories.length
    ? data.trajectories.map((trajectory) => html`<${Trajectory} key=${trajectory.instrument_id} trajectory=${trajectory}
          instrument=${instruments.data.find((instrument) => instrument.id === trajectory.instrument_id)} />`)
    : html`<p>${t('clinician.no_scores')}</p>`}
      </section>
      <${Courses} patientId=${id} courses=${courses} onChange=${changed} readOnly=${readOnly} />
      <${Notes} patientId=${id} courses=${courses.data || []} onAlert=${summary.reload} read=${read} readOnly=${readOnly} />
      <${SafetyPlanReview} patientId=${id} name=${name} read=${read} readOnly=${readOnly} />
      <${ConsentSection} consent=${data.consent} safetyPlan=${data.safety_plan} />
    <//>`;
}

/** A linked clinician's page on one patient. */
export function Patient({ params }) {
  return html`<${PatientRecord} id=${params.id} />`;
}

/** An admin's break-glass reading; the reason comes from the users screen's dialog. */
export function BreakGlassPatient({ params }) {
  const [reason] = useState(() => takeReason(params.id));
  if (!reason) {
    return html`
      <${Page} title=${t('breakglass.no_reason_title')}>
        <p class="measure">${t('breakglass.no_reason_body')}</p>
        <p><a href="/admin">${t('breakglass.back')}</a></p>
      <//>`;
  }
  return html`<${PatientRecord} id=${params.id} reason=${reason} />`;
}
