// "Get help now": UK services as one-tap tel:/sms: links. Works signed out and
// offline (the service worker keeps the directory; the catalogue has a fallback).
import { html, useState, useEffect } from '../../vendor/preact-htm.module.js';
import { t, tData } from '../i18n.js';
import { get } from '../api.js';

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

export function Crisis() {
  useEffect(() => {
    document.title = `${t('crisis.title')} – ${t('app.name')}`;
  }, []);
  return html`
    <h1 tabindex="-1">${t('crisis.title')}</h1>
    <p class="lead measure">${t('crisis.lead')}</p>
    <${CrisisContent} />`;
}

/** Takes over the screen when an answer says show_crisis_resources; the screen
 * underneath stays as it was, so nothing written is lost. */
export function CrisisTakeover({ onClose }) {
  useEffect(() => {
    const heading = document.getElementById('crisis-takeover-title');
    if (heading) heading.focus();
  }, []);
  return html`
    <section aria-labelledby="crisis-takeover-title">
      <h1 id="crisis-takeover-title" tabindex="-1">${t('crisis.takeover_title')}</h1>
      <p class="lead measure">${t('crisis.takeover_lead')}</p>
      <${CrisisContent} />
      <p><button class="button button--secondary" type="button" onClick=${onClose}>${t('crisis.takeover_back')}</button></p>
    </section>`;
}
