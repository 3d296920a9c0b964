// Sign in with username (or email) and password.
import { html } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { post } from '../api.js';
import { navigate } from '../router.js';
import { setSession, homeFor } from '../session.js';
import { Page } from '../components/layout.js';
import { useForm, ErrorSummary, TextField, Button, formValues, required } from '../components/forms.js';

export function SignIn() {
  const form = useForm([{ id: 'username', server: ['username'] }, { id: 'password', server: ['password'] }]);
  const submit = (event) => {
    const values = formValues(event);
    form.run(async () => {
      const session = await post('/api/auth/login', { username: values.username.trim(), password: values.password });
      setSession(session);
      navigate(homeFor(session));
    }, required(values, [['username', 'signin.username_missing'], ['password', 'signin.password_missing']]));
  };
  return html`
    <${Page} title=${t('signin.title')}>
      <div class="measure">
        <${ErrorSummary} form=${form} />
        <form onSubmit=${submit} novalidate>
          <${TextField} id="username" label=${t('signin.username')} autocomplete="username" spellcheck="false" error=${form.errorFor('username')} />
          <${TextField} id="password" label=${t('signin.password')} type="password" autocomplete="current-password" error=${form.errorFor('password')} />
          <${Button} busy=${form.busy}>${t('signin.submit')}<//>
        </form>
        <p><a href="/register">${t('signin.register_link')}</a></p>
        <p><a href="/forgot-password">${t('signin.forgot_link')}</a></p>
      </div>
    <//>`;
}
