// A form drawn from a JSON Schema, for the CBT tools (built in and from
// plugins), and the same schema used to show what was entered and the result.
// It knows the types the tools use: strings (a line, or a text box when long),
// integers (a slider when the range is small and a value is required, else a
// number field), enums (radios), booleans (a checkbox), and arrays of strings
// or of objects (rows to add and remove). Anything else is left out of the
// form, and the server's answer says what is missing in plain words.
import { html, useState } from '../../vendor/preact-htm.module.js';
import { t, has } from '../i18n.js';
import { number } from '../words.js';
import { useForm, ErrorSummary, ErrorMessage, Button } from './forms.js';

// A string allowed more than this many characters gets a text box, not a line.
const LONG_TEXT_CHARS = 200;
// A required rating from 0 with at most this many steps is a slider; other
// integers (a number of minutes) are typed.
const SLIDER_STEPS = 100;

/** "planned_for" → "Planned for": a name for a field whose schema gives no title. */
function humanise(key) {
  const text = String(key).replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function titleOf(schema, key) {
  return (schema && schema.title) || humanise(key);
}

/** An enum value in the catalogue's words ("box_breathing" → "Box breathing"), else made readable. */
export function enumLabel(value) {
  return has(`schema.enum.${value}`) ? t(`schema.enum.${value}`) : humanise(value);
}

const isInteger = (schema) => schema && (schema.type === 'integer' || schema.type === 'number');
const bounded = (schema) => typeof schema.minimum === 'number' && typeof schema.maximum === 'number';
const isSlider = (schema, required) => isInteger(schema) && required && bounded(schema) && schema.minimum === 0 && schema.maximum <= SLIDER_STEPS;

/** The value a new form (or a new row) starts with. */
function initial(schema, required) {
  if (!schema) return undefined;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return '';
  switch (schema.type) {
    case 'object': {
      const value = {};
      for (const [key, property] of Object.entries(schema.properties || {})) {
        value[key] = initial(property, (schema.required || []).includes(key));
      }
      return value;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems || 0) }, () => initial(schema.items, true));
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return isSlider(schema, required) ? Math.round((schema.minimum + schema.maximum) / 2) : '';
    default:
      return '';
  }
}

/** Whether nothing was written in a row (so it is left out rather than refused). */
function blank(schema, value) {
  if (schema.type === 'object') {
    return Object.entries(schema.properties || {}).every(([key, property]) => property.type !== 'string' || property.enum || !String(value[key] || '').trim());
  }
  if (schema.type === 'string') return !String(value || '').trim();
  return false;
}

/**
 * The order to ask an object's fields in. A JSON object has no order (the
 * server's JSON sorts its keys), so the schema may name it in `x-order`;
 * otherwise the required fields come first, in the order `required` lists
 * them, then the rest.
 */
export function orderedKeys(schema) {
  const keys = Object.keys((schema && schema.properties) || {});
  const hint = Array.isArray(schema['x-order']) ? schema['x-order'] : [];
  const needed = Array.isArray(schema.required) ? schema.required : [];
  const rank = (key) => {
    if (hint.includes(key)) return hint.indexOf(key);
    if (needed.includes(key)) return hint.length + needed.indexOf(key);
    return hint.length + needed.length + keys.indexOf(key);
  };
  return keys.sort((a, b) => rank(a) - rank(b));
}

const fieldId = (prefix, path) => [prefix, ...path].join('-');

/** The first control of a field, where an error about it sends focus. */
function firstControl(schema, prefix, path) {
  if (schema.type === 'object') {
    const [key] = orderedKeys(schema);
    return key ? firstControl(schema.properties[key], prefix, [...path, key]) : fieldId(prefix, path);
  }
  if (schema.type === 'array') return firstControl(schema.items, prefix, [...path, 0]);
  return fieldId(prefix, path);
}

/**
 * The value to send, and the mistakes found: required fields left empty,
 * numbers outside their range, too few rows. Empty optional fields are left out.
 */
function collect(schema, value, required, prefix, path, errors) {
  const title = titleOf(schema, path[path.length - 1]);
  const id = fieldId(prefix, path);
  if (schema.enum) {
    if (value === '' || value === undefined) {
      if (required) errors.push({ field: id, message: t('schema.choose', { title }) });
      return undefined;
    }
    return value;
  }
  switch (schema.type) {
    case 'object': {
      const out = {};
      for (const key of orderedKeys(schema)) {
        const property = schema.properties[key];
        const item = collect(property, value[key], (schema.required || []).includes(key), prefix, [...path, key], errors);
        if (item !== undefined) out[key] = item;
      }
      return out;
    }
    case 'array': {
      const rows = value.map((item, index) => ({ item, index })).filter(({ item }) => !blank(schema.items, item));
      const least = schema.minItems || 0;
      if (rows.length < least) {
        errors.push({ field: firstControl(schema, prefix, path), message: t('schema.too_few', { title, count: least }) });
        return [];
      }
      return rows.map(({ item, index }) => collect(schema.items, item, true, prefix, [...path, index], errors));
    }
    case 'boolean':
      return Boolean(value);
    case 'integer':
    case 'number': {
      if (value === '' || value === undefined || value === null) {
        if (required) errors.push({ field: id, message: t('schema.enter_number', { title }) });
        return undefined;
      }
      const parsed = Number(value);
      const whole = schema.type === 'integer' ? Number.isInteger(parsed) : Number.isFinite(parsed);
      if (!whole || (bounded(schema) && (parsed < schema.minimum || parsed > schema.maximum))) {
        errors.push({ field: id, message: bounded(schema)
          ? t('schema.out_of_range', { title, min: schema.minimum, max: schema.maximum })
          : t('schema.not_a_number', { title }) });
        return undefined;
      }
      return parsed;
    }
    case 'string': {
      const text = String(value || '').trim();
      if (!text) {
        if (required && (schema.minLength || 0) > 0) errors.push({ field: id, message: t('schema.fill_in', { title }) });
        return required ? text : undefined;
      }
      return text;
    }
    default:
      return value;
  }
}

function describedBy(id, hint, error) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

function Hint({ id, text }) {
  return text ? html`<span class="hint" id=${`${id}-hint`}>${text}</span>` : null;
}

/** One field of any type; `inRow` fields (inside a list) are kept short. */
function Field({ schema, name, label, value, onChange, required, prefix, path, errorFor, inRow = false }) {
  const id = fieldId(prefix, path);
  const error = errorFor(id);
  const hint = schema.description || (required || schema.type === 'boolean' || schema.type === 'array' ? '' : t('schema.optional'));
  const groupClass = `form-group${error ? ' form-group--error' : ''}`;
  const invalid = error ? 'true' : undefined;
  if (schema.enum) {
    return html`
      <div class=${groupClass}>
        <fieldset aria-describedby=${describedBy(id, hint, error)}>
          <legend>${label}</legend>
          <${Hint} id=${id} text=${hint} />
          <${ErrorMessage} id=${id} message=${error} />
          <div class="choices">
            ${schema.enum.map((option, index) => html`
              <label class="choice" for=${index === 0 ? id : `${id}-${index}`}>
                <input type="radio" id=${index === 0 ? id : `${id}-${index}`} name=${id} value=${option}
                  checked=${value === option} onChange=${() => onChange(option)} />
                <span>${enumLabel(option)}</span>
              </label>`)}
          </div>
        </fieldset>
      </div>`;
  }
  switch (schema.type) {
    case 'object':
      return html`${orderedKeys(schema).map((key) => [key, schema.properties[key]]).map(([key, property]) => html`
        <${Field} key=${key} schema=${property} name=${key} label=${titleOf(property, key)} value=${value[key]}
          onChange=${(next) => onChange({ ...value, [key]: next })} required=${(schema.required || []).includes(key)}
          prefix=${prefix} path=${[...path, key]} errorFor=${errorFor} inRow=${inRow} />`)}`;
    case 'array':
      return html`<${ArrayField} schema=${schema} name=${name} label=${label} value=${value} onChange=${onChange}
        prefix=${prefix} path=${path} errorFor=${errorFor} />`;
    case 'boolean':
      return html`
        <div class=${groupClass}>
          <label class="choice" for=${id}>
            <input type="checkbox" id=${id} checked=${Boolean(value)} onChange=${(event) => onChange(event.currentTarget.checked)} />
            <span>${label}</span>
          </label>
        </div>`;
    case 'integer':
    case 'number':
      if (isSlider(schema, required)) {
        return html`
          <div class=${groupClass}>
            <label for=${id}>${label}</label>
            <${Hint} id=${id} text=${hint} />
            <${ErrorMessage} id=${id} message=${error} />
            <div class="slider">
              <input type="range" id=${id} min=${schema.minimum} max=${schema.maximum} step="1" value=${value}
                aria-describedby=${describedBy(id, hint, error)} aria-invalid=${invalid}
                onInput=${(event) => onChange(Number(event.currentTarget.value))} />
              <output for=${id} class="slider__value" aria-hidden="true">${value}</output>
            </div>
          </div>`;
      }
      return html`
        <div class=${groupClass}>
          <label for=${id}>${label}</label>
          <${Hint} id=${id} text=${bounded(schema) ? [hint, t('schema.range', { min: schema.minimum, max: schema.maximum })].filter(Boolean).join(' ') : hint} />
          <${ErrorMessage} id=${id} message=${error} />
          <input type="number" id=${id} class="input--score" inputmode="numeric" min=${schema.minimum} max=${schema.maximum} step="1"
            value=${value} aria-describedby=${describedBy(id, bounded(schema) || hint, error)} aria-required=${required ? 'true' : undefined} aria-invalid=${invalid}
            onInput=${(event) => onChange(event.currentTarget.value)} />
        </div>`;
    default: {
      const long = !inRow && (schema.maxLength || 0) > LONG_TEXT_CHARS;
      return html`
        <div class=${groupClass}>
          <label for=${id}>${label}</label>
          <${Hint} id=${id} text=${hint} />
          <${ErrorMessage} id=${id} message=${error} />
          ${long
    ? html`<textarea id=${id} rows="4" maxlength=${schema.maxLength} value=${value} aria-describedby=${describedBy(id, hint, error)} aria-invalid=${invalid}
              onInput=${(event) => onChange(event.currentTarget.value)}></textarea>`
    : html`<input type="text" id=${id} maxlength=${schema.maxLength} value=${value} aria-describedby=${describedBy(id, hint, error)} aria-invalid=${invalid}
              onInput=${(event) => onChange(event.currentTarget.value)} />`}
        </div>`;
    }
  }
}

/** Rows to add and remove: each row a group of fields (an emotion and how strong) or one line. */
function ArrayField({ schema, label, value, onChange, prefix, path, errorFor }) {
  const items = schema.items || { type: 'string' };
  const max = schema.maxItems || Infinity;
  const rowName = (index) => t('schema.row', { title: items.title && items.type !== 'object' ? items.title : label, number: index + 1 });
  const focusLater = (id) => requestAnimationFrame(() => {
    const element = document.getElementById(id);
    if (element) element.focus();
  });
  const add = () => {
    onChange([...value, initial(items, true)]);
    focusLater(firstControl(items, prefix, [...path, value.length]));
  };
  const remove = (at) => {
    onChange(value.filter((_, index) => index !== at));
    focusLater(firstControl(items, prefix, [...path, Math.max(0, at - 1)]));
  };
  const set = (at, next) => onChange(value.map((item, index) => (index === at ? next : item)));
  return html`
    <fieldset class="schema-array">
      <legend>${label}</legend>
      ${schema.description ? html`<span class="hint">${schema.description}</span>` : null}
      ${value.map((item, index) => html`
        <div class="schema-row">
          ${items.type === 'object' ? html`
            <fieldset class="schema-row__group">
              <legend class="schema-row__legend">${rowName(index)}</legend>
              <${Field} schema=${items} value=${item} onChange=${(next) => set(index, next)} prefix=${prefix} path=${[...path, index]} errorFor=${errorFor} inRow=${true} />
            </fieldset>`
    : html`<${Field} schema=${items} label=${rowName(index)} value=${item} onChange=${(next) => set(index, next)} required=${true}
              prefix=${prefix} path=${[...path, index]} errorFor=${errorFor} inRow=${true} />`}
          ${value.length > 1 ? html`
            <button type="button" class="button button--secondary button--small" onClick=${() => remove(index)}>
              ${t('schema.remove')}<span class="visually-hidden"> ${rowName(index)}</span></button>` : null}
        </div>`)}
      ${value.length < max ? html`
        <button type="button" class="button button--secondary button--small" onClick=${add}>
          ${t('schema.add')}<span class="visually-hidden"> ${t('schema.add_to', { title: label })}</span></button>` : null}
    </fieldset>`;
}

/**
 * The whole form. `onSubmit(value)` sends the collected value and may throw an
 * ApiError, shown at the top and by the field it names; after it succeeds the
 * form starts afresh.
 */
export function SchemaForm({ schema, prefix, onSubmit, submitLabel }) {
  const [value, setValue] = useState(() => initial(schema, true));
  const properties = Object.keys(schema.properties || {});
  const form = useForm(properties.map((key) => ({ id: firstControl(schema.properties[key], prefix, [key]), server: [key] })));
  const submit = (event) => {
    event.preventDefault();
    const errors = [];
    const collected = collect(schema, value, true, prefix, [], errors);
    form.run(async () => {
      await onSubmit(collected);
      setValue(initial(schema, true));
    }, errors);
  };
  return html`
    <${ErrorSummary} form=${form} id=${`${prefix}-errors`} />
    <form onSubmit=${submit} novalidate class="schema-form">
      <${Field} schema=${schema} value=${value} onChange=${setValue} required=${true} prefix=${prefix} path=${[]} errorFor=${form.errorFor} />
      <${Button} busy=${form.busy}>${submitLabel}<//>
    </form>`;
}

/** A value shown read-only with the schema's titles: a list of answers, tables for rows of objects. */
export function SchemaValue({ schema, value, labels = 'schema.field' }) {
  const label = (key, property) => (has(`${labels}.${key}`) ? t(`${labels}.${key}`) : (property && (property.title || property.description)) || humanise(key));
  const show = (property, item) => {
    if (item === null || item === undefined || item === '') return '–';
    if (property && property.enum) return enumLabel(item);
    if (typeof item === 'boolean') return item ? t('schema.yes') : t('schema.no');
    if (typeof item === 'number') return number(item);
    if (Array.isArray(item)) return item.map((entry) => show(property && property.items, entry)).join('; ');
    if (typeof item === 'object') return Object.entries(item).map(([key, entry]) => `${label(key, property && property.properties && property.properties[key])}: ${show(null, entry)}`).join(', ');
    return String(item);
  };
  const properties = (schema && schema.properties) || {};
  const order = schema ? orderedKeys(schema) : [];
  const rank = (key) => (order.includes(key) ? order.indexOf(key) : order.length);
  const keys = Object.keys(value || {}).sort((a, b) => rank(a) - rank(b));
  return html`
    <dl class="schema-value">
      ${keys.map((key) => {
        const property = properties[key];
        const item = value[key];
        const rows = Array.isArray(item) && item.length && typeof item[0] === 'object' && item[0] !== null;
        if (rows) {
          const itemProperties = (property && property.items && property.items.properties) || {};
          const itemOrder = property && property.items ? orderedKeys(property.items) : [];
          const columns = [...new Set([...itemOrder, ...item.flatMap((entry) => Object.keys(entry))])].filter((column) => item.some((entry) => column in entry));
          return html`
            <dt>${label(key, property)}</dt>
            <dd>
              <div class="table-wrap" tabindex="0" role="region" aria-label=${label(key, property)}>
                <table>
                  <thead><tr>${columns.map((column) => html`<th scope="col">${label(column, itemProperties[column])}</th>`)}</tr></thead>
                  <tbody>${item.map((entry) => html`<tr>${columns.map((column) => html`<td>${show(itemProperties[column], entry[column])}</td>`)}</tr>`)}</tbody>
                </table>
              </div>
            </dd>`;
        }
        if (Array.isArray(item) && item.length) {
          return html`<dt>${label(key, property)}</dt><dd><ul>${item.map((entry) => html`<li>${show(property && property.items, entry)}</li>`)}</ul></dd>`;
        }
        return html`<dt>${label(key, property)}</dt><dd class="schema-value__text">${show(property, item)}</dd>`;
      })}
    </dl>`;
}
