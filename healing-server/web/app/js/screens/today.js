// Today: how are you, today's suggested tasks (each linking to where it is
// done), the pet, and a short look back.
import { html } from '../../vendor/preact-htm.module.js';
import { t, has } from '../i18n.js';
import { get } from '../api.js';
import { session, patientPath } from '../session.js';
import { Page, Loading, LoadError } from '../components/layout.js';
import { useData } from '../components/data.js';
import { longDate, trend } from '../components/chart.js';
import { MoodForm } from './mood.js';
import { petFigure } from './pet.js';

async function loadToday() {
  const [moods, assessments, pet, day] = await Promise.all([
    get(patientPath('/moods')),
    get(patientPath('/assessments')),
    get(patientPath('/pet')).catch((error) => (error.status === 404 ? null : Promise.reject(error))),
    get(patientPath('/today')),
  ]);
  return { moods, assessments, pet, tasks: day.tasks };
}

// Where each of the server's suggested tasks is done.
const TASK_LINKS = { log_mood: '/mood', cbt_exercise: '/tools', gratitude_entry: '/tools/gratitude' };

function Tasks({ tasks }) {
  if (!tasks.length) return null;
  const title = (task) => (has(`today.task.${task.id}`) ? t(`today.task.${task.id}`) : task.title);
  return html`
    <section class="card" aria-labelledby="today-tasks">
      <h2 id="today-tasks">${t('today.tasks_title')}</h2>
      <ul class="task-list">
        ${tasks.map((task) => html`
          <li class=${task.done ? 'task task--done' : 'task'}>
            ${TASK_LINKS[task.id] && !task.done ? html`<a href=${TASK_LINKS[task.id]}>${title(task)}</a>` : title(task)}
            ${task.done ? html` <span class="notice-inline">${t('today.task_done')}</span>` : null}
          </li>`)}
      </ul>
      <p>${t('today.more_help')} <a href="/chat">${t('today.chat_link')}</a> ${t('today.or')} <a href="/safety-plan">${t('today.safety_plan_link')}</a>.</p>
    </section>`;
}

export function Today() {
  const current = session();
  const data = useData(loadToday);
  const name = current.user.display_name;
  if (data.loading) return html`<${Page} title=${t('today.title', { name })}><${Loading} /><//>`;
  if (data.error) return html`<${Page} title=${t('today.title', { name })}><${LoadError} error=${data.error} /><//>`;
  const { moods, assessments, pet, tasks } = data.data;
  const sorted = [...moods].sort((a, b) => a.day.localeCompare(b.day));
  const today = new Date().toISOString().slice(0, 10);
  const loggedToday = sorted.some((entry) => entry.day === today);
  const recent = sorted.slice(-14).map((entry) => entry.mood);
  const lastAssessment = assessments[assessments.length - 1];
  return html`
    <${Page} title=${t('today.title', { name })}>
      ${loggedToday
        ? html`<div class="notice notice--success"><p>${t('today.logged')}</p><p><a href="/mood">${t('today.see_moods')}</a></p></div>`
        : html`<section class="card measure" aria-label=${t('today.mood_prompt')}><${MoodForm} compact=${true} onSaved=${data.reload} /></section>`}
      <div class="cards">
        <${Tasks} tasks=${tasks} />
        <section class="card" aria-labelledby="today-pet">
          <h2 id="today-pet">${t('today.pet_title')}</h2>
          ${pet
            ? html`<p class="pet"><span class="pet__figure" aria-hidden="true">${petFigure(pet)}</span><span>${t('pet.summary', { name: pet.name })}</span></p><p><a href="/pet">${t('today.pet_link')}</a></p>`
            : html`<p>${t('today.no_pet')}</p><p><a href="/pet">${t('today.adopt_link')}</a></p>`}
        </section>
        <section class="card" aria-labelledby="today-recent">
          <h2 id="today-recent">${t('today.recent_title')}</h2>
          ${sorted.length
            ? html`<p>${t(`today.trend_${trend(recent)}`, { count: recent.length })}</p>
                   <p>${t('today.last_mood', { mood: sorted[sorted.length - 1].mood, date: longDate(sorted[sorted.length - 1].day) })}</p>`
            : html`<p>${t('today.no_moods')}</p>`}
          ${lastAssessment
            ? html`<p>${t('today.last_questionnaire', { total: lastAssessment.total, date: longDate(lastAssessment.completed_at) })}</p>`
            : html`<p><a href="/questionnaires">${t('today.questionnaire_link')}</a></p>`}
        </section>
      </div>
    <//>`;
}
