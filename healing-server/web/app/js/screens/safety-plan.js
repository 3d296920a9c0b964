// The patient's safety plan: the Stanley–Brown sections as a form (a new plan
// starts with the crisis services filled in by the server), saved as a new
// version each time; the earlier versions to read; and the edits a clinician
// suggested, to accept or decline. A plan whose words show risk brings up the
// crisis view when saved, as any writing does.
import { html, useState } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, post, put } from '../api.js';
import { patientPath } from '../session.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData, useFocusAfterReload } from '../components/data.js';
import { useForm, ErrorSummary, Button } from '../components/forms.js';
import { dateTime } from '../components/time.js';
import { PlanView, PlanEditor, changedSections } from '../components/safety-plan.js';

// Versions read at a time (the server's default page).
const VERSIONS_PAGE = 20;

async function loadPlan() {
  const [plan, proposals] = await Promise.all([get(patientPath('/safety-plan')), get(patientPath('/safety-plan/proposals'))]);
  return { plan, proposals };
}

/** A clinician's suggested edit: what it changes, the plan it proposes, accept or decline. */
function Proposal({ proposal, current, onDecided }) {
  const form = useForm([], { CONFLICT: 'safety_plan.proposal_conflict' });
  const changed = changedSections(current, proposal.plan);
  const decide = (action) => form.run(async () => {
    await post(patientPath(`/safety-plan/proposals/${encodeURIComponent(proposal.id)}/${action}`), {});
    onDecided(action);
  });
  const titleId = `proposal-${proposal.id}`;
  return html`
    <article class="card" aria-labelledby=${titleId}>
      <h3 id=${titleId}>${t('safety_plan.proposal_title', { when: dateTime(proposal.proposed_at) })}</h3>
      <${ErrorSummary} form=${form} id=${`${titleId}-errors`} />
      <p>${changed.length ? t('safety_plan.proposal_changes', { sections: changed.join('; ') }) : t('safety_plan.proposal_same')}</p>
      <details>
        <summary>${t('safety_plan.proposal_read')}</summary>
        <${PlanView} plan=${proposal.plan} level=${4} />
      </details>
      <div class="button-group">
        <${Button} type="button" busy=${form.busy} onClick=${() => decide('accept')}>${t('safety_plan.accept')}<//>
        <${Button} type="button" kind="secondary" busy=${form.busy} onClick=${() => decide('decline')}>${t('safety_plan.decline')}<//>
      </div>
    </article>`;
}

/** Every saved version but the current one, newest first, each to open and read. */
function EarlierVersions({ current, saves }) {
  const [pages, setPages] = useState(1);
  const data = useData(() => get(patientPath(`/safety-plan/versions?limit=${VERSIONS_PAGE * pages}`)), [pages, saves]);
  if (data.loading && !data.data) return html`<${Loading} />`;
  if (data.error) return html`<${LoadError} error=${data.error} />`;
  const earlier = data.data.filter((version) => version.version < current);
  if (!earlier.length) return html`<p>${t('safety_plan.versions_none')}</p>`;
  return html`
    <ul class="version-list">
      ${earlier.map((version) => html`
        <li>
          <details>
            <summary>${t('safety_plan.version_summary', { version: version.version, when: dateTime(version.saved_at) })}${version.proposal_id ? ` ${t('safety_plan.version_from_proposal')}` : ''}</summary>
            <${PlanView} plan=${version} level=${3} />
          </details>
        </li>`)}
    </ul>
    ${data.data.length === VERSIONS_PAGE * pages ? html`<p><${Button} type="button" kind="secondary" onClick=${() => setPages(pages + 1)}>${t('safety_plan.versions_more')}<//></p>` : null}`;
}

export function SafetyPlan() {
  const data = useData(loadPlan);
  const [notice, setNotice] = useState(null);
  const [saves, setSaves] = useState(0);
  const focusNext = useFocusAfterReload(data.data);
  const title = t('safety_plan.title');
  if (data.loading && !data.data) return html`<${Page} title=${title}><${Loading} /><//>`;
  if (data.error) return html`<${Page} title=${title}><${LoadError} error=${data.error} /><//>`;
  const { plan, proposals } = data.data;
  const pending = proposals.filter((proposal) => proposal.status === 'pending');
  const save = async (content) => {
    setNotice(null);
    const saved = await put(patientPath('/safety-plan'), content);
    setNotice(t('safety_plan.saved', { version: saved.plan.version }));
    setSaves((count) => count + 1);
    data.reload();
    focusNext('safety-plan-notice');
  };
  const decided = (action) => {
    setNotice(t(action === 'accept' ? 'safety_plan.accepted' : 'safety_plan.declined'));
    setSaves((count) => count + 1);
    data.reload();
    focusNext('safety-plan-notice');
  };
  return html`
    <${Page} title=${title} lead=${t('safety_plan.lead')}>
      <div role="status">${notice ? html`<div class="notice notice--success" id="safety-plan-notice" tabindex="-1"><p>${notice}</p></div>` : null}</div>
      <p class="measure muted">${plan.version ? t('safety_plan.current_version', { version: plan.version, when: dateTime(plan.saved_at) }) : t('safety_plan.new_plan')}</p>
      ${pending.length ? html`
        <section aria-labelledby="safety-plan-proposals" class="measure">
          <h2 id="safety-plan-proposals">${t('safety_plan.proposals_title')}</h2>
          <p>${t('safety_plan.proposals_lead')}</p>
          ${pending.map((proposal) => html`<${Proposal} key=${proposal.id} proposal=${proposal} current=${plan} onDecided=${decided} />`)}
        </section>` : null}
      <section aria-labelledby="safety-plan-edit" class="measure">
        <h2 id="safety-plan-edit">${t('safety_plan.edit_title')}</h2>
        <${PlanEditor} plan=${plan} onSave=${save} prefix="plan" submitLabel=${t('safety_plan.save')} />
      </section>
      <section aria-labelledby="safety-plan-versions" class="measure">
        <h2 id="safety-plan-versions">${t('safety_plan.versions_title')}</h2>
        <${EarlierVersions} current=${plan.version} saves=${saves} />
      </section>
    <//>`;
}
