// Admin: accounts (found by name, role and state), their roles, disabling,
// enabling and erasing them with a reason, break-glass reading of one
// patient's record, the audit log with its chain check, health.
import { html, useState, useRef, useEffect } from '../../vendor/preact-htm.module.js';
import { t, tData } from '../i18n.js';
import { get, post, ApiError } from '../api.js';
import { navigate } from '../router.js';
import { session } from '../session.js';
import { cleanReason, reasonProblem, holdReason, BREAK_GLASS_MIN_CHARS, BREAK_GLASS_MAX_CHARS } from '../break-glass.js';
import { Page, Loading, LoadError, focusHeadingSoon } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, TextArea, TextField, Select, Button, formValues } from '../components/forms.js';
import { shortDateTime } from '../components/time.js';

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

// Users read at a time (one more is asked for, to know whether there is a next page).
const USERS_PAGE = 50;
// The server's bounds (routes/admin.rs): a reason's length, and the search text's.
const REASON_MIN_CHARS = 10;
const REASON_MAX_CHARS = 500;
const SEARCH_MAX_CHARS = 100;

/** The name an admin knows a person by: their chosen name, else their username. */
const nameOf = (user) => user.display_name || user.username;

function usersPath(filters, offset) {
  const query = new URLSearchParams({ limit: String(USERS_PAGE + 1), offset: String(offset) });
  if (filters.role) query.set('role', filters.role);
  if (filters.state) query.set('disabled', filters.state === 'disabled' ? 'true' : 'false');
  if (filters.text) query.set('q', filters.text);
  return `/api/admin/users?${query}`;
}

/** The filters the list offers: words in the name or username, the role, and whether the account may sign in. */
function Filters({ filters, onApply }) {
  const form = useForm([{ id: 'user_text', server: ['q'] }]);
  const apply = (event) => {
    const values = formValues(event);
    const text = values.user_text.trim();
    form.run(async () => onApply({ text, role: values.user_role, state: values.user_state }),
      [...text].length > SEARCH_MAX_CHARS ? [{ field: 'user_text', message: t('account_admin.text_too_long') }] : []);
  };
  const clear = (event) => {
    event.currentTarget.form.reset();
    form.setErrors([]);
    onApply({ text: '', role: '', state: '' });
  };
  return html`
    <section aria-labelledby="user-filters">
      <h2 id="user-filters">${t('account_admin.filters_title')}</h2>
      <${ErrorSummary} form=${form} id="user-filter-errors" />
      <form class="inline-form" onSubmit=${apply} novalidate>
        <${TextField} id="user_text" label=${t('account_admin.filter_text')} type="search" spellcheck="false" maxlength=${SEARCH_MAX_CHARS}
          defaultValue=${filters.text} error=${form.errorFor('user_text')} />
        <${Select} id="user_role" label=${t('account_admin.filter_role')} value=${filters.role}
          options=${[{ value: '', label: t('account_admin.any_role') }, ...ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))]} />
        <${Select} id="user_state" label=${t('account_admin.filter_state')} value=${filters.state}
          options=${[{ value: '', label: t('account_admin.any_state') }, { value: 'enabled', label: t('account_admin.state_enabled') }, { value: 'disabled', label: t('account_admin.state_disabled') }]} />
        <div class="button-group">
          <${Button}>${t('account_admin.apply')}<//>
          <${Button} type="button" kind="secondary" onClick=${clear}>${t('account_admin.clear')}<//>
        </div>
      </form>
    </section>`;
}

/** The reason's problem in words, or null: the server's bounds, checked before sending. */
function reasonProblems(reason) {
  const length = [...reason].length;
  if (!length) return [{ field: 'account_reason', message: t('account_admin.reason_missing') }];
  if (length < REASON_MIN_CHARS) return [{ field: 'account_reason', message: t('account_admin.reason_short', { min: REASON_MIN_CHARS }) }];
  if (length > REASON_MAX_CHARS) return [{ field: 'account_reason', message: t('account_admin.reason_long', { max: REASON_MAX_CHARS }) }];
  return [];
}

/**
 * Sends an account action; an answer that says the list is out of date (the
 * account changed or went meanwhile) re-reads it and says so.
 */
async function accountAction(user, action, body, onStale) {
  try {
    return await post(`/api/admin/users/${encodeURIComponent(user.id)}/${action}`, body);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const stale = { CONFLICT: 'account_admin.state_changed', NOT_FOUND: 'account_admin.gone' }[error.code];
    if (stale) {
      onStale();
      throw new ApiError(error.status, error.code, t(stale));
    }
    if (error.code === 'CONFIRMATION_MISMATCH') {
      throw new ApiError(error.status, error.code, t('account_admin.confirm_mismatch', { username: user.username }), error.serverMessage);
    }
    if (error.code === 'OWN_ACCOUNT') throw new ApiError(error.status, error.code, t('account_admin.own_account'));
    throw error;
  }
}

const ACCOUNT_FIELDS = [{ id: 'account_reason', server: ['reason'] }, { id: 'confirm_username', server: ['confirm_username'] }];

/** Disable or enable, with a reason, in the dialog: what happens is said before it is done. */
function StateForm({ action, user, dialog, onDone, onStale }) {
  const form = useForm(ACCOUNT_FIELDS);
  const name = nameOf(user);
  const submit = (event) => {
    const values = formValues(event);
    const reason = values.account_reason.trim();
    form.run(async () => {
      const changed = await accountAction(user, action, { reason }, onStale);
      onDone(changed, t(action === 'disable' ? 'account_admin.disabled_done' : 'account_admin.enabled_done', { name }));
    }, reasonProblems(reason));
  };
  return html`
    <h2 id="account-dialog-title">${t(`account_admin.${action}_title`, { name })}</h2>
    <p id="account-dialog-lead">${t(`account_admin.${action}_lead`, { name })}</p>
    <${ErrorSummary} form=${form} id="account-dialog-errors" />
    <form onSubmit=${submit} novalidate>
      <${TextArea} id="account_reason" label=${t('account_admin.reason')} hint=${t('account_admin.reason_hint', { min: REASON_MIN_CHARS, max: REASON_MAX_CHARS })}
        rows="3" maxlength=${REASON_MAX_CHARS} error=${form.errorFor('account_reason')} />
      <div class="button-group">
        <${Button} kind=${action === 'disable' ? 'warning' : ''} busy=${form.busy}>${t(`account_admin.${action}_confirm`)}<//>
        <${Button} type="button" kind="secondary" onClick=${() => dialog.current.close()}>${t('account_admin.cancel')}<//>
      </div>
    </form>`;
}

/** Erase on the person's request: what goes and what stays, a reason, and the username typed again. */
function EraseForm({ user, dialog, onDone, onStale }) {
  const form = useForm(ACCOUNT_FIELDS);
  const name = nameOf(user);
  const submit = (event) => {
    const values = formValues(event);
    const reason = values.account_reason.trim();
    const typed = values.confirm_username.trim();
    const problems = reasonProblems(reason);
    if (!typed) problems.push({ field: 'confirm_username', message: t('account_admin.confirm_missing') });
    else if (typed !== user.username) problems.push({ field: 'confirm_username', message: t('account_admin.confirm_mismatch', { username: user.username }) });
    form.run(async () => {
      const erased = await accountAction(user, 'erase', { reason, confirm_username: typed }, onStale);
      const count = Object.values(erased.rows_deleted || {}).reduce((sum, rows) => sum + Number(rows), 0);
      onDone(null, count === 1 ? t('account_admin.erased_done_one', { name }) : t('account_admin.erased_done', { name, count }));
    }, problems);
  };
  return html`
    <h2 id="account-dialog-title">${t('account_admin.erase_title', { name })}</h2>
    <p id="account-dialog-lead"><strong>${t('account_admin.erase_lead')}</strong></p>
    <h3>${t('account_admin.erase_deleted_title')}</h3>
    <ul>${(tData('account_admin.erase_deleted') || []).map((line) => html`<li>${line}</li>`)}</ul>
    <h3>${t('account_admin.erase_kept_title')}</h3>
    <ul>${(tData('account_admin.erase_kept') || []).map((line) => html`<li>${line}</li>`)}</ul>
    <${ErrorSummary} form=${form} id="account-dialog-errors" />
    <form onSubmit=${submit} novalidate>
      <${TextArea} id="account_reason" label=${t('account_admin.reason')} hint=${t('account_admin.reason_hint', { min: REASON_MIN_CHARS, max: REASON_MAX_CHARS })}
        rows="3" maxlength=${REASON_MAX_CHARS} error=${form.errorFor('account_reason')} />
      <${TextField} id="confirm_username" label=${t('account_admin.confirm_username', { username: user.username })} autocomplete="off" spellcheck="false"
        error=${form.errorFor('confirm_username')} />
      <div class="button-group">
        <${Button} kind="warning" busy=${form.busy}>${t('account_admin.erase_confirm')}<//>
        <${Button} type="button" kind="secondary" onClick=${() => dialog.current.close()}>${t('account_admin.cancel')}<//>
      </div>
    </form>`;
}

/** The dialog for disabling, enabling or erasing one account; `acting` is `{action, user}` or null. */
function AccountDialog({ dialog, acting, onClose, onDone, onStale }) {
  let content = null;
  if (acting) {
    const props = { key: `${acting.action}-${acting.user.id}`, user: acting.user, dialog, onDone, onStale };
    content = acting.action === 'erase' ? html`<${EraseForm} ...${props} />` : html`<${StateForm} action=${acting.action} ...${props} />`;
  }
  return html`
    <dialog ref=${dialog} class="dialog" aria-labelledby="account-dialog-title" aria-describedby="account-dialog-lead" onClose=${onClose}>
      ${content}
    </dialog>`;
}

/** Whether the account may sign in, and the actions on it (none on one's own). */
function AccountCell({ user, me, onAct }) {
  const forName = html`<span class="visually-hidden"> ${t('admin.for_user', { name: nameOf(user) })}</span>`;
  return html`
    <td role="cell" data-label=${t('account_admin.col_account')}>
      <p class="account-state">${user.disabled_at
        ? html`<strong>${t('account_admin.disabled_since', { when: shortDateTime(user.disabled_at) })}</strong>`
        : t('account_admin.can_sign_in')}</p>
      ${user.id === me ? html`<p>${t('account_admin.you')}</p>` : html`
        <div class="button-group account-actions">
          ${user.disabled_at
            ? html`<${Button} type="button" kind="secondary" onClick=${onAct('enable', user)}>${t('account_admin.enable')}${forName}<//>`
            : html`<${Button} type="button" kind="secondary" onClick=${onAct('disable', user)}>${t('account_admin.disable')}${forName}<//>`}
          <${Button} type="button" kind="warning" onClick=${onAct('erase', user)}>${t('account_admin.erase')}${forName}<//>
        </div>`}
    </td>`;
}

export function Users() {
  const [filters, setFilters] = useState({ text: '', role: '', state: '' });
  const [offset, setOffset] = useState(0);
  const data = useData(() => get(usersPath(filters, offset)), [filters, offset]);
  // Accounts changed on this page since the list was read: the new view, or null once erased.
  const [updates, setUpdates] = useState({});
  const form = useForm([]);
  const [notice, setNotice] = useState(null);
  const noticeRef = useRef(null);
  const [reading, setReading] = useState(null);
  const [acting, setActing] = useState(null);
  const dialog = useRef(null);
  const accountDialog = useRef(null);
  const opener = useRef(null);
  const me = session().user.id;
  useEffect(() => setUpdates({}), [data.data]);
  useEffect(() => {
    // The button pressed may be gone (an erased row): the reader goes to what happened.
    if (notice && notice.focus && noticeRef.current) noticeRef.current.focus();
  }, [notice]);
  const breakGlass = (user) => (event) => {
    opener.current = event.currentTarget;
    setReading(user);
    // Open once the dialog holds this patient's form.
    requestAnimationFrame(() => dialog.current.showModal());
  };
  const closed = () => {
    // A close event can arrive after the dialog was opened again (Escape, then
    // straight back in): it belongs to the earlier opening.
    if (dialog.current && dialog.current.open) return;
    setReading(null);
    // Back to the button that opened it, unless the page changed.
    if (opener.current && opener.current.isConnected) opener.current.focus();
  };
  const act = (action, user) => (event) => {
    opener.current = event.currentTarget;
    setNotice(null);
    setActing({ action, user });
    requestAnimationFrame(() => accountDialog.current.showModal());
  };
  const accountClosed = () => {
    if (accountDialog.current && accountDialog.current.open) return;
    setActing(null);
    if (opener.current && opener.current.isConnected) opener.current.focus();
  };
  const done = (user) => (changed, message) => {
    opener.current = null;
    accountDialog.current.close();
    setUpdates((current) => ({ ...current, [user.id]: changed }));
    setNotice({ text: message, focus: true });
  };
  const filter = (next) => {
    setNotice(null);
    setOffset(0);
    setFilters(next);
  };
  const turnPage = (next) => {
    setNotice(null);
    setOffset(next);
    focusHeadingSoon();
  };
  const change = (user) => (event) => {
    event.preventDefault();
    const role = new FormData(event.currentTarget).get('role');
    setNotice(null);
    form.run(async () => {
      await post(`/api/admin/users/${encodeURIComponent(user.id)}/role`, { role });
      setNotice({ text: t('admin.role_changed', { name: user.display_name, role: t(`roles.${role}`) }) });
      data.reload();
    });
  };
  let list;
  if (data.loading && !data.data) list = html`<${Loading} />`;
  else if (data.error) list = html`<${LoadError} error=${data.error} />`;
  else {
    const more = data.data.length > USERS_PAGE;
    const users = data.data.slice(0, USERS_PAGE)
      .map((user) => (user.id in updates ? updates[user.id] : user))
      .filter(Boolean);
    const label = t('account_admin.list_label', { from: offset + 1, to: offset + users.length });
    const cell = (key, content) => html`<td role="cell" data-label=${t(key)}>${content}</td>`;
    list = users.length ? html`
      <div class="table-wrap" tabindex="0" role="region" aria-label=${label}>
        <table class="user-table" role="table">
          <caption class="visually-hidden">${label}</caption>
          <thead role="rowgroup"><tr role="row">${['admin.col_name', 'admin.col_username', 'admin.col_twofactor', 'admin.col_role', 'account_admin.col_account', 'admin.col_record']
            .map((key) => html`<th scope="col" role="columnheader">${t(key)}</th>`)}</tr></thead>
          <tbody role="rowgroup">${users.map((user) => html`<tr role="row" key=${user.id}>
            <th scope="row" role="rowheader">${nameOf(user)}</th>
            ${cell('admin.col_username', user.username)}
            ${cell('admin.col_twofactor', t(`admin.twofactor_${user.two_factor}`))}
            ${cell('admin.col_role', user.id === me ? t(`roles.${user.role}`) : html`
              <form class="button-group" onSubmit=${change(user)}>
                <label class="visually-hidden" for=${`role-${user.id}`}>${t('admin.role_for', { name: user.display_name })}</label>
                <select id=${`role-${user.id}`} name="role">${ROLES.map((role) => html`<option value=${role} selected=${role === user.role}>${t(`roles.${role}`)}</option>`)}</select>
                <${Button} kind="secondary" busy=${form.busy}>${t('admin.change_role')}<span class="visually-hidden"> ${t('admin.for_user', { name: user.display_name })}</span><//>
              </form>`)}
            <${AccountCell} user=${user} me=${me} onAct=${act} />
            ${cell('admin.col_record', user.role === 'patient' ? html`<${Button} type="button" kind="secondary" onClick=${breakGlass(user)}>${t('breakglass.open')}<span class="visually-hidden"> ${t('admin.for_user', { name: user.display_name })}</span><//>` : '–')}</tr>`)}</tbody>
        </table>
      </div>` : html`<p>${t('account_admin.none')}</p>`;
    if (offset > 0 || more) {
      list = html`${list}
        <nav class="pagination" aria-label=${t('account_admin.pages_label')}>
          ${users.length ? html`<p>${t('account_admin.page', { from: offset + 1, to: offset + users.length })}</p>` : null}
          <div class="button-group">
            ${offset > 0 ? html`<${Button} type="button" kind="secondary" onClick=${() => turnPage(Math.max(0, offset - USERS_PAGE))}>${t('account_admin.previous')}<//>` : null}
            ${more ? html`<${Button} type="button" kind="secondary" onClick=${() => turnPage(offset + USERS_PAGE)}>${t('account_admin.next')}<//>` : null}
          </div>
        </nav>`;
    }
  }
  return html`
    <${Page} title=${t('admin.users_title')}>
      <${ErrorSummary} form=${form} />
      <div role="status">${notice ? html`<div class="notice notice--success" tabindex="-1" ref=${noticeRef}><p>${notice.text}</p></div>` : null}</div>
      <${Filters} filters=${filters} onApply=${filter} />
      ${list}
      <${BreakGlassDialog} dialog=${dialog} user=${reading} onClose=${closed} />
      <${AccountDialog} dialog=${accountDialog} acting=${acting} onClose=${accountClosed} onDone=${acting ? done(acting.user) : null} onStale=${() => data.reload()} />
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
