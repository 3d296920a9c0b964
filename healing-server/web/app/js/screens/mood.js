// Mood: log how you feel (1–10, with sleep, anxiety and a note), and see the
// last four weeks as a chart with a table beside it.
import { html, useState } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, post } from '../api.js';
import { patientPath } from '../session.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, Radios, TextArea, Button, formValues, ErrorMessage } from '../components/forms.js';
import { LineChart, DataTable, trend, shortDate, longDate } from '../components/chart.js';

const SCALE = Array.from({ length: 10 }, (_, index) => ({ value: index + 1, label: String(index + 1) }));

function ScoreSelect({ id, label, hint, error }) {
  return html`
    <div class=${`form-group${error ? ' form-group--error' : ''}`}>
      <label for=${id}>${label}</label>
      <span class="hint" id=${`${id}-hint`}>${hint}</span>
      <${ErrorMessage} id=${id} message=${error} />
      <select id=${id} name=${id} aria-describedby=${`${id}-hint`}>
        <option value="">${t('mood.not_recorded')}</option>
        ${Array.from({ length: 11 }, (_, value) => html`<option value=${value}>${value}</option>`)}
      </select>
    </div>`;
}

export function MoodForm({ compact = false, onSaved }) {
  const form = useForm([
    { id: 'mood', server: ['mood'] },
    { id: 'sleep', server: ['sleep'] },
    { id: 'anxiety', server: ['anxiety'] },
    { id: 'note', server: ['note'] },
  ]);
  const [saved, setSaved] = useState(false);
  const submit = (event) => {
    setSaved(false);
    const target = event.currentTarget;
    const values = formValues(event);
    const local = values.mood ? [] : [{ field: 'mood', message: t('mood.mood_missing') }];
    form.run(async () => {
      const body = { mood: Number(values.mood) };
      if (values.sleep) body.sleep = Number(values.sleep);
      if (values.anxiety) body.anxiety = Number(values.anxiety);
      if (values.note && values.note.trim()) body.note = values.note.trim();
      await post(patientPath('/moods'), body);
      target.reset();
      setSaved(true);
      if (onSaved) onSaved();
    }, local);
  };
  return html`
    <div>
      <${ErrorSummary} form=${form} />
      <div role="status">${saved ? html`<div class="notice notice--success"><p>${t('mood.saved')}</p></div>` : null}</div>
      <form onSubmit=${submit} novalidate>
        <${Radios} id="mood" legend=${t('mood.question')} hint=${t('mood.question_hint')} options=${SCALE} inline=${true} scale=${true} error=${form.errorFor('mood')} />
        ${compact ? null : html`
          <${ScoreSelect} id="sleep" label=${t('mood.sleep')} hint=${t('mood.sleep_hint')} error=${form.errorFor('sleep')} />
          <${ScoreSelect} id="anxiety" label=${t('mood.anxiety')} hint=${t('mood.anxiety_hint')} error=${form.errorFor('anxiety')} />`}
        <${TextArea} id="note" label=${t('mood.note')} hint=${t('mood.note_hint')} rows="3" error=${form.errorFor('note')} />
        <${Button} busy=${form.busy}>${t('mood.submit')}<//>
      </form>
    </div>`;
}

export function MoodHistory({ moods, who = 'you' }) {
  const since = new Date(Date.now() - 28 * 86400000).toISOString().slice(0, 10);
  const recent = [...moods].filter((entry) => entry.day >= since).sort((a, b) => a.day.localeCompare(b.day) || a.recorded_at.localeCompare(b.recorded_at));
  if (!recent.length) return html`<p>${t(`mood.${who}_none`)}</p>`;
  const direction = trend(recent.map((entry) => entry.mood));
  const summary = t(`mood.${who}_trend_${direction}`, { count: recent.length });
  return html`
    <div class="chart-and-table">
      <${LineChart} id=${`mood-chart-${who}`} title=${t('mood.chart_title')} summary=${summary}
        points=${recent.map((entry) => ({ label: shortDate(entry.day), value: entry.mood }))} min=${1} max=${10} ticks=${[1, 4, 7, 10]} />
      <${DataTable} caption=${t('mood.table_caption')}
        columns=${[t('mood.col_date'), t('mood.col_mood'), t('mood.col_sleep'), t('mood.col_anxiety'), t('mood.col_note')]}
        rows=${[...recent].reverse().map((entry) => [longDate(entry.day), entry.mood, entry.sleep ?? '–', entry.anxiety ?? '–', entry.note || ''])} />
    </div>`;
}

export function Mood() {
  const data = useData(() => get(patientPath('/moods')));
  return html`
    <${Page} title=${t('mood.title')}>
      <section class="measure" aria-labelledby="mood-log">
        <h2 id="mood-log">${t('mood.log_title')}</h2>
        <${MoodForm} onSaved=${data.reload} />
      </section>
      <section aria-labelledby="mood-recent">
        <h2 id="mood-recent">${t('mood.recent_title')}</h2>
        ${data.loading ? html`<${Loading} />` : data.error ? html`<${LoadError} error=${data.error} />` : html`<${MoodHistory} moods=${data.data} />`}
      </section>
    <//>`;
}
