// Clinician's home: open alerts first, the caseload sorted by risk (each patient
// opens their page, screens/patient.js), requests waiting for a patient to
// accept, and asking a patient to link.
import { html, useState } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, post } from '../api.js';
import { Page, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, TextField, Button, formValues, required } from '../components/forms.js';
import { longDate } from '../components/chart.js';
import { OpenAlertsSummary } from './alerts.js';
import { Caseload } from './caseload.js';

export function Patients() {
  const data = useData(() => get('/api/links'));
  const form = useForm([{ id: 'patient_username', server: ['patient', 'username', 'user'] }]);
  const [notice, setNotice] = useState(null);
  const submit = (event) => {
    const target = event.currentTarget;
    const values = formValues(event);
    setNotice(null);
    form.run(async () => {
      await post('/api/links', { patient_username: values.patient_username.trim().toLowerCase() });
      target.reset();
      setNotice(t('clinician.requested'));
      data.reload();
    }, required(values, [['patient_username', 'clinician.username_missing']]));
  };
  const waiting = (data.data || []).filter((link) => link.status === 'requested');
  return html`
    <${Page} title=${t('clinician.title')}>
      <${OpenAlertsSummary} />
      <${Caseload} />
      ${data.error ? html`<${LoadError} error=${data.error} />` : waiting.length ? html`
        <section aria-labelledby="waiting-title">
          <h2 id="waiting-title">${t('clinician.waiting_title')}</h2>
          <ul>${waiting.map((link) => html`<li>${t('clinician.waiting_for', { name: link.other_party_name || t('clinician.patient_label', { id: link.patient_id.slice(0, 8) }), date: longDate(link.created_at) })}</li>`)}</ul>
        </section>` : null}
      <section aria-labelledby="request-link" class="measure">
        <h2 id="request-link">${t('clinician.request_title')}</h2>
        <${ErrorSummary} form=${form} />
        <div role="status">${notice ? html`<div class="notice notice--success"><p>${notice}</p></div>` : null}</div>
        <form onSubmit=${submit} novalidate>
          <${TextField} id="patient_username" label=${t('clinician.username')} hint=${t('clinician.username_hint')} spellcheck="false" autocomplete="off" error=${form.errorFor('patient_username')} />
          <${Button} busy=${form.busy}>${t('clinician.request_submit')}<//>
        </form>
      </section>
    <//>`;
}
