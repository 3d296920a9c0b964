// A patient's clinician links: accept or decline a request, or end a link at any time.
import { html, useState } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, post } from '../api.js';
import { patientPath } from '../session.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, Button } from '../components/forms.js';
import { longDate } from '../components/chart.js';

export function Links() {
  const data = useData(() => get('/api/links'));
  const form = useForm([]);
  const [notice, setNotice] = useState(null);
  const act = (link, action) => form.run(async () => {
    await post(patientPath(`/links/${encodeURIComponent(link.id)}/${action}`), {});
    setNotice(t({ accept: 'links.accepted', decline: 'links.declined', end: 'links.ended' }[action]));
    data.reload();
  });
  const links = data.data || [];
  const open = links.filter((link) => link.status === 'requested' || link.status === 'accepted');
  return html`
    <${Page} title=${t('links.title')} lead=${t('links.lead')}>
      <${ErrorSummary} form=${form} />
      <div role="status">${notice ? html`<div class="notice notice--success"><p>${notice}</p></div>` : null}</div>
      ${data.loading ? html`<${Loading} />` : data.error ? html`<${LoadError} error=${data.error} />`
        : open.length ? html`<div class="cards">${open.map((link) => html`
          <section class="card" aria-label=${t('links.card_label', { id: link.clinician_id.slice(0, 8) })}>
            <h2>${t('links.clinician', { id: link.clinician_id.slice(0, 8) })}</h2>
            <p>${t(`links.status_${link.status}`, { date: longDate(link.created_at) })}</p>
            <div class="button-group">
              ${link.status === 'requested' ? html`<${Button} type="button" busy=${form.busy} onClick=${() => act(link, 'accept')}>${t('links.accept')}<//>` : null}
              <${Button} type="button" kind="secondary" busy=${form.busy} onClick=${() => act(link, link.status === 'requested' ? 'decline' : 'end')}>${link.status === 'requested' ? t('links.decline') : t('links.end')}<//>
            </div>
          </section>`)}</div>`
        : html`<p>${t('links.none')}</p>`}
    <//>`;
}
