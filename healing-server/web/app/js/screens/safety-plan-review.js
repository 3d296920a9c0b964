// The safety plan on a patient's page, for their linked clinician: the plan as
// the patient last saved it, read-only, and a suggested edit (the whole plan as
// the clinician would have it) that the patient accepts or declines on their
// own screen. An admin's break-glass reading shows the plan and offers nothing
// to write.
import { html, useState } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, post } from '../api.js';
import { Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { dateTime } from '../components/time.js';
import { PlanView, PlanEditor } from '../components/safety-plan.js';

const planPath = (patientId, suffix = '') => `/api/patients/${encodeURIComponent(patientId)}/safety-plan${suffix}`;

async function loadPlan(read, patientId) {
  const [plan, proposals] = await Promise.all([read(planPath(patientId)), read(planPath(patientId, '/proposals'))]);
  return { plan, proposals };
}

function Proposals({ proposals }) {
  if (!proposals.length) return null;
  return html`
    <h3>${t('safety_plan.review_proposals_title')}</h3>
    <ul>
      ${proposals.map((proposal) => html`
        <li>${t(`safety_plan.review_proposal_${proposal.status}`, {
          when: dateTime(proposal.proposed_at),
          decided: proposal.decided_at ? dateTime(proposal.decided_at) : '',
        })}</li>`)}
    </ul>`;
}

/** `read` does the page's GETs (with a break-glass reason when there is one); `readOnly` offers no suggesting. */
export function SafetyPlanReview({ patientId, name, read = get, readOnly = false }) {
  const data = useData(() => loadPlan(read, patientId), [patientId]);
  const [notice, setNotice] = useState(null);
  let body;
  if (data.error) body = html`<${LoadError} error=${data.error} />`;
  else if (!data.data) body = html`<${Loading} />`;
  else {
    const { plan, proposals } = data.data;
    const propose = async (content) => {
      setNotice(null);
      // What a clinician writes is about the patient: no crisis view for the writer.
      await post(planPath(patientId, '/proposals'), content, { crisis: false });
      setNotice(t('safety_plan.review_sent', { name }));
      data.reload();
    };
    body = html`
      <p>${plan.version ? t('safety_plan.current_version', { version: plan.version, when: dateTime(plan.saved_at) }) : t('safety_plan.review_none')}</p>
      ${plan.version ? html`<div class="plan-read"><${PlanView} plan=${plan} level=${3} /></div>` : null}
      <${Proposals} proposals=${proposals} />
      <div role="status">${notice ? html`<div class="notice notice--success"><p>${notice}</p></div>` : null}</div>
      ${readOnly ? null : html`
        <details class="amend">
          <summary>${t('safety_plan.review_propose')}</summary>
          <p>${t('safety_plan.review_propose_lead', { name })}</p>
          <${PlanEditor} plan=${plan} onSave=${propose} prefix="proposal" submitLabel=${t('safety_plan.review_submit')} />
        </details>`}`;
  }
  return html`
    <section aria-labelledby="patient-safety-plan" class="measure">
      <h2 id="patient-safety-plan">${t('safety_plan.review_title')}</h2>
      ${body}
    </section>`;
}
