// Create a patient account, then sign in. Registering with an email that
// already has an account answers like a new account (the owner is emailed
// instead), so the sign-in that follows is what fails: say what may have happened.
import { html } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { post } from '../api.js';
import { navigate } from '../router.js';
import { setSession, homeFor } from '../session.js';
import { Page } from '../components/layout.js';
import { useForm, ErrorSummary, TextField, Button, formValues, required } from '../components/forms.js';

export function Register() {
  const form = useForm([
    { id: 'display_name', server: ['display_name'] },
    { id: 'username', server: ['username'] },
    { id: 'email', server: ['email'] },
    { id: 'password', server: ['password'] },
  ], { INVALID_CREDENTIALS: 'register.not_signed_in' });
  const submit = (event) => {
    const values = formValues(event);
    form.run(async () => {
      const username = values.username.trim().toLowerCase();
      await post('/api/auth/register', {
        username,
        email: values.email.trim(),
        password: values.password,
        display_name: values.display_name.trim() || undefined,
      });
      const session = await post('/api/auth/login', { username, password: values.password });
      setSession(session);
      navigate(homeFor(session));
    }, required(values, [['username', 'register.username_missing'], ['email', 'register.email_missing'], ['password', 'register.password_missing']]));
  };
  return html`
    <${Page} title=${t('register.title')} lead=${t('register.lead')}>
      <div class="measure">
        <${ErrorSummary} form=${form} />
        <form onSubmit=${submit} novalidate>
          <${TextField} id="display_name" label=${t('register.display_name')} hint=${t('register.display_name_hint')} autocomplete="nickname" error=${form.errorFor('display_name')} />
          <${TextField} id="username" label=${t('register.username')} hint=${t('register.username_hint')} autocomplete="username" spellcheck="false" error=${form.errorFor('username')} />
          <${TextField} id="email" label=${t('register.email')} hint=${t('register.email_hint')} type="email" autocomplete="email" spellcheck="false" error=${form.errorFor('email')} />
          <${TextField} id="password" label=${t('register.password')} hint=${t('register.password_hint')} type="password" autocomplete="new-password" error=${form.errorFor('password')} />
          <${Button} busy=${form.busy}>${t('register.submit')}<//>
        </form>
        <p><a href="/sign-in">${t('register.signin_link')}</a></p>
      </div>
    <//>`;
}
