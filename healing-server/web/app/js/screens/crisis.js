// "Get help now": UK services as one-tap tel:/sms: links. Works signed out and
// offline (the service worker keeps the directory; the catalogue has a fallback).
import { html, useState, useEffect } from '../../vendor/preact-htm.module.js';
import { t, tData } from '../i18n.js';
import { get } from '../api.js';
import { session, patientPath } from '../session.js';

function Resources() {
  const [directory, setDirectory] = useState(null);
  useEffect(() => {
    get('/api/crisis-resources').then(setDirectory, () => setDirectory({ resources: tData('crisis.fallback') }));
  }, []);
  const resources = directory ? directory.resources : tData('crisis.fallback');
  return html`
    <ul class="resource-list">
      ${resources.map((resource) => html`
        <li>
          <h3>${resource.name}</h3>
          <p>${resource.description}</p>
          <p>${resource.links.map((link) => html`
            <a class="call-link" href=${link.href}>${link.kind === 'sms'
              ? t('crisis.text_link', { number: link.number })
              : t('crisis.call_link', { number: link.number })}</a>`)}
          </p>
          <p class="muted">${resource.contact}</p>
        </li>`)}
    </ul>`;
}

export function CrisisContent() {
  return html`
    <div class="care-card">
      <h2>${t('crisis.emergency_title')}</h2>
      <p>${t('crisis.emergency_body')}</p>
      <p><a class="call-link" href="tel:999">${t('crisis.call_link', { number: '999' })}</a></p>
    </div>
    <h2>${t('crisis.services_title')}</h2>
    <${Resources} />`;
}

/**
 * A signed-in patient's own safety plan, when they have saved one: the people
 * and steps they chose themselves. Loaded (with its module) only when shown;
 * with no connection it is left out and the numbers above still work.
 */
function OwnPlan() {
  const [plan, setPlan] = useState(null);
  useEffect(() => {
    const current = session();
    if (!current || current.stage !== 'authenticated' || !current.user || current.user.role !== 'patient') return undefined;
    let live = true;
    Promise.all([get(patientPath('/safety-plan')), import('../components/safety-plan.js')]).then(([data, module]) => {
      if (live && data.version > 0) setPlan({ data, View: module.PlanView });
    }, () => {});
    return () => {
      live = false;
    };
  }, []);
  if (!plan) return null;
  return html`
    <section class="card measure own-plan" aria-labelledby="crisis-own-plan">
      <h2 id="crisis-own-plan">${t('crisis.own_plan_title')}</h2>
      <p>${t('crisis.own_plan_lead')}</p>
      <${plan.View} plan=${plan.data} level=${3} filledOnly=${true} />
    </section>`;
}

export function Crisis() {
  useEffect(() => {
    document.title = `${t('crisis.title')} – ${t('app.name')}`;
  }, []);
  return html`
    <h1 tabindex="-1">${t('crisis.title')}</h1>
    <p class="lead measure">${t('crisis.lead')}</p>
    <${CrisisContent} />
    <${OwnPlan} />`;
}

/** Takes over the screen when an answer says show_crisis_resources; the screen
 * underneath stays as it was, so nothing written is lost. `note` is what the
 * screen needs said at once (a community post held: others cannot see it yet). */
export function CrisisTakeover({ onClose, note }) {
  useEffect(() => {
    const heading = document.getElementById('crisis-takeover-title');
    if (heading) heading.focus();
  }, []);
  return html`
    <section aria-labelledby="crisis-takeover-title">
      <h1 id="crisis-takeover-title" tabindex="-1">${t('crisis.takeover_title')}</h1>
      <p class="lead measure">${t('crisis.takeover_lead')}</p>
      ${note ? html`<div class="notice measure" id="crisis-takeover-note"><p>${note}</p></div>` : null}
      <${CrisisContent} />
      <${OwnPlan} />
      <p><button class="button button--secondary" type="button" onClick=${onClose}>${t('crisis.takeover_back')}</button></p>
    </section>`;
}
