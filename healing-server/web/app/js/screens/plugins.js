// Admin: the installed WebAssembly plugins (GET /api/admin/plugins), each one's
// status in words, the safety rules version in force, and enabling again a
// plugin the server disabled after repeated failures. The status is per server
// process, and the page says so: with several processes, another may differ.
import { html, useState, useRef, useEffect } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { get, post } from '../api.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { useForm, ErrorSummary, Button } from '../components/forms.js';

const disabled = (plugin) => plugin.status.state === 'disabled';

/**
 * The plugin's status in words: working (with failures so far), or disabled
 * with what that means, why, and "Enable again" (in this cell, so a phone
 * shows it without scrolling the table sideways).
 */
function Status({ plugin, enable }) {
  if (!disabled(plugin)) {
    const failures = plugin.status.consecutive_failures;
    return html`<p>${failures ? t('plugins.status_failing', { count: failures }) : t('plugins.status_enabled')}</p>`;
  }
  return html`
    <p><strong>${t('plugins.status_disabled')}</strong></p>
    <p>${t(`plugins.disabled_${plugin.kind}`)}</p>
    <p class="plugin-reason">${plugin.status.reason}</p>
    <p><${Button} type="button" kind="secondary" onClick=${enable(plugin)}>${t('plugins.enable')}<span class="visually-hidden"> ${t('plugins.for_plugin', { title: plugin.title })}</span><//></p>`;
}

/** "Enable again", confirmed in a native dialog that says it is this process only. */
function EnableDialog({ dialog, plugin, onDone }) {
  const form = useForm([], { NOT_FOUND: 'plugins.not_found' });
  const confirm = () => form.run(async () => {
    const answer = await post(`/api/admin/plugins/${encodeURIComponent(plugin.id)}/enable`);
    dialog.current.close();
    onDone(answer.was_disabled
      ? t('plugins.enabled_again', { title: plugin.title })
      : t('plugins.already_enabled', { title: plugin.title }));
  });
  return html`
    <h2 id="enable-title">${t('plugins.confirm_title', { title: plugin.title })}</h2>
    <p id="enable-lead">${t(`plugins.confirm_lead_${plugin.kind}`)}</p>
    <p>${t('plugins.confirm_process')}</p>
    <${ErrorSummary} form=${form} id="enable-errors" />
    <div class="button-group">
      <${Button} type="button" busy=${form.busy} onClick=${confirm}>${t('plugins.enable')}<//>
      <${Button} type="button" kind="secondary" onClick=${() => dialog.current.close()}>${t('plugins.cancel')}<//>
    </div>`;
}

function PluginTable({ plugins, enable }) {
  return html`
    <div class="table-wrap" tabindex="0" role="region" aria-label=${t('plugins.table')}>
      <table class="plugin-table">
        <caption class="visually-hidden">${t('plugins.table')}</caption>
        <thead><tr>
          <th scope="col">${t('plugins.col_plugin')}</th>
          <th scope="col">${t('plugins.col_status')}</th>
        </tr></thead>
        <tbody>${plugins.map((plugin) => html`<tr>
          <td>
            <p><strong>${plugin.title}</strong></p>
            <p>${t(`plugins.kind_${plugin.kind}`)}, ${t('plugins.version', { version: plugin.version })}</p>
            <p class="muted"><code class="plugin-version">${plugin.id}</code> · ${t('plugins.contract', { contract: plugin.contract })}</p>
            ${plugin.summary ? html`<p>${plugin.summary}</p>` : null}
          </td>
          <td><${Status} plugin=${plugin} enable=${enable} /></td>
        </tr>`)}</tbody>
      </table>
    </div>`;
}

export function Plugins() {
  const data = useData(() => get('/api/admin/plugins'));
  const [notice, setNotice] = useState(null);
  const [enabling, setEnabling] = useState(null);
  const dialog = useRef(null);
  const opener = useRef(null);
  const enable = (plugin) => (event) => {
    opener.current = event.currentTarget;
    setNotice(null);
    setEnabling(plugin);
    // Open once the dialog holds this plugin's question.
    requestAnimationFrame(() => dialog.current.showModal());
  };
  const closed = () => {
    if (dialog.current && dialog.current.open) return;
    setEnabling(null);
    if (opener.current && opener.current.isConnected) opener.current.focus();
  };
  const noticeRef = useRef(null);
  const done = (message) => {
    // The button that opened the dialog goes once the plugin is enabled:
    // focus moves to the notice instead (see the effect below).
    opener.current = null;
    setNotice(message);
    data.reload();
  };
  useEffect(() => {
    if (notice && noticeRef.current) noticeRef.current.focus();
  }, [notice]);
  const installed = data.data;
  const riskRuleDisabled = installed && installed.plugins.some((plugin) => plugin.kind === 'risk_rule' && disabled(plugin));
  return html`
    <${Page} title=${t('plugins.title')} lead=${t('plugins.lead')}>
      <div role="status">${notice ? html`<div class="notice notice--success" tabindex="-1" ref=${noticeRef}><p>${notice}</p></div>` : null}</div>
      ${data.loading ? html`<${Loading} />` : data.error ? html`<${LoadError} error=${data.error} />` : html`
        ${riskRuleDisabled ? html`<div class="notice notice--warning" role="alert"><p><strong>${t('plugins.risk_rule_down')}</strong></p></div>` : null}
        <dl class="stats">
          <dt>${t('plugins.rules_version')}</dt>
          <dd>${installed.rules_version ? html`<code class="plugin-version">${installed.rules_version}</code>` : t('plugins.rules_unavailable')}</dd>
        </dl>
        ${installed.plugins.length
          ? html`<${PluginTable} plugins=${installed.plugins} enable=${enable} />`
          : html`<p>${t('plugins.none')}</p>`}`}
      <dialog ref=${dialog} class="dialog" aria-labelledby="enable-title" aria-describedby="enable-lead" onClose=${closed}>
        ${enabling ? html`<${EnableDialog} key=${enabling.id} dialog=${dialog} plugin=${enabling} onDone=${done} />` : null}
      </dialog>
    <//>`;
}
