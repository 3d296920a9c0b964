// Password reset: ask for an email link, then choose a new password from it.
import { html, useState } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { post } from '../api.js';
import { Page } from '../components/layout.js';
import { useForm, ErrorSummary, TextField, Button, formValues, required } from '../components/forms.js';

export function ForgotPassword() {
  const [sent, setSent] = useState(false);
  const form = useForm([{ id: 'email', server: ['email'] }]);
  const submit = (event) => {
    const values = formValues(event);
    form.run(async () => {
      await post('/api/security/password-reset', { email: values.email.trim() });
      setSent(true);
    }, required(values, [['email', 'reset.email_missing']]));
  };
  if (sent) {
    return html`<${Page} title=${t('reset.sent_title')}><p class="measure">${t('reset.sent_body')}</p><p><a href="/sign-in">${t('reset.back_to_signin')}</a></p><//>`;
  }
  return html`
    <${Page} title=${t('reset.request_title')} lead=${t('reset.request_lead')}>
      <div class="measure">
        <${ErrorSummary} form=${form} />
        <form onSubmit=${submit} novalidate>
          <${TextField} id="email" label=${t('reset.email')} type="email" autocomplete="email" error=${form.errorFor('email')} />
          <${Button} busy=${form.busy}>${t('reset.request_submit')}<//>
        </form>
      </div>
    <//>`;
}

export function ResetPassword() {
  const [done, setDone] = useState(false);
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') || '';
  const form = useForm([{ id: 'new_password', server: ['password', 'new_password'] }]);
  const submit = (event) => {
    const values = formValues(event);
    const local = required(values, [['new_password', 'reset.password_missing']]);
    if (!token) local.push({ field: null, message: t('reset.no_token') });
    form.run(async () => {
      await post('/api/security/password-reset/confirm', { token, new_password: values.new_password });
      setDone(true);
    }, local);
  };
  if (done) {
    return html`<${Page} title=${t('reset.done_title')}><p>${t('reset.done_body')}</p><p><a class="button" href="/sign-in">${t('reset.back_to_signin')}</a></p><//>`;
  }
  return html`
    <${Page} title=${t('reset.confirm_title')}>
      <div class="measure">
        <${ErrorSummary} form=${form} />
        <form onSubmit=${submit} novalidate>
          <${TextField} id="new_password" label=${t('reset.new_password')} hint=${t('register.password_hint')} type="password" autocomplete="new-password" error=${form.errorFor('new_password')} />
          <${Button} busy=${form.busy}>${t('reset.confirm_submit')}<//>
        </form>
      </div>
    <//>`;
}
