// Two-factor sign-in: enter a code (or a recovery code), and enrol an
// authenticator app (QR drawn locally, then recovery codes shown once).
import { html, useState, useEffect } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { post, setCsrfToken } from '../api.js';
import { navigate } from '../router.js';
import { setSession, session, homeFor, loadSession } from '../session.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useForm, ErrorSummary, TextField, Button, formValues, required } from '../components/forms.js';
import { QrCode } from '../components/qr.js';

export function TwoFactor() {
  const [useRecovery, setUseRecovery] = useState(false);
  const form = useForm([{ id: 'code', server: ['code', 'the code'] }]);
  const submit = (event) => {
    const values = formValues(event);
    const code = (values.code || '').replace(/\s+/g, '');
    form.run(async () => {
      const body = useRecovery ? { recovery_code: values.code.trim() } : { code };
      const next = await post('/api/auth/verify-2fa', body);
      setSession(next);
      navigate(homeFor(next));
    }, required(values, [['code', useRecovery ? 'twofactor.recovery_missing' : 'twofactor.code_missing']]));
  };
  return html`
    <${Page} title=${t('twofactor.title')} lead=${useRecovery ? t('twofactor.recovery_lead') : t('twofactor.lead')}>
      <div class="measure">
        <${ErrorSummary} form=${form} />
        <form onSubmit=${submit} novalidate key=${useRecovery ? 'recovery' : 'code'}>
          ${useRecovery
            ? html`<${TextField} id="code" label=${t('twofactor.recovery_label')} autocomplete="off" spellcheck="false" error=${form.errorFor('code')} />`
            : html`<${TextField} id="code" label=${t('twofactor.code_label')} hint=${t('twofactor.code_hint')} inputmode="numeric" autocomplete="one-time-code" className="input--code" maxlength="8" error=${form.errorFor('code')} />`}
          <div class="button-group">
            <${Button} busy=${form.busy}>${t('twofactor.submit')}<//>
            <${Button} kind="secondary" type="button" onClick=${() => setUseRecovery(!useRecovery)}>${useRecovery ? t('twofactor.use_code') : t('twofactor.use_recovery')}<//>
          </div>
        </form>
      </div>
    <//>`;
}

export function TwoFactorSetup() {
  const [setup, setSetup] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [codes, setCodes] = useState(null);
  const form = useForm([{ id: 'code', server: ['code', 'the code'] }]);
  const current = session();
  const enabled = current && current.user.two_factor === 'enabled';
  useEffect(() => {
    if (enabled || codes) return;
    post('/api/auth/2fa/setup', {}).then(setSetup, setLoadError);
  }, []);
  if (codes) {
    const done = async () => {
      const next = await loadSession();
      navigate(homeFor(next));
    };
    return html`
      <${Page} title=${t('twofactor.codes_title')}>
        <div class="notice notice--success"><p>${t('twofactor.enabled')}</p></div>
        <p class="measure">${t('twofactor.codes_body')}</p>
        <ol class="recovery-codes" aria-label=${t('twofactor.codes_title')}>${codes.map((code) => html`<li>${code}</li>`)}</ol>
        <${Button} type="button" onClick=${done}>${t('twofactor.codes_done')}<//>
      <//>`;
  }
  if (enabled) {
    return html`<${Page} title=${t('twofactor.setup_title')}><p>${t('twofactor.already_enabled')}</p><p><a href="/settings">${t('settings.back')}</a></p><//>`;
  }
  const submit = (event) => {
    const values = formValues(event);
    form.run(async () => {
      const result = await post('/api/auth/2fa/confirm', { code: values.code.replace(/\s+/g, '') });
      setCsrfToken(result.csrf_token);
      setCodes(result.recovery_codes);
    }, required(values, [['code', 'twofactor.code_missing']]));
  };
  return html`
    <${Page} title=${t('twofactor.setup_title')} lead=${current && current.two_factor_setup_required ? t('twofactor.setup_required') : t('twofactor.setup_lead')}>
      ${loadError ? html`<${LoadError} error=${loadError} />` : null}
      ${!setup && !loadError ? html`<${Loading} />` : null}
      ${setup ? html`
        <ol class="measure">
          <li>${t('twofactor.step_app')}</li>
          <li>${t('twofactor.step_scan')}</li>
        </ol>
        <${QrCode} text=${setup.otpauth_uri} label=${t('twofactor.qr_label')} />
        <p>${t('twofactor.secret_intro')}</p>
        <p class="secret" id="totp-secret">${setup.secret}</p>
        <div class="measure">
          <${ErrorSummary} form=${form} />
          <form onSubmit=${submit} novalidate>
            <${TextField} id="code" label=${t('twofactor.confirm_label')} hint=${t('twofactor.code_hint')} inputmode="numeric" autocomplete="one-time-code" className="input--code" maxlength="8" error=${form.errorFor('code')} />
            <${Button} busy=${form.busy}>${t('twofactor.confirm_submit')}<//>
          </form>
        </div>` : null}
    <//>`;
}
