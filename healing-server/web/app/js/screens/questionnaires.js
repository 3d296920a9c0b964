// Questionnaires rendered from GET /api/instruments: one question at a time
// on a phone (or all on one page, if the person prefers), the result's band
// explained in plain words, and each questionnaire's history as chart + table.
import { html, useState, useRef, useEffect } from '../../vendor/preact-htm.module.js';
import { t, has } from '../i18n.js';
import { get, post } from '../api.js';
import { patientPath } from '../session.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, Radios, Button } from '../components/forms.js';
import { LineChart, DataTable, shortDate, longDate } from '../components/chart.js';

/** Instruments whose wording Healing may show (every item and option has text). */
function renderable(instrument) {
  return instrument.questions.length > 0
    && instrument.questions.every((question) => question.text && question.options.every((option) => option.label));
}

export function maxTotal(instrument) {
  return instrument.questions.reduce((sum, question) => sum + Math.max(...question.options.map((option) => option.value)), 0);
}

function bandLabel(instrument, id) {
  const band = instrument.bands.find((candidate) => candidate.id === id);
  return band ? band.label : t('questionnaires.no_band');
}

export function History({ instrument, results, who = 'you' }) {
  const mine = results.filter((result) => result.instrument_id === instrument.id)
    .sort((a, b) => a.completed_at.localeCompare(b.completed_at));
  if (!mine.length) return html`<p>${t(`questionnaires.${who}_none`, { title: instrument.title })}</p>`;
  const last = mine[mine.length - 1];
  const summary = t('questionnaires.history_summary', { count: mine.length, total: last.total, max: maxTotal(instrument), band: bandLabel(instrument, last.band).toLowerCase() });
  const max = maxTotal(instrument);
  return html`
    <div class="chart-and-table">
      <${LineChart} id=${`history-${instrument.id}-${who}`} title=${t('questionnaires.chart_title', { title: instrument.title })} summary=${summary}
        points=${mine.map((result) => ({ label: shortDate(result.completed_at), value: result.total }))} min=${0} max=${max}
        ticks=${[0, Math.round(max / 3), Math.round((2 * max) / 3), max]} />
      <${DataTable} caption=${t('questionnaires.table_caption', { title: instrument.title })}
        columns=${[t('questionnaires.col_date'), t('questionnaires.col_score'), t('questionnaires.col_band')]}
        rows=${[...mine].reverse().map((result) => [longDate(result.completed_at), `${result.total} / ${max}`, bandLabel(instrument, result.band)])} />
    </div>`;
}

export function Questionnaires() {
  const data = useData(async () => {
    const [instruments, results] = await Promise.all([get('/api/instruments'), get(patientPath('/assessments'))]);
    return { instruments: instruments.filter(renderable), results };
  });
  return html`
    <${Page} title=${t('questionnaires.title')} lead=${t('questionnaires.lead')}>
      ${data.loading ? html`<${Loading} />` : data.error ? html`<${LoadError} error=${data.error} />` : html`
        <ul class="measure">
          ${data.data.instruments.map((instrument) => html`
            <li><a href=${`/questionnaires/${instrument.id}`}>${instrument.title}</a> <span class="muted">${t('questionnaires.question_count', { count: instrument.questions.length })}</span></li>`)}
        </ul>
        ${data.data.instruments.filter((instrument) => data.data.results.some((result) => result.instrument_id === instrument.id)).map((instrument) => html`
          <section aria-labelledby=${`history-title-${instrument.id}`}>
            <h2 id=${`history-title-${instrument.id}`}>${t('questionnaires.history_title', { title: instrument.title })}</h2>
            <${History} instrument=${instrument} results=${data.data.results} />
          </section>`)}`}
    <//>`;
}

function Result({ instrument, outcome, results }) {
  const heading = useRef(null);
  useEffect(() => {
    if (heading.current) heading.current.focus();
  }, []);
  const band = outcome.score.band;
  const bandId = band ? band.id : null;
  const range = instrument.bands.find((candidate) => candidate.id === bandId);
  const explanationKey = `questionnaires.bands.${bandId}`;
  return html`
    <h2 tabindex="-1" ref=${heading}>${t('questionnaires.result_title')}</h2>
    <div class="notice notice--success">
      <p>${t('questionnaires.result_total', { total: outcome.assessment.total, max: maxTotal(instrument) })}</p>
      ${band ? html`<p class="result-band">${band.label}</p>` : null}
      ${range ? html`<p>${t('questionnaires.result_range', { label: band.label.toLowerCase(), lowest: range.lowest, highest: range.highest })}</p>` : null}
      <p>${has(explanationKey) ? t(explanationKey) : t('questionnaires.bands.other')}</p>
      <p>${t('questionnaires.not_a_diagnosis')}</p>
    </div>
    ${outcome.needs_clinician_review ? html`
      <div class="care-card">
        <h2>${t('questionnaires.review_title')}</h2>
        <p>${t('questionnaires.review_body')}</p>
        <p><a class="call-link" href="/crisis">${t('crisis.button')}</a></p>
      </div>` : null}
    <h2>${t('questionnaires.history_title', { title: instrument.title })}</h2>
    <${History} instrument=${instrument} results=${results} />
    <p><a href="/questionnaires">${t('questionnaires.back')}</a></p>`;
}

function Questions({ instrument, onDone }) {
  const narrow = window.matchMedia('(max-width: 40em)').matches;
  const [oneAtATime, setOneAtATime] = useState(narrow);
  const [index, setIndex] = useState(0);
  const [answers, setAnswers] = useState(() => instrument.questions.map(() => null));
  const form = useForm(instrument.questions.map((question) => ({ id: `q${question.number}`, server: [] })));
  const legendRef = useRef(null);
  const total = instrument.questions.length;
  const choose = (position) => (event) => {
    const next = [...answers];
    next[position] = Number(event.currentTarget.value);
    setAnswers(next);
  };
  const submitAll = () => form.run(async () => {
    const outcome = await post(patientPath('/assessments'), { instrument_id: instrument.id, answers });
    onDone(outcome);
  }, answers.map((answer, position) => (answer === null ? { field: `q${position + 1}`, message: t('questionnaires.answer_missing', { number: position + 1 }) } : null)).filter(Boolean));
  const onSubmit = (event) => {
    event.preventDefault();
    if (!oneAtATime) return submitAll();
    if (answers[index] === null) {
      form.run(async () => {}, [{ field: `q${index + 1}`, message: t('questionnaires.answer_this') }]);
      return undefined;
    }
    form.setErrors([]);
    if (index + 1 < total) {
      setIndex(index + 1);
      requestAnimationFrame(() => legendRef.current && legendRef.current.focus());
      return undefined;
    }
    return submitAll();
  };
  const question = (position) => {
    const item = instrument.questions[position];
    const options = item.options.map((option) => ({ value: option.value, label: option.label }));
    return html`<${Radios} key=${item.number} id=${`q${item.number}`} legend=${item.text} options=${options}
      checked=${answers[position] === null ? '' : answers[position]} onChange=${choose(position)}
      hint=${oneAtATime ? null : t('questionnaires.question_of', { number: position + 1, count: total })}
      error=${form.errorFor(`q${item.number}`)} legendClass="question" />`;
  };
  return html`
    <p class="measure">${t(`questionnaires.recall.${instrument.recall_period}`)}</p>
    <p><button class="button button--secondary" type="button" onClick=${() => { setOneAtATime(!oneAtATime); form.setErrors([]); }}>
      ${oneAtATime ? t('questionnaires.show_all') : t('questionnaires.show_one')}</button></p>
    <${ErrorSummary} form=${form} />
    <form onSubmit=${onSubmit} novalidate class="measure">
      ${oneAtATime ? html`
        <p class="question-progress" tabindex="-1" ref=${legendRef}>${t('questionnaires.question_of', { number: index + 1, count: total })}</p>
        ${question(index)}
        <div class="button-group">
          <${Button} busy=${form.busy}>${index + 1 < total ? t('questionnaires.continue') : t('questionnaires.submit')}<//>
          ${index > 0 ? html`<${Button} kind="secondary" type="button" onClick=${() => { form.setErrors([]); setIndex(index - 1); }}>${t('questionnaires.previous')}<//>` : null}
        </div>` : html`
        ${instrument.questions.map((_, position) => question(position))}
        <${Button} busy=${form.busy}>${t('questionnaires.submit')}<//>`}
    </form>`;
}

export function Questionnaire({ params }) {
  const [outcome, setOutcome] = useState(null);
  const data = useData(async () => {
    const [instruments, results] = await Promise.all([get('/api/instruments'), get(patientPath('/assessments'))]);
    return { instrument: instruments.find((candidate) => candidate.id === params.id), results };
  }, [params.id, outcome]);
  if (data.loading && !outcome) return html`<${Page} title=${t('questionnaires.title')}><${Loading} /><//>`;
  if (data.error) return html`<${Page} title=${t('questionnaires.title')}><${LoadError} error=${data.error} /><//>`;
  const instrument = data.data && data.data.instrument;
  if (!instrument || !renderable(instrument)) {
    return html`<${Page} title=${t('questionnaires.not_found_title')}><p>${t('questionnaires.not_found_body')}</p><p><a href="/questionnaires">${t('questionnaires.back')}</a></p><//>`;
  }
  return html`
    <${Page} title=${instrument.title}>
      ${outcome
        ? html`<${Result} instrument=${instrument} outcome=${outcome} results=${data.data ? data.data.results : []} />`
        : html`<${Questions} instrument=${instrument} onDone=${setOutcome} />`}
    <//>`;
}
