// Admin: the community's channels. Create one (a topic and what it is for),
// change its name or description, archive it (members can still read it but
// not write) or open it again. Every change is audited by the server.
import { html, useState, useRef, useEffect } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, post, request } from '../api.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, TextField, TextArea, Button, formValues, required } from '../components/forms.js';
import { When } from '../components/time.js';

// The server's limits (CHANNEL_NAME_MAX_CHARS, CHANNEL_DESCRIPTION_MAX_CHARS).
const NAME_MAX_CHARS = 60;
const DESCRIPTION_MAX_CHARS = 500;
const CHANNEL_ERRORS = { CONFLICT: 'channels.name_taken', NOT_FOUND: 'channels.gone' };
const FIELDS = (prefix) => [{ id: `${prefix}_name`, server: ['name'] }, { id: `${prefix}_description`, server: ['description'] }];

const channelPath = (channel) => `/api/community/channels/${encodeURIComponent(channel.id)}`;

/** Name and description fields, for creating and for changing. */
function ChannelFields({ prefix, form, channel, name }) {
  return html`
    <${TextField} id=${`${prefix}_name`} label=${t('channels.name')} hint=${t('channels.name_hint')} maxlength=${NAME_MAX_CHARS}
      value=${name} error=${form.errorFor(`${prefix}_name`)} />
    <${TextArea} id=${`${prefix}_description`} label=${t('channels.description')} hint=${t('channels.description_hint')} rows="3"
      maxlength=${DESCRIPTION_MAX_CHARS} defaultValue=${channel ? channel.description : undefined} error=${form.errorFor(`${prefix}_description`)} />`;
}

function CreateChannel({ onDone, notice }) {
  const form = useForm(FIELDS('new'), CHANNEL_ERRORS);
  // Another change done since: this form's old problem no longer stands at the top.
  useEffect(() => {
    if (notice) form.setErrors([]);
  }, [notice]);
  const submit = (event) => {
    const target = event.currentTarget;
    const values = formValues(event);
    form.run(async () => {
      const channel = await post('/api/community/channels', { name: values.new_name, description: values.new_description || '' });
      target.reset();
      onDone(t('channels.created', { name: channel.name }));
    }, required(values, [['new_name', 'channels.name_missing']]));
  };
  return html`
    <section aria-labelledby="channels-new" class="measure">
      <h2 id="channels-new">${t('channels.new_title')}</h2>
      <${ErrorSummary} form=${form} id="new-channel-errors" />
      <form onSubmit=${submit} novalidate>
        <${ChannelFields} prefix="new" form=${form} />
        <${Button} busy=${form.busy}>${t('channels.create')}<//>
      </form>
    </section>`;
}

/** Change the name or description, in the dialog. */
function EditForm({ channel, dialog, onDone }) {
  const form = useForm(FIELDS('edit'), CHANNEL_ERRORS);
  // What was typed last: the field keeps it when the name is refused.
  const [typed, setTyped] = useState(channel.name);
  const submit = (event) => {
    const values = formValues(event);
    setTyped(values.edit_name);
    // Only what changed is sent (a name kept as it is is not a new name).
    const change = {};
    if (values.edit_name !== channel.name) change.name = values.edit_name;
    if ((values.edit_description || '') !== channel.description) change.description = values.edit_description || '';
    const problems = required(values, [['edit_name', 'channels.name_missing']]);
    if (!problems.length && !Object.keys(change).length) problems.push({ field: 'edit_name', message: t('channels.nothing_changed') });
    form.run(async () => {
      const changed = await request('PATCH', channelPath(channel), change);
      dialog.current.close();
      onDone(t('channels.changed', { name: changed.name }));
    }, problems);
  };
  return html`
    <h2 id="channel-dialog-title">${t('channels.edit_title', { name: channel.name })}</h2>
    <p id="channel-dialog-lead">${t('channels.edit_lead')}</p>
    <${ErrorSummary} form=${form} id="edit-channel-errors" />
    <form onSubmit=${submit} novalidate>
      <${ChannelFields} prefix="edit" form=${form} channel=${channel} name=${typed} />
      <div class="button-group">
        <${Button} busy=${form.busy}>${t('channels.save')}<//>
        <${Button} type="button" kind="secondary" onClick=${() => dialog.current.close()}>${t('channels.cancel')}<//>
      </div>
    </form>`;
}

/** Archive or open again, confirmed with what it means for members. */
function ArchiveForm({ channel, dialog, onDone }) {
  const form = useForm([], CHANNEL_ERRORS);
  const archive = !channel.archived;
  const confirm = () => form.run(async () => {
    const changed = await request('PATCH', channelPath(channel), { archived: archive });
    dialog.current.close();
    onDone(t(archive ? 'channels.archived_done' : 'channels.restored_done', { name: changed.name }));
  });
  return html`
    <h2 id="channel-dialog-title">${t(archive ? 'channels.archive_title' : 'channels.restore_title', { name: channel.name })}</h2>
    <p id="channel-dialog-lead">${t(archive ? 'channels.archive_lead' : 'channels.restore_lead')}</p>
    <${ErrorSummary} form=${form} id="archive-channel-errors" />
    <div class="button-group">
      <${Button} type="button" kind=${archive ? 'warning' : ''} busy=${form.busy} onClick=${confirm}>${t(archive ? 'channels.archive_confirm' : 'channels.restore_confirm')}<//>
      <${Button} type="button" kind="secondary" onClick=${() => dialog.current.close()}>${t('channels.cancel')}<//>
    </div>`;
}

export function Channels() {
  const data = useData(() => get('/api/community/channels?include_archived=true'));
  const [notice, setNotice] = useState(null);
  const [open, setOpen] = useState(null);
  const dialog = useRef(null);
  const opener = useRef(null);
  const noticeRef = useRef(null);
  const show = (kind, channel) => (event) => {
    opener.current = event.currentTarget;
    setNotice(null);
    setOpen({ kind, channel });
    requestAnimationFrame(() => dialog.current.showModal());
  };
  const closed = () => {
    if (dialog.current && dialog.current.open) return;
    setOpen(null);
    if (opener.current && opener.current.isConnected) opener.current.focus();
  };
  const done = (message) => {
    opener.current = null;
    setNotice(message);
    data.reload();
  };
  useEffect(() => {
    if (notice && noticeRef.current) noticeRef.current.focus();
  }, [notice]);
  const channels = data.data ? data.data.channels : [];
  return html`
    <${Page} title=${t('channels.title')} lead=${t('channels.lead')}>
      <div role="status">${notice ? html`<div class="notice notice--success" tabindex="-1" ref=${noticeRef}><p>${notice}</p></div>` : null}</div>
      <${CreateChannel} onDone=${done} notice=${notice} />
      <section aria-labelledby="channels-list">
        <h2 id="channels-list">${t('channels.list_title')}</h2>
        ${data.loading && !data.data ? html`<${Loading} />` : data.error ? html`<${LoadError} error=${data.error} />` : channels.length ? html`
          <ul class="channel-list">
            ${channels.map((channel) => html`
              <li key=${channel.id}>
                <h3><a href=${`/community/channels/${encodeURIComponent(channel.id)}`}>${channel.name}</a></h3>
                <p>${channel.description || html`<span class="muted">${t('channels.no_description')}</span>`}</p>
                <p class="muted">${channel.archived ? t('channels.state_archived') : t('channels.state_open')} · ${t('channels.created_at')} <${When} iso=${channel.created_at} /></p>
                <div class="button-group">
                  <${Button} type="button" kind="secondary" onClick=${show('edit', channel)}>${t('channels.edit')}<span class="visually-hidden"> ${t('channels.for_channel', { name: channel.name })}</span><//>
                  <${Button} type="button" kind="secondary" onClick=${show('archive', channel)}>${t(channel.archived ? 'channels.restore' : 'channels.archive')}<span class="visually-hidden"> ${t('channels.for_channel', { name: channel.name })}</span><//>
                </div>
              </li>`)}
          </ul>` : html`<p>${t('channels.none')}</p>`}
      </section>
      <dialog ref=${dialog} class="dialog" aria-labelledby="channel-dialog-title" aria-describedby="channel-dialog-lead" onClose=${closed}>
        ${open && open.kind === 'edit' ? html`<${EditForm} key=${`edit-${open.channel.id}`} channel=${open.channel} dialog=${dialog} onDone=${done} />` : null}
        ${open && open.kind === 'archive' ? html`<${ArchiveForm} key=${`archive-${open.channel.id}`} channel=${open.channel} dialog=${dialog} onDone=${done} />` : null}
      </dialog>
    <//>`;
}
