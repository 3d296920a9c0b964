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
const chat = () => import('./screens/chat.js');
const safetyPlan = () => import('./screens/safety-plan.js');
const tools = () => import('./screens/tools.js');
const pet = () => import('./screens/pet.js');
const links = () => import('./screens/links.js');
const settings = () => import('./screens/settings.js');
const clinician = () => import('./screens/clinician.js');
const patient = () => import('./screens/patient.js');
const outcomes = () => import('./screens/outcomes.js');
const admin = () => import('./screens/admin.js');
const plugins = () => import('./screens/plugins.js');
const alerts = () => import('./screens/alerts.js');
const messages = () => import('./screens/messages.js');
// The community, its moderation and its channels.
const community = () => import('./screens/community.js');
const moderation = () => import('./screens/moderation.js');
const channels = () => import('./screens/channels.js');
// appointments (patient and clinician) and a clinician's availability
const appointments = () => import('./screens/appointments.js');
const availability = () => import('./screens/availability.js');
const notifications = () => import('./screens/notifications.js');

// access: public | signed-out | awaiting | enrol | signed-in | patient | clinician | admin | staff (clinician or admin)
//   | care (patient or clinician: the two sides of a conversation)
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
  { path: '/chat', load: chat, name: 'Chat', access: 'patient' },
  { path: '/tools', load: tools, name: 'Tools', access: 'patient' },
  { path: '/tools/:id', load: tools, name: 'Tool', access: 'patient' },
  { path: '/safety-plan', load: safetyPlan, name: 'SafetyPlan', access: 'patient' },
  { path: '/pet', load: pet, name: 'Pet', access: 'patient' },
  { path: '/links', load: links, name: 'Links', access: 'patient' },
  { path: '/settings', load: settings, name: 'Settings', access: 'signed-in' },
  { path: '/clinician', load: clinician, name: 'Patients', access: 'clinician' },
  { path: '/clinician/patients/:id', load: patient, name: 'Patient', access: 'clinician' },
  { path: '/clinician/outcomes', load: outcomes, name: 'Outcomes', access: 'clinician' },
  { path: '/alerts', load: alerts, name: 'Alerts', access: 'staff' },
  { path: '/alerts/:id', load: alerts, name: 'AlertDetail', access: 'staff' },
  { path: '/messages', load: messages, name: 'Inbox', access: 'care' },
  { path: '/messages/new', load: messages, name: 'NewMessage', access: 'care' },
  { path: '/messages/:id', load: messages, name: 'Thread', access: 'care' },
  // appointments: the list for both sides; booking is a patient's; either side moves one
  { path: '/appointments', load: appointments, name: 'Appointments', access: 'care' },
  { path: '/appointments/book', load: appointments, name: 'Book', access: 'patient' },
  { path: '/appointments/book/:clinician', load: appointments, name: 'BookSlot', access: 'patient' },
  { path: '/appointments/book/:clinician/:at', load: appointments, name: 'ConfirmBooking', access: 'patient' },
  // A notification's link to one appointment opens the list it is in.
  { path: '/appointments/:id', load: appointments, name: 'Appointments', access: 'care' },
  { path: '/appointments/:id/move', load: appointments, name: 'Move', access: 'care' },
  { path: '/appointments/:id/move/:at', load: appointments, name: 'ConfirmMove', access: 'care' },
  { path: '/availability', load: availability, name: 'Availability', access: 'clinician' },
  { path: '/notifications', load: notifications, name: 'Notifications', access: 'signed-in' },
  { path: '/admin', load: admin, name: 'Users', access: 'admin' },
  { path: '/admin/patients/:id', load: patient, name: 'BreakGlassPatient', access: 'admin' },
  { path: '/admin/audit', load: admin, name: 'Audit', access: 'admin' },
  { path: '/admin/health', load: admin, name: 'Health', access: 'admin' },
  { path: '/admin/plugins', load: plugins, name: 'Plugins', access: 'admin' },
  { path: '/admin/outcomes', load: outcomes, name: 'Outcomes', access: 'admin' },
  // The community: patients and clinicians take part; admins read, set the channels and moderate.
  { path: '/community', load: community, name: 'Community', access: 'signed-in' },
  { path: '/community/name', load: community, name: 'CommunityName', access: 'care' },
  { path: '/community/channels/:id', load: community, name: 'Channel', access: 'signed-in' },
  { path: '/community/posts/:id', load: community, name: 'CommunityPost', access: 'signed-in' },
  { path: '/moderation', load: moderation, name: 'Moderation', access: 'staff' },
  { path: '/moderation/:id', load: moderation, name: 'ModerationItem', access: 'staff' },
  { path: '/admin/channels', load: channels, name: 'Channels', access: 'admin' },
];
