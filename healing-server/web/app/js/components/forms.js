// Form pieces in the NHS pattern: "There is a problem" summary at the top,
// the message by the field, focus moved to the summary.
import { html, useState, useRef, useLayoutEffect } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { ApiError } from '../api.js';

/** Matches an API error to a form field by the field name its message starts with. */
function errorsFrom(error, fields, messages) {
  if (!(error instanceof ApiError)) {
    // A bug in the app, not the person's fault: say so plainly rather than nothing.
    console.error(error);
    return [{ field: null, message: t('errors.unknown') }];
  }
  const server = (error.serverMessage || '').toLowerCase();
  const field = fields.find((candidate) => (candidate.server || [candidate.id]).some((name) => server.startsWith(name)));
  const message = messages[error.code] ? t(messages[error.code]) : error.message;
  return [{ field: field ? field.id : null, message }];
}

/**
 * Form state: `run(action, localErrors)` shows `localErrors` if any, otherwise
 * runs `action` and shows whatever error it throws. `fields` lists
 * `{id, server: [names the server's messages start with]}`; `messages` maps an
 * error code to the catalogue key of wording that fits this form better.
 */
export function useForm(fields = [], messages = {}) {
  const [errors, setErrors] = useState([]);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef(null);
  // As soon as the summary is in the page, not a frame later: a screen that
  // re-renders in between (a late read) must not leave focus behind.
  useLayoutEffect(() => {
    if (errors.length && summaryRef.current) summaryRef.current.focus();
  }, [errors, attempt]);
  async function run(action, localErrors = []) {
    if (localErrors.length) {
      setErrors(localErrors);
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    try {
      await action();
      setErrors([]);
    } catch (error) {
      setErrors(errorsFrom(error, fields, messages));
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }
  const errorFor = (id) => {
    const found = errors.find((error) => error.field === id);
    return found ? found.message : null;
  };
  return { errors, busy, run, summaryRef, errorFor, setErrors };
}

/** `id` names the summary's heading; give each form on a page its own. */
export function ErrorSummary({ form, id = 'error-summary-title' }) {
  if (!form.errors.length) return null;
  const focusField = (event, id) => {
    const field = document.getElementById(id);
    if (field) {
      event.preventDefault();
      field.focus();
    }
  };
  return html`
    <div class="error-summary" aria-labelledby=${id} tabindex="-1" ref=${form.summaryRef}>
      <h2 id=${id}>${t('errors.summary_title')}</h2>
      <ul>
        ${form.errors.map((error) => html`<li>${error.field
          ? html`<a href=${`#${error.field}`} onClick=${(event) => focusField(event, error.field)}>${error.message}</a>`
          : error.message}</li>`)}
      </ul>
    </div>`;
}

export function ErrorMessage({ id, message }) {
  if (!message) return null;
  return html`<p class="error-message" id=${`${id}-error`}><span class="visually-hidden">${t('errors.prefix')} </span>${message}</p>`;
}

function describedBy(id, hint, error) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

export function TextField({ id, label, hint, error, type = 'text', autocomplete, inputmode, className = '', value, defaultValue, maxlength, spellcheck }) {
  return html`
    <div class=${`form-group${error ? ' form-group--error' : ''}`}>
      <label for=${id}>${label}</label>
      ${hint ? html`<span class="hint" id=${`${id}-hint`}>${hint}</span>` : null}
      <${ErrorMessage} id=${id} message=${error} />
      <input id=${id} name=${id} type=${type} autocomplete=${autocomplete} inputmode=${inputmode}
        class=${className} value=${value} defaultValue=${defaultValue} maxlength=${maxlength} spellcheck=${spellcheck}
        aria-invalid=${error ? 'true' : undefined} aria-describedby=${describedBy(id, hint, error)} />
    </div>`;
}

export function TextArea({ id, label, hint, error, rows = 5, maxlength, defaultValue }) {
  return html`
    <div class=${`form-group${error ? ' form-group--error' : ''}`}>
      <label for=${id}>${label}</label>
      ${hint ? html`<span class="hint" id=${`${id}-hint`}>${hint}</span>` : null}
      <${ErrorMessage} id=${id} message=${error} />
      <textarea id=${id} name=${id} rows=${rows} maxlength=${maxlength} defaultValue=${defaultValue}
        aria-invalid=${error ? 'true' : undefined} aria-describedby=${describedBy(id, hint, error)}></textarea>
    </div>`;
}

/** Radios in a fieldset; `options` are `{value, label}`. The first radio carries the id. */
export function Radios({ id, legend, hint, error, options, inline = false, scale = false, checked, onChange, legendClass = '' }) {
  const classes = `choices${inline ? ' choices--inline' : ''}${scale ? ' choices--scale' : ''}`;
  return html`
    <div class=${`form-group${error ? ' form-group--error' : ''}`}>
      <fieldset aria-describedby=${describedBy(id, hint, error)}>
        <legend class=${legendClass}>${legend}</legend>
        ${hint ? html`<span class="hint" id=${`${id}-hint`}>${hint}</span>` : null}
        <${ErrorMessage} id=${id} message=${error} />
        <div class=${classes}>
          ${options.map((option, index) => html`
            <label class="choice" for=${index === 0 ? id : `${id}-${index}`}>
              <input type="radio" id=${index === 0 ? id : `${id}-${index}`} name=${id} value=${option.value}
                checked=${checked === undefined ? undefined : String(checked) === String(option.value)}
                onChange=${onChange} />
              <span>${option.label}</span>
            </label>`)}
        </div>
      </fieldset>
    </div>`;
}

/** A drop-down list; `options` are `{value, label}`. */
export function Select({ id, label, hint, error, options, value }) {
  return html`
    <div class=${`form-group${error ? ' form-group--error' : ''}`}>
      <label for=${id}>${label}</label>
      ${hint ? html`<span class="hint" id=${`${id}-hint`}>${hint}</span>` : null}
      <${ErrorMessage} id=${id} message=${error} />
      <select id=${id} name=${id} aria-invalid=${error ? 'true' : undefined} aria-describedby=${describedBy(id, hint, error)}>
        ${options.map((option) => html`<option value=${option.value} selected=${value !== undefined && String(value) === String(option.value)}>${option.label}</option>`)}
      </select>
    </div>`;
}

/** One checkbox with its label beside it (its value is "on" when ticked). */
export function Checkbox({ id, label, hint }) {
  return html`
    <div class="form-group">
      <label class="choice" for=${id}>
        <input type="checkbox" id=${id} name=${id} aria-describedby=${hint ? `${id}-hint` : undefined} />
        <span>${label}</span>
      </label>
      ${hint ? html`<span class="hint" id=${`${id}-hint`}>${hint}</span>` : null}
    </div>`;
}

export function Button({ busy, children, kind = '', type = 'submit', onClick }) {
  return html`<button class=${`button${kind ? ` button--${kind}` : ''}`} type=${type} disabled=${busy} aria-disabled=${busy ? 'true' : undefined} onClick=${onClick}>${children}</button>`;
}

/** A FormData as a plain object of trimmed strings. */
export function formValues(event) {
  event.preventDefault();
  const values = {};
  for (const [key, value] of new FormData(event.currentTarget).entries()) values[key] = typeof value === 'string' ? value : '';
  return values;
}

/** Local "enter your …" errors for empty required fields: `[[id, catalogue key], …]`. */
export function required(values, fields) {
  return fields
    .filter(([id]) => !values[id] || !String(values[id]).trim())
    .map(([id, key]) => ({ field: id, message: t(key) }));
}

/** Checkboxes in a fieldset ("select all that apply"); `options` are `{value, label}`, `checked` the values ticked. The first box carries the id. */
export function Checkboxes({ id, legend, hint, error, options, checked = [] }) {
  return html`
    <div class=${`form-group${error ? ' form-group--error' : ''}`}>
      <fieldset aria-describedby=${describedBy(id, hint, error)}>
        <legend>${legend}</legend>
        ${hint ? html`<span class="hint" id=${`${id}-hint`}>${hint}</span>` : null}
        <${ErrorMessage} id=${id} message=${error} />
        <div class="choices">
          ${options.map((option, index) => html`
            <label class="choice" for=${index === 0 ? id : `${id}-${index}`}>
              <input type="checkbox" id=${index === 0 ? id : `${id}-${index}`} name=${id} value=${option.value}
                defaultChecked=${checked.includes(option.value)} />
              <span>${option.label}</span>
            </label>`)}
        </div>
      </fieldset>
    </div>`;
}
