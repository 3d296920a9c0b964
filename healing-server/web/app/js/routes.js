// Every screen with its URL, who may open it, and how to load it. A screen's
// module is imported the first time its route is visited (app.js), so the first
// screen carries only the shell; the crisis page is part of the shell.
import { Crisis } from './screens/crisis.js';

const signin = () => import('./screens/signin.js');
const register = () => import('./screens/register.js');
const reset = () => import('./screens/reset.js');
const twofactor = () => import('./screens/twofactor.js');
const today = () => import('./screens/today.js');
const mood = () => import('./screens/mood.js');
const questionnaires = () => import('./screens/questionnaires.js');
const journal = () => import('./screens/journal.js');
const pet = () => import('./screens/pet.js');
const links = () => import('./screens/links.js');
const settings = () => import('./screens/settings.js');
const clinician = () => import('./screens/clinician.js');
const patient = () => import('./screens/patient.js');
const outcomes = () => import('./screens/outcomes.js');
const admin = () => import('./screens/admin.js');
const alerts = () => import('./screens/alerts.js');

// access: public | signed-out | awaiting | enrol | signed-in | patient | clinician | admin | staff (clinician or admin)
// A route has either `view` (a component in the shell) or `load` and `name`
// (the module to import and the component it exports).
export const ROUTES = [
  { path: '/crisis', view: Crisis, access: 'public' },
  { path: '/sign-in', load: signin, name: 'SignIn', access: 'signed-out' },
  { path: '/register', load: register, name: 'Register', access: 'signed-out' },
  { path: '/forgot-password', load: reset, name: 'ForgotPassword', access: 'public' },
  { path: '/reset-password', load: reset, name: 'ResetPassword', access: 'public' },
  { path: '/account-deleted', load: settings, name: 'AccountDeleted', access: 'public' },
  { path: '/two-factor', load: twofactor, name: 'TwoFactor', access: 'awaiting' },
  { path: '/two-factor/setup', load: twofactor, name: 'TwoFactorSetup', access: 'enrol' },
  { path: '/today', load: today, name: 'Today', access: 'patient' },
  { path: '/mood', load: mood, name: 'Mood', access: 'patient' },
  { path: '/questionnaires', load: questionnaires, name: 'Questionnaires', access: 'patient' },
  { path: '/questionnaires/:id', load: questionnaires, name: 'Questionnaire', access: 'patient' },
  { path: '/journal', load: journal, name: 'Journal', access: 'patient' },
  { path: '/pet', load: pet, name: 'Pet', access: 'patient' },
  { path: '/links', load: links, name: 'Links', access: 'patient' },
  { path: '/settings', load: settings, name: 'Settings', access: 'signed-in' },
  { path: '/clinician', load: clinician, name: 'Patients', access: 'clinician' },
  { path: '/clinician/patients/:id', load: patient, name: 'Patient', access: 'clinician' },
  { path: '/clinician/outcomes', load: outcomes, name: 'Outcomes', access: 'clinician' },
  { path: '/alerts', load: alerts, name: 'Alerts', access: 'staff' },
  { path: '/admin', load: admin, name: 'Users', access: 'admin' },
  { path: '/admin/patients/:id', load: patient, name: 'BreakGlassPatient', access: 'admin' },
  { path: '/admin/audit', load: admin, name: 'Audit', access: 'admin' },
  { path: '/admin/health', load: admin, name: 'Health', access: 'admin' },
  { path: '/admin/outcomes', load: outcomes, name: 'Outcomes', access: 'admin' },
];
