// CBT tools: the catalogue (built in and from plugins), and one page per tool
// with its form drawn from the tool's JSON Schema, the result of a run, and the
// person's history with that tool. What is written is screened like all free
// text, so a run whose words show risk brings up the crisis view.
import { html, useState } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, post } from '../api.js';
import { patientPath } from '../session.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData, useFocusAfterReload } from '../components/data.js';
import { Button } from '../components/forms.js';
import { dateTime } from '../components/time.js';
import { SchemaForm, SchemaValue } from '../components/schema-form.js';

// Runs read at a time (the server's default page).
const RUNS_PAGE = 20;

export function Tools() {
  const data = useData(() => get('/api/tools'));
  return html`
    <${Page} title=${t('tools.title')} lead=${t('tools.lead')}>
      ${data.loading ? html`<${Loading} />` : data.error ? html`<${LoadError} error=${data.error} />`
        : data.data.length ? html`
          <ul class="cards tool-list">
            ${data.data.map((tool) => html`
              <li class="card">
                <h2><a href=${`/tools/${encodeURIComponent(tool.id)}`}>${tool.title}</a></h2>
                <p>${tool.description}</p>
                ${tool.origin === 'plugin' ? html`<p class="muted">${t('tools.from_plugin')}</p>` : null}
              </li>`)}
          </ul>`
          : html`<p>${t('tools.none')}</p>`}
    <//>`;
}

/** One run: when, what was entered and what came of it. */
function Run({ tool, run }) {
  return html`
    <li>
      <details>
        <summary>${dateTime(run.ran_at)}</summary>
        <h4>${t('tools.you_wrote')}</h4>
        <${SchemaValue} schema=${tool.input_schema} value=${run.input} />
        <h4>${t('tools.result')}</h4>
        <${SchemaValue} schema=${tool.result_schema} value=${run.result} labels="tools.result_field" />
      </details>
    </li>`;
}

function History({ tool, saves }) {
  const [pages, setPages] = useState(1);
  const runs = useData(() => get(patientPath(`/tools/${encodeURIComponent(tool.id)}/runs?limit=${RUNS_PAGE * pages}`)), [tool.id, pages, saves]);
  if (runs.loading && !runs.data) return html`<${Loading} />`;
  if (runs.error) return html`<${LoadError} error=${runs.error} />`;
  if (!runs.data.length) return html`<p>${t('tools.history_none')}</p>`;
  return html`
    <ol class="run-list" aria-label=${t('tools.history_label', { title: tool.title })}>
      ${runs.data.map((run) => html`<${Run} key=${run.id} tool=${tool} run=${run} />`)}
    </ol>
    ${runs.data.length === RUNS_PAGE * pages ? html`<p><${Button} type="button" kind="secondary" onClick=${() => setPages(pages + 1)}>${t('tools.history_more')}<//></p>` : null}`;
}

export function Tool({ params }) {
  const catalogue = useData(() => get('/api/tools'));
  const [done, setDone] = useState(null);
  const [saves, setSaves] = useState(0);
  const focusNext = useFocusAfterReload(done);
  const tool = catalogue.data ? catalogue.data.find((candidate) => candidate.id === params.id) : null;
  if (catalogue.loading) return html`<${Page} title=${t('tools.title')}><${Loading} /><//>`;
  if (catalogue.error) return html`<${Page} title=${t('tools.title')}><${LoadError} error=${catalogue.error} /><//>`;
  if (!tool) {
    return html`
      <${Page} title=${t('tools.not_found_title')}>
        <p>${t('tools.not_found')}</p>
        <p><a href="/tools">${t('tools.back')}</a></p>
      <//>`;
  }
  const run = async (input) => {
    setDone(null);
    const answer = await post(patientPath(`/tools/${encodeURIComponent(tool.id)}/runs`), { input });
    setDone(answer.run);
    setSaves((count) => count + 1);
    focusNext('tool-result-title');
  };
  return html`
    <${Page} title=${tool.title} lead=${tool.description}>
      <p><a href="/tools">${t('tools.back')}</a></p>
      <div role="status">
        ${done ? html`
          <section class="notice notice--success measure" aria-labelledby="tool-result-title">
            <h2 id="tool-result-title" tabindex="-1">${t('tools.saved')}</h2>
            <${SchemaValue} schema=${tool.result_schema} value=${done.result} labels="tools.result_field" />
          </section>` : null}
      </div>
      <section aria-labelledby="tool-form-title" class="measure">
        <h2 id="tool-form-title">${t('tools.form_title')}</h2>
        <${SchemaForm} key=${tool.id} schema=${tool.input_schema} prefix="tool" onSubmit=${run} submitLabel=${t('tools.save')} />
      </section>
      <section aria-labelledby="tool-history-title" class="measure">
        <h2 id="tool-history-title">${t('tools.history_title')}</h2>
        <${History} tool=${tool} saves=${saves} />
      </section>
    <//>`;
}
