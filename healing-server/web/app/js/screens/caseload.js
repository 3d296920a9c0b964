// The clinician's caseload: their linked patients, most at risk first (an open
// critical or high alert, then thoughts of self-harm on the latest PHQ-9, then
// reliable deterioration), with the latest PHQ-9 and GAD-7, open alerts, days
// since the patient last used Healing and their course. Searchable by name or
// NHS number within the caseload, filterable, paged by the server.
import { html, useState } from '../../vendor/preact-htm.module.js';
import { t, has } from '../i18n.js';
import { get } from '../api.js';
import { Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { Button, formValues } from '../components/forms.js';

const PAGE_SIZE = 25;
// What the "Show" choice asks the server for.
const FILTERS = {
  all: '',
  open_alert: '&has_open_alert=true',
  inactive: '&inactive_days=14',
  course_open: '&course=open',
  course_none: '&course=none',
};

/** A catalogue word for a value the server names, or the value itself if it is new to the app. */
function word(group, value) {
  const key = `caseload.${group}.${value}`;
  return has(key) ? t(key) : value;
}

function Score({ score }) {
  if (!score) return html`<span class="muted">${t('caseload.no_score')}</span>`;
  const change = score.change;
  return html`
    <span class="caseload-score">${score.total}</span>
    ${score.band ? html` <span>${word('band', score.band)}</span>` : null}
    ${change ? html`<br /><span class=${`change change--${change.reliable_change}`}>
      ${t(change.change > 0 ? 'caseload.change_up' : change.change < 0 ? 'caseload.change_down' : 'caseload.change_none', { points: Math.abs(change.change) })}
      ${change.reliable_change !== 'no_reliable_change' ? html` – ${word('reliable', change.reliable_change)}` : null}</span>` : null}`;
}

function Risk({ patient }) {
  const alerts = patient.open_alerts;
  const parts = ['critical', 'high', 'medium'].filter((severity) => alerts[severity] > 0)
    .map((severity) => html`<span class=${`severity severity--${severity}`}>${t('caseload.alerts_of', { count: alerts[severity], severity: word('severity', severity) })}</span> `);
  return html`
    ${parts}
    ${patient.risk_tier !== 'urgent_alert' && patient.risk_tier !== 'routine' ? html`<span>${word('tier', patient.risk_tier)}</span>` : null}
    ${patient.risk_tier === 'routine' && !parts.length ? html`<span class="muted">${t('caseload.tier.routine')}</span>` : null}`;
}

function Activity({ patient }) {
  const days = patient.days_since_last_activity;
  if (days === null || days === undefined) return html`<span class="muted">${t('caseload.never_active')}</span>`;
  if (days === 0) return t('caseload.active_today');
  return t(days === 1 ? 'caseload.active_day' : 'caseload.active_days', { count: days });
}

// On a phone the table is drawn as blocks (app.css), so each cell names its
// column (data-label) and the table states its roles, which display: block drops.
function CaseloadTable({ page }) {
  const columns = ['col_risk', 'col_phq9', 'col_gad7', 'col_activity', 'col_course'].map((key) => t(`caseload.${key}`));
  const cell = (index, content) => html`<td role="cell" data-label=${columns[index]}>${content}</td>`;
  return html`
    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="caseload-caption">
      <table class="caseload" role="table">
        <caption id="caseload-caption">${t('caseload.caption', { from: page.offset + 1, to: page.offset + page.patients.length, total: page.total })}</caption>
        <thead role="rowgroup"><tr role="row">
          <th scope="col" role="columnheader">${t('caseload.col_patient')}</th>
          ${columns.map((column) => html`<th scope="col" role="columnheader">${column}</th>`)}
        </tr></thead>
        <tbody role="rowgroup">${page.patients.map((patient) => html`
          <tr role="row" class=${`caseload-row caseload-row--${patient.risk_tier}`}>
            <th scope="row" role="rowheader">
              <a href=${`/clinician/patients/${encodeURIComponent(patient.patient_id)}`}>${patient.display_name}</a>
              ${patient.nhs_number ? html`<br /><span class="muted">${t('caseload.nhs_number', { number: patient.nhs_number })}</span>` : null}
            </th>
            ${cell(0, html`<${Risk} patient=${patient} />`)}
            ${cell(1, html`<${Score} score=${patient.phq9} />`)}
            ${cell(2, html`<${Score} score=${patient.gad7} />`)}
            ${cell(3, html`<${Activity} patient=${patient} />`)}
            ${cell(4, word('course', patient.course))}
          </tr>`)}</tbody>
      </table>
    </div>`;
}

/** The caseload section of the clinician's home. */
export function Caseload() {
  const [search, setSearch] = useState({ query: '', show: 'all', offset: 0 });
  const data = useData(() => {
    const query = search.query ? `&query=${encodeURIComponent(search.query)}` : '';
    return get(`/api/clinician/caseload?limit=${PAGE_SIZE}&offset=${search.offset}${FILTERS[search.show]}${query}`);
  }, [search.query, search.show, search.offset]);
  const submit = (event) => {
    const values = formValues(event);
    setSearch({ query: (values.caseload_query || '').trim(), show: values.caseload_show in FILTERS ? values.caseload_show : 'all', offset: 0 });
  };
  const turnPage = (offset) => {
    setSearch({ ...search, offset });
    requestAnimationFrame(() => {
      const caption = document.getElementById('caseload-title');
      if (caption) caption.focus();
    });
  };
  const filtered = search.query || search.show !== 'all';
  const page = data.data;
  let body;
  if (data.loading && !page) body = html`<${Loading} />`;
  else if (data.error) body = html`<${LoadError} error=${data.error} />`;
  else if (!page.patients.length) body = html`<div class="notice"><p>${t(filtered ? 'caseload.none_found' : 'caseload.none')}</p></div>`;
  else body = html`<${CaseloadTable} page=${page} />`;
  const hasNext = Boolean(page && page.offset + page.patients.length < page.total);
  return html`
    <section aria-labelledby="caseload-title">
      <h2 id="caseload-title" tabindex="-1">${t('caseload.title')}</h2>
      <p class="measure">${t('caseload.lead')}</p>
      <form class="caseload-search" role="search" onSubmit=${submit} novalidate>
        <div class="form-group">
          <label for="caseload_query">${t('caseload.query_label')}</label>
          <span class="hint" id="caseload_query-hint">${t('caseload.query_hint')}</span>
          <input id="caseload_query" name="caseload_query" type="search" maxlength="100" spellcheck="false"
            autocomplete="off" aria-describedby="caseload_query-hint" value=${search.query} />
        </div>
        <div class="form-group">
          <label for="caseload_show">${t('caseload.show_label')}</label>
          <select id="caseload_show" name="caseload_show" value=${search.show}>
            ${Object.keys(FILTERS).map((key) => html`<option value=${key} selected=${key === search.show}>${t(`caseload.show.${key}`)}</option>`)}
          </select>
        </div>
        <${Button} kind="secondary">${t('caseload.search')}<//>
      </form>
      <div aria-live="polite">${body}</div>
      ${page && (page.offset > 0 || hasNext) ? html`
        <nav class="pagination" aria-label=${t('caseload.pages_label')}>
          <div class="button-group">
            ${page.offset > 0 ? html`<${Button} type="button" kind="secondary" onClick=${() => turnPage(Math.max(0, page.offset - PAGE_SIZE))}>${t('caseload.previous')}<//>` : null}
            ${hasNext ? html`<${Button} type="button" kind="secondary" onClick=${() => turnPage(page.offset + PAGE_SIZE)}>${t('caseload.next')}<//>` : null}
          </div>
        </nav>` : null}
    </section>`;
}
