// Admin: accounts and roles, break-glass reading of one patient's record, the
// audit log with its chain check, health.
import { html, useState, useRef } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, post } from '../api.js';
import { navigate } from '../router.js';
import { session } from '../session.js';
import { cleanReason, reasonProblem, holdReason, BREAK_GLASS_MIN_CHARS, BREAK_GLASS_MAX_CHARS } from '../break-glass.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, TextArea, Button, formValues } from '../components/forms.js';

const ROLES = ['patient', 'clinician', 'admin'];

/** The reason form inside the break-glass dialog, drawn afresh for each patient. */
function ReasonForm({ user, dialog }) {
  const form = useForm([{ id: 'break_glass_reason' }]);
  const submit = (event) => {
    const values = formValues(event);
    const reason = cleanReason(values.break_glass_reason);
    const problem = reasonProblem(reason);
    form.run(async () => {
      holdReason(user.id, reason);
      dialog.current.close();
      navigate(`/admin/patients/${encodeURIComponent(user.id)}`);
    }, problem ? [{ field: 'break_glass_reason', message: problem }] : []);
  };
  return html`
    <h2 id="break-glass-title">${t('breakglass.dialog_title', { name: user.display_name })}</h2>
    <p>${t('breakglass.dialog_lead')}</p>
    <p>${t('breakglass.dialog_recorded')}</p>
    <${ErrorSummary} form=${form} id="break-glass-errors" />
    <form onSubmit=${submit} novalidate>
      <${TextArea} id="break_glass_reason" label=${t('breakglass.reason')} hint=${t('breakglass.reason_hint', { min: BREAK_GLASS_MIN_CHARS })} rows="3"
        maxlength=${BREAK_GLASS_MAX_CHARS} error=${form.errorFor('break_glass_reason')} />
      <div class="button-group">
        <${Button} kind="warning">${t('breakglass.confirm')}<//>
        <${Button} type="button" kind="secondary" onClick=${() => dialog.current.close()}>${t('breakglass.cancel')}<//>
      </div>
    </form>`;
}

/**
 * Break-glass: the admin states why they must read this patient's record
 * (recorded in the audit log and reviewed), then reads it on its own page.
 * `user` is the patient the dialog is open for, or null.
 */
function BreakGlassDialog({ dialog, user, onClose }) {
  return html`
    <dialog ref=${dialog} class="dialog" aria-labelledby="break-glass-title" onClose=${onClose}>
      ${user ? html`<${ReasonForm} key=${user.id} user=${user} dialog=${dialog} />` : null}
    </dialog>`;
}

export function Users() {
  const data = useData(() => get('/api/admin/users?limit=500'));
  const form = useForm([]);
  const [notice, setNotice] = useState(null);
  const [reading, setReading] = useState(null);
  const dialog = useRef(null);
  const opener = useRef(null);
  const me = session().user.id;
  const breakGlass = (user) => (event) => {
    opener.current = event.currentTarget;
    setReading(user);
    // Open once the dialog holds this patient's form.
    requestAnimationFrame(() => dialog.current.showModal());
  };
  const closed = () => {
    setReading(null);
    // Back to the button that opened it, unless the page changed.
    if (opener.current && opener.current.isConnected) opener.current.focus();
  };
  const change = (user) => (event) => {
    event.preventDefault();
    const role = new FormData(event.currentTarget).get('role');
    setNotice(null);
    form.run(async () => {
      await post(`/api/admin/users/${encodeURIComponent(user.id)}/role`, { role });
      setNotice(t('admin.role_changed', { name: user.display_name, role: t(`roles.${role}`) }));
      data.reload();
    });
  };
  return html`
    <${Page} title=${t('admin.users_title')}>
      <${ErrorSummary} form=${form} />
      <div role="status">${notice ? html`<div class="notice notice--success"><p>${notice}</p></div>` : null}</div>
      ${data.loading ? html`<${Loading} />` : data.error ? html`<${LoadError} error=${data.error} />` : html`
        <div class="table-wrap" tabindex="0" role="region" aria-label=${t('admin.users_title')}>
          <table>
            <caption class="visually-hidden">${t('admin.users_title')}</caption>
            <thead><tr><th scope="col">${t('admin.col_name')}</th><th scope="col">${t('admin.col_username')}</th><th scope="col">${t('admin.col_twofactor')}</th><th scope="col">${t('admin.col_role')}</th><th scope="col">${t('admin.col_record')}</th></tr></thead>
            <tbody>${data.data.map((user) => html`<tr>
              <td>${user.display_name}</td>
              <td>${user.username}</td>
              <td>${t(`admin.twofactor_${user.two_factor}`)}</td>
              <td>${user.id === me ? t(`roles.${user.role}`) : html`
                <form class="button-group" onSubmit=${change(user)}>
                  <label class="visually-hidden" for=${`role-${user.id}`}>${t('admin.role_for', { name: user.display_name })}</label>
                  <select id=${`role-${user.id}`} name="role">${ROLES.map((role) => html`<option value=${role} selected=${role === user.role}>${t(`roles.${role}`)}</option>`)}</select>
                  <${Button} kind="secondary" busy=${form.busy}>${t('admin.change_role')}<span class="visually-hidden"> ${t('admin.for_user', { name: user.display_name })}</span><//>
                </form>`}</td>
              <td>${user.role === 'patient' ? html`<${Button} type="button" kind="secondary" onClick=${breakGlass(user)}>${t('breakglass.open')}<span class="visually-hidden"> ${t('admin.for_user', { name: user.display_name })}</span><//>` : '–'}</td></tr>`)}</tbody>
          </table>
        </div>`}
      <${BreakGlassDialog} dialog=${dialog} user=${reading} onClose=${closed} />
    <//>`;
}

// The log is read forward in pages of 100. The first page fixes `until_seq`,
// the newest entry when the screen opened, so "Show more" ends even though
// every read is itself audited.
const AUDIT_PAGE = 100;

function auditPagePath(after, until) {
  const query = new URLSearchParams({ limit: String(AUDIT_PAGE) });
  if (after !== null) query.set('after_seq', String(after));
  if (until !== null) query.set('until_seq', String(until));
  return `/api/security/audit-log?${query}`;
}

export function Audit() {
  const data = useData(() => get(auditPagePath(null, null)));
  const form = useForm([]);
  const [check, setCheck] = useState(null);
  const [later, setLater] = useState({ entries: [], next: undefined });
  const verify = () => form.run(async () => setCheck(await get('/api/security/audit-log/verify')));
  const first = data.data;
  const next = later.next === undefined ? (first ? first.next_after_seq : null) : later.next;
  const showMore = () => form.run(async () => {
    const page = await get(auditPagePath(next, first.until_seq));
    setLater({ entries: [...later.entries, ...page.entries], next: page.next_after_seq });
  });
  const rows = first ? [...first.entries, ...later.entries].sort((a, b) => b.seq - a.seq) : [];
  return html`
    <${Page} title=${t('admin.audit_title')} lead=${t('admin.audit_lead')}>
      <${ErrorSummary} form=${form} />
      <p><${Button} type="button" busy=${form.busy} onClick=${verify}>${t('admin.verify')}<//></p>
      <div role="status">${check ? html`<div class=${`notice${check.intact ? ' notice--success' : ''}`}><p>${check.intact
        ? t('admin.chain_intact', { count: check.entries_checked })
        : t('admin.chain_broken', { detail: JSON.stringify(check.chain) })}</p></div>` : null}</div>
      ${data.loading ? html`<${Loading} />` : data.error ? html`<${LoadError} error=${data.error} />` : html`
        <div class="table-wrap" tabindex="0" role="region" aria-label=${t('admin.audit_title')}>
          <table>
            <caption class="visually-hidden">${t('admin.audit_title')}</caption>
            <thead><tr><th scope="col">#</th><th scope="col">${t('admin.col_when')}</th><th scope="col">${t('admin.col_action')}</th><th scope="col">${t('admin.col_actor')}</th></tr></thead>
            <tbody>${rows.map((row) => html`<tr><td>${row.seq}</td><td>${new Date(row.at).toLocaleString('en-GB')}</td><td>${row.action}</td><td>${row.actor_id ? row.actor_id.slice(0, 8) : '–'}</td></tr>`)}</tbody>
          </table>
        </div>
        ${next !== null ? html`<p><${Button} type="button" kind="secondary" busy=${form.busy} onClick=${showMore}>${t('admin.audit_more')}<//></p>` : null}`}
    <//>`;
}

export function Health() {
  const data = useData(() => get('/api/health'));
  return html`
    <${Page} title=${t('admin.health_title')}>
      ${data.loading ? html`<${Loading} />` : data.error ? html`<${LoadError} error=${data.error} />` : html`
        <dl class="stats">
          <dt>${t('admin.health_status')}</dt><dd>${data.data.status}</dd>
          <dt>${t('admin.health_database')}</dt><dd>${data.data.database}</dd>
          <dt>${t('admin.health_backend')}</dt><dd>${data.data.backend}</dd>
          <dt>${t('admin.health_version')}</dt><dd>${data.data.version}</dd>
        </dl>`}
    <//>`;
}
