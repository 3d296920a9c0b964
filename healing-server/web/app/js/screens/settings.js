// Settings: theme, consent choices with their wording, download my data,
// change password, two-factor sign-in, delete account.
import { html, useState } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, post, getBlob, saveBlob } from '../api.js';
import { navigate } from '../router.js';
import { session, patientPath, setSession } from '../session.js';
import { storedTheme, setTheme } from '../theme.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, TextField, Radios, Button, formValues, required } from '../components/forms.js';

const PURPOSES = ['care', 'clinician_sharing', 'research', 'email_notifications'];

function Theme() {
  const [theme, setChoice] = useState(storedTheme());
  const change = (event) => {
    setChoice(event.currentTarget.value);
    setTheme(event.currentTarget.value);
  };
  return html`
    <section aria-labelledby="settings-theme">
      <h2 id="settings-theme">${t('settings.theme_title')}</h2>
      <${Radios} id="theme" legend=${t('settings.theme_legend')} hint=${t('settings.theme_hint')} checked=${theme} onChange=${change}
        options=${[{ value: 'system', label: t('settings.theme_system') }, { value: 'light', label: t('settings.theme_light') }, { value: 'dark', label: t('settings.theme_dark') }]} />
    </section>`;
}

/** The ledger's state lists current grants; a purpose not listed is not granted. */
function isGranted(state, purpose) {
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
            <h3>${t(`consent.${purpose}.title`)}</h3>
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
  return html`
    <${Page} title=${t('settings.title')}>
      <${Theme} />
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
