// The companion pet: adopt one, see how it is, and do what the API allows
// (feed, play, clean, rest, a walk). It never dies; a missed day is never scolded.
import { html, useState } from '../../vendor/preact-htm.module.js';
import { t, tData } from '../i18n.js';
import { get, post } from '../api.js';
import { patientPath } from '../session.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, TextField, Radios, Button, formValues } from '../components/forms.js';

const FIGURES = { cat: '🐱', dog: '🐶', rabbit: '🐰', hedgehog: '🦔', owl: '🦉', fox: '🦊' };
const STATS = ['hunger', 'happiness', 'energy', 'hygiene'];
const ACTIONS = [
  ['feed', { kind: 'feed', food: 'kibble' }],
  ['play', { kind: 'play' }],
  ['clean', { kind: 'clean' }],
  ['rest', { kind: 'rest' }],
];

export function petFigure(pet) {
  return FIGURES[pet.species] || '🐾';
}

function time(value) {
  return new Date(typeof value === 'number' ? value * 1000 : value);
}

function Adopt({ onAdopted }) {
  const form = useForm([{ id: 'pet_name', server: ['name', 'pet name'] }, { id: 'species', server: ['species'] }]);
  const names = tData('pet.species_names');
  const submit = (event) => {
    const values = formValues(event);
    const local = [];
    if (!values.pet_name || !values.pet_name.trim()) local.push({ field: 'pet_name', message: t('pet.name_missing') });
    if (!values.species) local.push({ field: 'species', message: t('pet.species_missing') });
    form.run(async () => {
      await post(patientPath('/pet'), { name: values.pet_name.trim(), species: values.species });
      onAdopted();
    }, local);
  };
  return html`
    <${Page} title=${t('pet.adopt_title')} lead=${t('pet.adopt_lead')}>
      <div class="measure">
        <${ErrorSummary} form=${form} />
        <form onSubmit=${submit} novalidate>
          <${TextField} id="pet_name" label=${t('pet.name')} autocomplete="off" error=${form.errorFor('pet_name')} />
          <${Radios} id="species" legend=${t('pet.species')} error=${form.errorFor('species')}
            options=${Object.keys(FIGURES).map((species) => ({ value: species, label: `${FIGURES[species]} ${names[species]}` }))} />
          <${Button} busy=${form.busy}>${t('pet.adopt_submit')}<//>
        </form>
      </div>
    <//>`;
}

export function Pet() {
  const data = useData(() => get(patientPath('/pet')).catch((error) => (error.status === 404 ? null : Promise.reject(error))));
  const form = useForm([]);
  const [notice, setNotice] = useState(null);
  if (data.loading) return html`<${Page} title=${t('pet.title')}><${Loading} /><//>`;
  if (data.error) return html`<${Page} title=${t('pet.title')}><${LoadError} error=${data.error} /><//>`;
  if (!data.data) return html`<${Adopt} onAdopted=${data.reload} />`;
  const pet = data.data;
  const name = pet.name;
  const act = (key, event) => {
    setNotice(null);
    form.run(async () => {
      await post(patientPath('/pet/events'), { event });
      setNotice(t('pet.done', { name }));
      data.reload();
    });
  };
  const away = pet.adventure && time(pet.adventure.returns_at) > new Date();
  const back = pet.adventure && !away;
  return html`
    <${Page} title=${name}>
      <p class="pet"><span class="pet__figure" aria-hidden="true">${petFigure(pet)}</span><span>${t('pet.summary', { name })}</span></p>
      <h2>${t('pet.stats_title', { name })}</h2>
      <dl class="stats">
        ${STATS.map((stat) => html`
          <dt id=${`stat-${stat}`}>${t(`pet.stat_${stat}`)}</dt>
          <dd><meter min="0" max="100" low="25" optimum="100" value=${pet.stats[stat]} aria-labelledby=${`stat-${stat}`}></meter> ${pet.stats[stat]} / 100</dd>`)}
        <dt>${t('pet.coins')}</dt><dd>${pet.coins}</dd>
        <dt>${t('pet.stage')}</dt><dd>${t(`pet.stage_${pet.stage}`)}</dd>
      </dl>
      <h2>${t('pet.actions_title', { name })}</h2>
      <${ErrorSummary} form=${form} />
      <div role="status">${notice ? html`<div class="notice notice--success"><p>${notice}</p></div>` : null}</div>
      ${away ? html`<p>${t('pet.away', { name })}</p>` : html`
        <div class="button-group">
          ${ACTIONS.map(([key, event]) => html`<${Button} type="button" kind="secondary" busy=${form.busy} onClick=${() => act(key, event)}>${t(`pet.action_${key}`)}<//>`)}
          ${back
            ? html`<${Button} type="button" busy=${form.busy} onClick=${() => act('collect', { kind: 'collect_adventure' })}>${t('pet.action_collect', { name })}<//>`
            : html`<${Button} type="button" kind="secondary" busy=${form.busy} onClick=${() => act('walk', { kind: 'start_adventure' })}>${t('pet.action_walk')}<//>`}
        </div>`}
    <//>`;
}
