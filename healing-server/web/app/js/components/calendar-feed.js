// "Add to your calendar": a private link to the person's appointments for the
// calendar app they already use. The server shows the link once, when it is
// made (it keeps only a hash), and making a new one stops the old one; the
// link can be stopped at any time. Anyone with it sees when the appointments
// are and nothing else, and the screen says so before the link is made.
import { html, useState, useRef } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { post, del } from '../api.js';
import { useForm, ErrorSummary, Button } from './forms.js';

export function CalendarFeed() {
  const form = useForm([]);
  const stopForm = useForm([]);
  const [url, setUrl] = useState(null);
  const [notice, setNotice] = useState(null);
  const [copied, setCopied] = useState('');
  const dialog = useRef(null);
  const opener = useRef(null);
  const field = useRef(null);
  const create = () => form.run(async () => {
    setNotice(null);
    setCopied('');
    const feed = await post('/api/me/calendar-feed', {});
    setUrl(feed.url);
    requestAnimationFrame(() => field.current && field.current.focus());
  });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(t('appointments.calendar.copied'));
    } catch {
      // No clipboard (an old browser, or permission refused): the field is selected to copy by hand.
      if (field.current) field.current.select();
      setCopied(t('appointments.calendar.copy_failed'));
    }
  };
  const openStop = (event) => {
    opener.current = event.currentTarget;
    stopForm.setErrors([]);
    dialog.current.showModal();
  };
  const stop = () => stopForm.run(async () => {
    const answer = await del('/api/me/calendar-feed');
    dialog.current.close();
    setUrl(null);
    setCopied('');
    setNotice(t(answer.revoked ? 'appointments.calendar.stopped' : 'appointments.calendar.none_to_stop'));
  });
  const closed = () => {
    if (opener.current && opener.current.isConnected) opener.current.focus();
  };
  return html`
    <section aria-labelledby="calendar-feed-title" class="measure calendar-feed">
      <h2 id="calendar-feed-title">${t('appointments.calendar.title')}</h2>
      <p>${t('appointments.calendar.lead')}</p>
      <p>${t('appointments.calendar.privacy')}</p>
      <p>${t('appointments.calendar.once')}</p>
      <div role="status">${notice ? html`<div class="notice notice--success"><p>${notice}</p></div>` : null}</div>
      <${ErrorSummary} form=${form} id="calendar-feed-errors" />
      ${url ? html`
        <div class="notice notice--success">
          <div class="form-group">
            <label for="calendar-feed-url">${t('appointments.calendar.url_label')}</label>
            <span class="hint" id="calendar-feed-url-hint">${t('appointments.calendar.url_hint')}</span>
            <input id="calendar-feed-url" type="text" readonly value=${url} ref=${field} aria-describedby="calendar-feed-url-hint"
              spellcheck="false" autocomplete="off" onFocus=${(event) => event.currentTarget.select()} />
          </div>
          <div class="button-group">
            <${Button} type="button" onClick=${copy}>${t('appointments.calendar.copy')}<//>
          </div>
          <p role="status" class="calendar-feed__copied">${copied}</p>
        </div>` : null}
      <div class="button-group">
        <${Button} type="button" kind=${url ? 'secondary' : ''} busy=${form.busy} onClick=${create}>${t(url ? 'appointments.calendar.create_again' : 'appointments.calendar.create')}<//>
        <${Button} type="button" kind="secondary" onClick=${openStop}>${t('appointments.calendar.stop')}<//>
      </div>
      <dialog ref=${dialog} class="dialog" aria-labelledby="calendar-stop-title" aria-describedby="calendar-stop-lead" onClose=${closed}>
        <h2 id="calendar-stop-title">${t('appointments.calendar.stop_title')}</h2>
        <p id="calendar-stop-lead">${t('appointments.calendar.stop_lead')}</p>
        <${ErrorSummary} form=${stopForm} id="calendar-stop-errors" />
        <div class="button-group">
          <${Button} type="button" kind="warning" busy=${stopForm.busy} onClick=${stop}>${t('appointments.calendar.stop_confirm')}<//>
          <${Button} type="button" kind="secondary" onClick=${() => dialog.current.close()}>${t('appointments.calendar.stop_cancel')}<//>
        </div>
      </dialog>
    </section>`;
}
