// Service outcomes: the NHS Talking Therapies headline measures (recovery,
// reliable improvement, reliable recovery, reliable deterioration) over the
// courses that ended in a date range, with the counts they are taken over and
// every course left out and why; as a table, and as a CSV file to download.
// A clinician sees their own courses, an admin the whole service.
import { html, useState } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, getBlob, saveBlob } from '../api.js';
import { session } from '../session.js';
import { word, number, reasonAfterName } from '../words.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, TextField, Button, formValues } from '../components/forms.js';
import { longDate } from '../components/chart.js';

const RATES = ['recovery', 'reliable_improvement', 'reliable_recovery', 'reliable_deterioration'];
const COUNTS = ['courses_ended', 'finished_treatment', 'with_paired_scores', 'at_caseness_at_start'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function today() {
  return new Date().toISOString().slice(0, 10);
}

function yearBefore(day) {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() - 1);
  return date.toISOString().slice(0, 10);
}

function Report({ report }) {
  return html`
    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="outcomes-rates-caption">
      <table>
        <caption id="outcomes-rates-caption">${t('outcomes.rates_caption', { from: longDate(report.from), to: longDate(report.to) })}</caption>
        <thead><tr>
          <th scope="col">${t('outcomes.col_measure')}</th>
          <th scope="col">${t('outcomes.col_count')}</th>
          <th scope="col">${t('outcomes.col_denominator')}</th>
          <th scope="col">${t('outcomes.col_rate')}</th>
        </tr></thead>
        <tbody>${RATES.map((rate) => html`
          <tr>
            <th scope="row">${t(`outcomes.rate.${rate}`)}<br /><span class="muted">${t(`outcomes.rate_of.${rate}`)}</span></th>
            <td>${report[rate].count}</td>
            <td>${report[rate].denominator}</td>
            <td>${report[rate].percent === null || report[rate].percent === undefined ? t('outcomes.no_rate') : `${number(report[rate].percent)}%`}</td>
          </tr>`)}</tbody>
      </table>
    </div>
    <h2>${t('outcomes.counts_title')}</h2>
    <dl class="stats">${COUNTS.map((count) => html`<dt>${t(`outcomes.count.${count}`)}</dt><dd>${report[count]}</dd>`)}</dl>
    <h2>${t('outcomes.excluded_title')}</h2>
    ${report.excluded.length ? html`
      <div class="table-wrap" tabindex="0" role="region" aria-labelledby="outcomes-excluded-caption">
        <table>
          <caption id="outcomes-excluded-caption">${t('outcomes.excluded_caption', { count: report.excluded.length })}</caption>
          <thead><tr><th scope="col">${t('outcomes.col_course')}</th><th scope="col">${t('outcomes.col_reason')}</th><th scope="col">${t('outcomes.col_why')}</th></tr></thead>
          <tbody>${report.excluded.map((exclusion) => html`
            <tr><td><code>${exclusion.course_id.slice(0, 8)}</code></td><td>${word('outcomes.reason', exclusion.reason)}</td><td>${reasonAfterName(exclusion.reasoning)}</td></tr>`)}</tbody>
        </table>
      </div>` : html`<p>${t('outcomes.excluded_none')}</p>`}`;
}

export function Outcomes() {
  const admin = session().user.role === 'admin';
  const base = admin ? '/api/admin/outcomes' : '/api/clinician/outcomes';
  const [range, setRange] = useState(() => ({ from: yearBefore(today()), to: today() }));
  const query = `from=${range.from}&to=${range.to}`;
  const data = useData(() => get(`${base}?${query}`), [query]);
  const form = useForm([{ id: 'outcomes_from', server: ['from'] }, { id: 'outcomes_to', server: ['to'] }]);
  const download = useForm([]);
  const [downloaded, setDownloaded] = useState(false);
  const submit = (event) => {
    const values = formValues(event);
    const local = [];
    if (!DAY.test(values.outcomes_from)) local.push({ field: 'outcomes_from', message: t('outcomes.from_missing') });
    if (!DAY.test(values.outcomes_to)) local.push({ field: 'outcomes_to', message: t('outcomes.to_missing') });
    if (!local.length && values.outcomes_from > values.outcomes_to) local.push({ field: 'outcomes_from', message: t('outcomes.from_after_to') });
    setDownloaded(false);
    form.run(async () => setRange({ from: values.outcomes_from, to: values.outcomes_to }), local);
  };
  const csv = () => {
    setDownloaded(false);
    download.run(async () => {
      saveBlob(await getBlob(`${base}?${query}&format=csv`), `outcomes-${range.from}-to-${range.to}.csv`);
      setDownloaded(true);
    });
  };
  let body;
  if (data.error) body = html`<${LoadError} error=${data.error} />`;
  else if (!data.data) body = html`<${Loading} />`;
  else body = html`<${Report} report=${data.data} />`;
  return html`
    <${Page} title=${t(admin ? 'outcomes.title_admin' : 'outcomes.title')} lead=${t(admin ? 'outcomes.lead_admin' : 'outcomes.lead')}>
      <${ErrorSummary} form=${form} id="outcomes-errors" />
      <form class="inline-form" onSubmit=${submit} novalidate>
        <${TextField} id="outcomes_from" type="date" label=${t('outcomes.from')} value=${range.from} error=${form.errorFor('outcomes_from')} />
        <${TextField} id="outcomes_to" type="date" label=${t('outcomes.to')} value=${range.to} error=${form.errorFor('outcomes_to')} />
        <${Button} kind="secondary" busy=${form.busy}>${t('outcomes.submit')}<//>
      </form>
      <${ErrorSummary} form=${download} id="outcomes-csv-errors" />
      <div class="button-group">
        <${Button} type="button" busy=${download.busy} onClick=${csv}>${t('outcomes.csv')}<//>
        <span role="status">${downloaded ? html`<span class="notice-inline">${t('outcomes.csv_done')}</span>` : null}</span>
      </div>
      <div aria-live="polite">${body}</div>
    <//>`;
}
