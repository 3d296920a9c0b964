// Every screen with its URL and who may open it.
import { Crisis } from './screens/crisis.js';
import { SignIn } from './screens/signin.js';
import { Register } from './screens/register.js';
import { ForgotPassword, ResetPassword } from './screens/reset.js';
import { TwoFactor, TwoFactorSetup } from './screens/twofactor.js';
import { Today } from './screens/today.js';
import { Mood } from './screens/mood.js';
import { Questionnaires, Questionnaire } from './screens/questionnaires.js';
import { Journal } from './screens/journal.js';
import { Pet } from './screens/pet.js';
import { Links } from './screens/links.js';
import { Settings, AccountDeleted } from './screens/settings.js';
import { Patients } from './screens/clinician.js';
import { Patient } from './screens/patient.js';
import { Outcomes } from './screens/outcomes.js';
import { Users, Audit, Health } from './screens/admin.js';
import { Alerts } from './screens/alerts.js';

// access: public | signed-out | awaiting | enrol | signed-in | patient | clinician | admin | staff (clinician or admin)
export const ROUTES = [
  { path: '/crisis', view: Crisis, access: 'public' },
  { path: '/sign-in', view: SignIn, access: 'signed-out' },
  { path: '/register', view: Register, access: 'signed-out' },
  { path: '/forgot-password', view: ForgotPassword, access: 'public' },
  { path: '/reset-password', view: ResetPassword, access: 'public' },
  { path: '/account-deleted', view: AccountDeleted, access: 'public' },
  { path: '/two-factor', view: TwoFactor, access: 'awaiting' },
  { path: '/two-factor/setup', view: TwoFactorSetup, access: 'enrol' },
  { path: '/today', view: Today, access: 'patient' },
  { path: '/mood', view: Mood, access: 'patient' },
  { path: '/questionnaires', view: Questionnaires, access: 'patient' },
  { path: '/questionnaires/:id', view: Questionnaire, access: 'patient' },
  { path: '/journal', view: Journal, access: 'patient' },
  { path: '/pet', view: Pet, access: 'patient' },
  { path: '/links', view: Links, access: 'patient' },
  { path: '/settings', view: Settings, access: 'signed-in' },
  { path: '/clinician', view: Patients, access: 'clinician' },
  { path: '/clinician/patients/:id', view: Patient, access: 'clinician' },
  { path: '/clinician/outcomes', view: Outcomes, access: 'clinician' },
  { path: '/alerts', view: Alerts, access: 'staff' },
  { path: '/admin', view: Users, access: 'admin' },
  { path: '/admin/audit', view: Audit, access: 'admin' },
  { path: '/admin/health', view: Health, access: 'admin' },
  { path: '/admin/outcomes', view: Outcomes, access: 'admin' },
];
