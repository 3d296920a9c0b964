// Settings: colours and language, which notifications also come by email and
// when appointment reminders come (all saved on the account), consent choices
// with their wording, download my data, change password, two-factor sign-in,
// delete account.
import { html, useState, useEffect } from '../../vendor/preact-htm.module.js';
import { t, has } from '../i18n.js';
import { get, post, getBlob, saveBlob } from '../api.js';
import { navigate } from '../router.js';
import { session, patientPath, setSession } from '../session.js';
import { loadPreferences, updatePreferences, chooseTheme, themeInUse } from '../preferences.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, TextField, Radios, Checkboxes, Button, formValues, required } from '../components/forms.js';

const PURPOSES = ['care', 'clinician_sharing', 'ai_chat', 'research', 'email_notifications'];

/** The colours: used on this device at once and saved to the account, so every device the person signs in on agrees. */
function Theme() {
  const inUse = useData(themeInUse);
  const [theme, setChoice] = useState(null);
  const [saved, setSaved] = useState(false);
  const form = useForm([]);
  const change = (event) => {
    const value = event.currentTarget.value;
    setChoice(value);
    setSaved(false);
    form.run(async () => {
      await chooseTheme(value, session().user.id);
      setSaved(true);
    });
  };
  const checked = theme || inUse.data;
  return html`
    <section aria-labelledby="settings-theme">
      <h2 id="settings-theme">${t('settings.theme_title')}</h2>
      <${ErrorSummary} form=${form} id="theme-errors" />
      <div role="status">${saved ? html`<div class="notice notice--success"><p>${t('preferences.theme_saved')}</p></div>` : null}</div>
      ${checked ? html`
        <${Radios} id="theme" legend=${t('settings.theme_legend')} hint=${t('preferences.theme_hint')} checked=${checked} onChange=${change}
          options=${[{ value: 'system', label: t('settings.theme_system') }, { value: 'light', label: t('settings.theme_light') }, { value: 'dark', label: t('settings.theme_dark') }]} />` : html`<${Loading} />`}
    </section>`;
}

/** A language's name in the catalogue, or its code if the app has no name for it yet. */
function languageName(code) {
  const key = `preferences.language_name.${code}`;
  return has(key) ? t(key) : code;
}

/** The app's language: it has one so far, so there is nothing to choose yet. */
function Language({ data }) {
  if (!data.data) return null;
  const { language, choices } = data.data;
  return html`
    <section aria-labelledby="settings-language" class="measure">
      <h2 id="settings-language">${t('preferences.language_title')}</h2>
      <p>${t(choices.languages.length > 1 ? 'preferences.language_current' : 'preferences.language_only', { language: languageName(language) })}</p>
    </section>`;
}

/** A kind of notification as a choice ("I get a new message"), or its name if new to the app. */
function emailKind(kind) {
  const key = `preferences.email_kind.${kind}`;
  return has(key) ? t(key) : kind;
}

/**
 * Which notifications also come by email and how long before an appointment
 * its reminder comes, saved together. `data` is the stored preferences' read.
 */
function NotificationPreferences({ data }) {
  const form = useForm([{ id: 'email', server: ['email'] }, { id: 'reminder_lead_hours', server: ['reminder_lead_hours'] }]);
  const [saved, setSaved] = useState(false);
  const patient = session().user.role === 'patient';
  // A link to this section ("/settings#preferences-email", from Notifications) opens at it once drawn.
  const loaded = Boolean(data.data);
  useEffect(() => {
    const target = loaded && window.location.hash === '#preferences-email' ? document.getElementById('settings-preferences') : null;
    if (target) setTimeout(() => {
      target.scrollIntoView({ block: 'start' });
      target.focus();
    }, 0);
  }, [loaded]);
  const submit = (event) => {
    event.preventDefault();
    const values = new FormData(event.currentTarget);
    const email = values.getAll('email').map(String);
    const lead = String(values.get('reminder_lead_hours') || '').trim();
    const { reminder_lead_hours_min: min, reminder_lead_hours_max: max } = data.data.choices;
    const problems = [];
    if (!lead) problems.push({ field: 'reminder_lead_hours', message: t('preferences.lead_missing') });
    else if (!/^[0-9]+$/.test(lead)) problems.push({ field: 'reminder_lead_hours', message: t('preferences.lead_not_number') });
    else if (Number(lead) < min || Number(lead) > max) problems.push({ field: 'reminder_lead_hours', message: t('preferences.lead_range', { min, max }) });
    setSaved(false);
    form.run(async () => {
      await updatePreferences({ email, reminder_lead_hours: Number(lead) });
      setSaved(true);
    }, problems);
  };
  let body;
  if (data.loading) body = html`<${Loading} />`;
  else if (data.error) body = html`<${LoadError} error=${data.error} />`;
  else {
    const preferences = data.data;
    const { choices } = preferences;
    body = html`
      <${ErrorSummary} form=${form} id="preferences-errors" />
      <div role="status">${saved ? html`<div class="notice notice--success"><p>${t('preferences.saved')}</p></div>` : null}</div>
      <form onSubmit=${submit} novalidate>
        <${Checkboxes} id="email" legend=${t('preferences.email_legend')} hint=${t('preferences.email_hint')} error=${form.errorFor('email')}
          options=${choices.email.map((kind) => ({ value: kind, label: emailKind(kind) }))} checked=${preferences.email} />
        ${patient ? html`<p class="measure">${t('preferences.email_consent')} <a href="#consent-email_notifications">${t('preferences.email_consent_link')}</a></p>` : null}
        <${TextField} id="reminder_lead_hours" label=${t('preferences.lead_label')} hint=${t('preferences.lead_hint', { min: choices.reminder_lead_hours_min, max: choices.reminder_lead_hours_max })}
          inputmode="numeric" className="input--short" defaultValue=${String(preferences.reminder_lead_hours)} error=${form.errorFor('reminder_lead_hours')} />
        <${Button} busy=${form.busy}>${t('preferences.save')}<//>
      </form>`;
  }
  return html`
    <section aria-labelledby="settings-preferences" class="measure">
      <h2 id="settings-preferences" tabindex="-1">${t('preferences.title')}</h2>
      <p>${t('preferences.lead')} <a href="/notifications">${t('preferences.notifications_link')}</a></p>
      ${body}
    </section>`;
}

/** The ledger's state lists current grants; a purpose not listed is not granted. */
export function isGranted(state, purpose) {
  return Boolean(state && Array.isArray(state.grants) && state.grants.some((grant) => grant.purpose === purpose));
}

/** The server's consent texts are the ones recorded with each decision, so they are shown as the server gives them. */
async function loadConsent() {
  const [ledger, wordings] = await Promise.all([get(patientPath('/consent')), get('/api/consent/wordings')]);
  return { state: ledger.state, wordings: wordings.current };
}

function Consent() {
  const data = useData(loadConsent);
  const form = useForm([]);
  const [saved, setSaved] = useState(null);
  // A link to one choice (the chat's "#consent-ai_chat") opens at that choice once the choices are drawn.
  const loaded = Boolean(data.data);
  useEffect(() => {
    const target = loaded && window.location.hash ? document.getElementById(`${window.location.hash.slice(1)}-title`) : null;
    if (target) setTimeout(() => {
      target.scrollIntoView({ block: 'start' });
      target.focus();
    }, 0);
  }, [loaded]);
  const decide = (purpose, decision) => form.run(async () => {
    const wording = data.data.wordings.find((item) => item.purpose === purpose);
    await post(patientPath('/consent'), { purpose, decision, wording_version: wording.version });
    setSaved(t(decision === 'grant' ? 'consent.saved_grant' : 'consent.saved_withdraw', { purpose: t(`consent.${purpose}.title`) }));
    data.reload();
  });
  return html`
    <section aria-labelledby="settings-consent">
      <h2 id="settings-consent">${t('consent.title')}</h2>
      <p class="measure">${t('consent.lead')}</p>
      <${ErrorSummary} form=${form} />
      <div role="status">${saved ? html`<div class="notice notice--success"><p>${saved}</p></div>` : null}</div>
      ${data.loading ? html`<${Loading} />` : data.error ? html`<${LoadError} error=${data.error} />` : PURPOSES.map((purpose) => {
        const granted = isGranted(data.data.state, purpose);
        const wording = data.data.wordings.find((item) => item.purpose === purpose);
        return html`
          <div class="card measure form-group" id=${`consent-${purpose}`}>
            <h3 id=${`consent-${purpose}-title`} tabindex="-1">${t(`consent.${purpose}.title`)}</h3>
            <p>${wording ? wording.text : ''}</p>
            <p><strong>${granted ? t('consent.status_granted') : t('consent.status_not_granted')}</strong></p>
            <${Button} type="button" kind="secondary" busy=${form.busy} onClick=${() => decide(purpose, granted ? 'withdraw' : 'grant')}>
              ${granted ? t('consent.withdraw', { purpose: t(`consent.${purpose}.title`) }) : t('consent.grant', { purpose: t(`consent.${purpose}.title`) })}<//>
          </div>`;
      })}
    </section>`;
}

function Export() {
  const form = useForm([]);
  const [done, setDone] = useState(false);
  const download = (event) => {
    const values = formValues(event);
    const format = values.format === 'fhir' ? 'fhir' : 'json';
    form.run(async () => {
      const blob = await getBlob(`/api/security/export-data?format=${format}`);
      saveBlob(blob, format === 'fhir' ? 'healing-data-fhir.json' : 'healing-data.json');
      setDone(true);
    });
  };
  return html`
    <section aria-labelledby="settings-export">
      <h2 id="settings-export">${t('settings.export_title')}</h2>
      <p class="measure">${t('settings.export_lead')}</p>
      <${ErrorSummary} form=${form} />
      <div role="status">${done ? html`<div class="notice notice--success"><p>${t('settings.export_done')}</p></div>` : null}</div>
      <form onSubmit=${download} novalidate>
        <${Radios} id="format" legend=${t('settings.export_format')} checked="json"
          options=${[{ value: 'json', label: t('settings.export_json') }, { value: 'fhir', label: t('settings.export_fhir') }]} />
        <${Button} busy=${form.busy}>${t('settings.export_submit')}<//>
      </form>
    </section>`;
}

function ChangePassword() {
  const form = useForm([{ id: 'current_password', server: ['current password'] }, { id: 'new_password', server: ['password'] }],
    { INVALID_CREDENTIALS: 'settings.current_password_wrong' });
  const [done, setDone] = useState(false);
  const submit = (event) => {
    const target = event.currentTarget;
    const values = formValues(event);
    setDone(false);
    form.run(async () => {
      await post('/api/auth/change-password', { current_password: values.current_password, new_password: values.new_password });
      target.reset();
      setDone(true);
    }, required(values, [['current_password', 'settings.current_password_missing'], ['new_password', 'settings.new_password_missing']]));
  };
  return html`
    <section aria-labelledby="settings-password" class="measure">
      <h2 id="settings-password">${t('settings.password_title')}</h2>
      <${ErrorSummary} form=${form} />
      <div role="status">${done ? html`<div class="notice notice--success"><p>${t('settings.password_done')}</p></div>` : null}</div>
      <form onSubmit=${submit} novalidate>
        <${TextField} id="current_password" label=${t('settings.current_password')} type="password" autocomplete="current-password" error=${form.errorFor('current_password')} />
        <${TextField} id="new_password" label=${t('settings.new_password')} hint=${t('register.password_hint')} type="password" autocomplete="new-password" error=${form.errorFor('new_password')} />
        <${Button} busy=${form.busy}>${t('settings.password_submit')}<//>
      </form>
    </section>`;
}

function TwoFactorStatus() {
  const enabled = session().user.two_factor === 'enabled';
  return html`
    <section aria-labelledby="settings-2fa" class="measure">
      <h2 id="settings-2fa">${t('settings.twofactor_title')}</h2>
      <p>${enabled ? t('settings.twofactor_on') : t('settings.twofactor_off')}</p>
      ${enabled ? null : html`<p><a class="button button--secondary" href="/two-factor/setup">${t('settings.twofactor_setup')}</a></p>`}
    </section>`;
}

function DeleteAccount() {
  const form = useForm([{ id: 'delete_password', server: ['password'] }], { INVALID_CREDENTIALS: 'settings.delete_password_wrong' });
  const submit = (event) => {
    const values = formValues(event);
    form.run(async () => {
      await post('/api/security/delete-account', { password: values.delete_password });
      setSession(null);
      navigate('/account-deleted');
    }, required(values, [['delete_password', 'settings.delete_password_missing']]));
  };
  return html`
    <section aria-labelledby="settings-delete" class="measure">
      <h2 id="settings-delete">${t('settings.delete_title')}</h2>
      <p>${t('settings.delete_lead')}</p>
      <${ErrorSummary} form=${form} />
      <form onSubmit=${submit} novalidate>
        <${TextField} id="delete_password" label=${t('settings.delete_password')} type="password" autocomplete="current-password" error=${form.errorFor('delete_password')} />
        <${Button} kind="warning" busy=${form.busy}>${t('settings.delete_submit')}<//>
      </form>
    </section>`;
}

export function Settings() {
  const patient = session().user.role === 'patient';
  const preferences = useData(loadPreferences);
  return html`
    <${Page} title=${t('settings.title')}>
      <${Theme} />
      <${Language} data=${preferences} />
      <${NotificationPreferences} data=${preferences} />
      ${patient ? html`<${Consent} />` : null}
      <${Export} />
      <${ChangePassword} />
      <${TwoFactorStatus} />
      <${DeleteAccount} />
    <//>`;
}

export function AccountDeleted() {
  return html`<${Page} title=${t('settings.deleted_title')}><p class="measure">${t('settings.deleted_body')}</p><p><a href="/register">${t('settings.deleted_register')}</a></p><//>`;
}
