// Journal: write an entry (kept encrypted on the server) and read past ones.
import { html, useState } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, post } from '../api.js';
import { patientPath } from '../session.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, TextArea, Button, formValues, required } from '../components/forms.js';
import { longDate } from '../components/chart.js';

export function Journal() {
  const data = useData(() => get(patientPath('/journal')));
  const form = useForm([{ id: 'body', server: ['body', 'entry', 'journal'] }]);
  const [saved, setSaved] = useState(false);
  const submit = (event) => {
    const target = event.currentTarget;
    const values = formValues(event);
    setSaved(false);
    form.run(async () => {
      await post(patientPath('/journal'), { body: values.body });
      target.reset();
      setSaved(true);
      data.reload();
    }, required(values, [['body', 'journal.body_missing']]));
  };
  const entries = data.data ? [...data.data].sort((a, b) => b.written_at.localeCompare(a.written_at)) : [];
  return html`
    <${Page} title=${t('journal.title')} lead=${t('journal.lead')}>
      <div class="measure">
        <${ErrorSummary} form=${form} />
        <div role="status">${saved ? html`<div class="notice notice--success"><p>${t('journal.saved')}</p></div>` : null}</div>
        <form onSubmit=${submit} novalidate>
          <${TextArea} id="body" label=${t('journal.body')} hint=${t('journal.body_hint')} rows="8" maxlength="20000" error=${form.errorFor('body')} />
          <${Button} busy=${form.busy}>${t('journal.submit')}<//>
        </form>
      </div>
      <section aria-labelledby="journal-entries" class="measure">
        <h2 id="journal-entries">${t('journal.entries_title')}</h2>
        ${data.loading ? html`<${Loading} />` : data.error ? html`<${LoadError} error=${data.error} />`
          : entries.length ? entries.map((entry) => html`
            <article class="entry" aria-label=${longDate(entry.written_at)}>
              <h3>${longDate(entry.written_at)}</h3>
              <p>${entry.body}</p>
            </article>`)
          : html`<p>${t('journal.none')}</p>`}
      </section>
    <//>`;
}
