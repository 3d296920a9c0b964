// The safety plan's sections (Stanley–Brown: warning signs, coping on your own,
// people and places that distract, people to ask for help, professionals and
// services, making the environment safe, reasons for living), read-only and as
// a form. Used by the patient's own screen, a clinician's proposed edit, and
// the crisis view ("your safety plan").
import { html, useState, useEffect } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { useForm, ErrorSummary, ErrorMessage, Button } from './forms.js';

/** The sections in the plan's order; `contact` sections list people or services with how to reach them. */
export const SECTIONS = [
  { id: 'warning_signs', contact: false },
  { id: 'internal_coping_strategies', contact: false },
  { id: 'distracting_people_and_places', contact: true },
  { id: 'people_to_ask_for_help', contact: true },
  { id: 'professionals_and_services', contact: true },
  { id: 'making_the_environment_safe', contact: false },
  { id: 'reasons_for_living', contact: false },
];

// The server's limits (safety_plan.rs).
const MAX_ENTRIES = 20;
const MAX_ENTRY_CHARS = 500;
const MAX_CONTACT_CHARS = 200;

function sectionTitle(section, index) {
  return t('safety_plan.step_title', { step: index + 1, title: t(`safety_plan.section.${section.id}.title`) });
}

/** Whether the plan has anything written in it. */
export function planHasEntries(plan) {
  return SECTIONS.some((section) => (plan[section.id] || []).length > 0);
}

/** The plan to read; sections with nothing in them say so (or are left out with `filledOnly`). */
export function PlanView({ plan, level = 3, filledOnly = false }) {
  const Heading = `h${level}`;
  return SECTIONS.map((section, index) => {
    const entries = plan[section.id] || [];
    if (!entries.length && filledOnly) return null;
    return html`
      <div class="plan-section">
        <${Heading}>${sectionTitle(section, index)}<//>
        ${entries.length ? html`<ul>${entries.map((entry) => html`<li>${section.contact
          ? html`${entry.name}${entry.contact ? html`: ${contactLink(entry.contact)}` : null}`
          : entry}</li>`)}</ul>` : html`<p class="muted">${t('safety_plan.section_empty')}</p>`}
      </div>`;
  });
}

/** A phone number becomes a tel: link, so it is one tap away; anything else stays as written. */
function contactLink(contact) {
  const digits = contact.replace(/[\s()-]/g, '');
  if (/^\+?\d{3,15}$/.test(digits)) return html`<a href=${`tel:${digits}`}>${contact}</a>`;
  return contact;
}

/** The names of the sections where `proposed` differs from `current`. */
export function changedSections(current, proposed) {
  return SECTIONS.map((section, index) => ({ section, index }))
    .filter(({ section }) => JSON.stringify(current[section.id] || []) !== JSON.stringify(proposed[section.id] || []))
    .map(({ section, index }) => sectionTitle(section, index));
}

/** The plan as the form edits it: every section with at least one (maybe empty) row to write in. */
function editable(plan) {
  const draft = {};
  for (const section of SECTIONS) {
    const entries = (plan[section.id] || []).map((entry) => (section.contact ? { ...entry } : entry));
    if (!entries.length) entries.push(section.contact ? { name: '', contact: '' } : '');
    draft[section.id] = entries;
  }
  return draft;
}

/**
 * The plan to save, with empty rows left out, and the mistakes found in it: a
 * way to reach someone with no name, or nothing written anywhere.
 */
function cleaned(draft, prefix) {
  const plan = {};
  const errors = [];
  SECTIONS.forEach((section, sectionIndex) => {
    plan[section.id] = [];
    draft[section.id].forEach((entry, index) => {
      if (!section.contact) {
        if (entry.trim()) plan[section.id].push(entry.trim());
        return;
      }
      const name = entry.name.trim();
      const contact = entry.contact.trim();
      if (!name && contact) {
        errors.push({ field: `${prefix}-${section.id}-${index}`, message: t('safety_plan.name_missing', { number: index + 1, step: sectionTitle(section, sectionIndex) }) });
      } else if (name) plan[section.id].push({ name, contact });
    });
  });
  if (!errors.length && !planHasEntries(plan)) {
    errors.push({ field: `${prefix}-${SECTIONS[0].id}-0`, message: t('safety_plan.empty') });
  }
  return { plan, errors };
}

function TextEntry({ id, label, value, onInput, error }) {
  return html`
    <div class=${`form-group plan-entry${error ? ' form-group--error' : ''}`}>
      <label for=${id}>${label}</label>
      <${ErrorMessage} id=${id} message=${error} />
      <input id=${id} type="text" value=${value} maxlength=${MAX_ENTRY_CHARS} onInput=${onInput}
        aria-invalid=${error ? 'true' : undefined} aria-describedby=${error ? `${id}-error` : undefined} />
    </div>`;
}

/** A person or service: who, and how to reach them. */
function ContactEntry({ id, legend, value, onChange, error }) {
  return html`
    <fieldset class=${`plan-entry plan-contact${error ? ' form-group--error' : ''}`}>
      <legend class="plan-contact__legend">${legend}</legend>
      <${ErrorMessage} id=${id} message=${error} />
      <div class="form-group">
        <label for=${id}>${t('safety_plan.contact_name')}</label>
        <input id=${id} type="text" value=${value.name} maxlength=${MAX_ENTRY_CHARS} autocomplete="off"
          onInput=${(event) => onChange({ ...value, name: event.currentTarget.value })}
          aria-invalid=${error ? 'true' : undefined} aria-describedby=${error ? `${id}-error` : undefined} />
      </div>
      <div class="form-group">
        <label for=${`${id}-contact`}>${t('safety_plan.contact_how')}</label>
        <input id=${`${id}-contact`} type="text" value=${value.contact} maxlength=${MAX_CONTACT_CHARS} autocomplete="off"
          onInput=${(event) => onChange({ ...value, contact: event.currentTarget.value })} />
      </div>
    </fieldset>`;
}

function SectionEditor({ prefix, section, index, entries, onChange, errorFor }) {
  const base = `${prefix}-${section.id}`;
  const noun = (number) => t(`safety_plan.section.${section.id}.entry`, { number });
  const focusLater = (id) => requestAnimationFrame(() => {
    const element = document.getElementById(id);
    if (element) element.focus();
  });
  const add = () => {
    onChange([...entries, section.contact ? { name: '', contact: '' } : '']);
    focusLater(`${base}-${entries.length}`);
  };
  const remove = (at) => {
    const next = entries.filter((_, position) => position !== at);
    onChange(next.length ? next : [section.contact ? { name: '', contact: '' } : '']);
    focusLater(`${base}-${Math.max(0, at - 1)}`);
  };
  const set = (at, value) => onChange(entries.map((entry, position) => (position === at ? value : entry)));
  return html`
    <fieldset class="plan-section-editor" aria-describedby=${`${base}-hint`}>
      <legend>${sectionTitle(section, index)}</legend>
      <span class="hint" id=${`${base}-hint`}>${t(`safety_plan.section.${section.id}.hint`)}</span>
      ${entries.map((entry, at) => html`
        <div class="plan-row">
          ${section.contact
    ? html`<${ContactEntry} id=${`${base}-${at}`} legend=${noun(at + 1)} value=${entry} error=${errorFor(`${base}-${at}`)} onChange=${(value) => set(at, value)} />`
    : html`<${TextEntry} id=${`${base}-${at}`} label=${noun(at + 1)} value=${entry} error=${errorFor(`${base}-${at}`)} onInput=${(event) => set(at, event.currentTarget.value)} />`}
          ${entries.length > 1 || (section.contact ? entry.name || entry.contact : entry) ? html`
            <button type="button" class="button button--secondary button--small" onClick=${() => remove(at)}>
              ${t('safety_plan.remove')}<span class="visually-hidden"> ${noun(at + 1)}</span></button>` : null}
        </div>`)}
      ${entries.length < MAX_ENTRIES ? html`
        <button type="button" class="button button--secondary button--small" onClick=${add}>${t(`safety_plan.section.${section.id}.add`)}</button>` : null}
    </fieldset>`;
}

/**
 * The plan as a form. `onSave(plan)` sends it (and throws an ApiError to show);
 * `prefix` keeps ids apart when two plans are on one page; `submitLabel` names
 * the button.
 */
export function PlanEditor({ plan, onSave, prefix = 'plan', submitLabel, errorsId }) {
  const [draft, setDraft] = useState(() => editable(plan));
  useEffect(() => setDraft(editable(plan)), [plan]);
  const form = useForm(SECTIONS.map((section) => ({ id: `${prefix}-${section.id}-0`, server: [section.id] })));
  const submit = (event) => {
    event.preventDefault();
    const { plan: toSave, errors } = cleaned(draft, prefix);
    form.run(() => onSave(toSave), errors);
  };
  return html`
    <${ErrorSummary} form=${form} id=${errorsId || `${prefix}-errors`} />
    <form onSubmit=${submit} novalidate class="plan-form">
      ${SECTIONS.map((section, index) => html`
        <${SectionEditor} key=${section.id} prefix=${prefix} section=${section} index=${index} entries=${draft[section.id]}
          errorFor=${form.errorFor} onChange=${(entries) => setDraft((current) => ({ ...current, [section.id]: entries }))} />`)}
      <${Button} busy=${form.busy}>${submitLabel}<//>
    </form>`;
}
