// Service worker: keeps the app's shell and the crisis directory so the
// "Get help now" page opens with no connection. SHELL names every module,
// including the screens the app imports only when first opened, so those open
// offline too once the worker is installed. Personal data (every other
// /api answer) is never cached.
const CACHE = 'healing-shell-v10';
const SHELL = [
  '/',
  '/css/app.css',
  '/icon.svg',
  '/manifest.webmanifest',
  '/i18n/en-GB.json',
  '/vendor/preact-htm.module.js',
  '/js/alert-count.js',
  '/js/api.js',
  '/js/app.js',
  '/js/break-glass.js',
  '/js/components/chart.js',
  '/js/components/data.js',
  '/js/components/forms.js',
  '/js/components/layout.js',
  '/js/components/qr.js',
  '/js/components/safety-plan.js',
  '/js/components/schema-form.js',
  '/js/components/time.js',
  '/js/i18n.js',
  '/js/live-count.js',
  '/js/message-count.js',
  '/js/router.js',
  '/js/routes.js',
  '/js/screens/admin.js',
  '/js/screens/alerts.js',
  '/js/screens/caseload.js',
  '/js/screens/chat.js',
  '/js/screens/clinician.js',
  '/js/screens/courses.js',
  '/js/screens/crisis.js',
  '/js/screens/journal.js',
  '/js/screens/links.js',
  '/js/screens/messages.js',
  '/js/screens/mood.js',
  '/js/screens/notes.js',
  '/js/screens/outcomes.js',
  '/js/screens/patient.js',
  '/js/screens/pet.js',
  '/js/screens/plugins.js',
  '/js/screens/questionnaires.js',
  '/js/screens/register.js',
  '/js/screens/reset.js',
  '/js/screens/safety-plan-review.js',
  '/js/screens/safety-plan.js',
  '/js/screens/settings.js',
  '/js/screens/signin.js',
  '/js/screens/today.js',
  '/js/screens/tools.js',
  '/js/screens/twofactor.js',
  '/js/session.js',
  '/js/theme.js',
  '/js/words.js',
  '/js/components/community.js',
  '/js/screens/channels.js',
  '/js/screens/community.js',
  '/js/screens/moderation.js',
  '/js/notification-count.js',
  '/js/preferences.js',
  '/js/screens/notifications.js',
  '/api/crisis-resources',
  // appointments
  '/js/components/calendar-feed.js',
  '/js/components/slots.js',
  '/js/screens/appointments.js',
  '/js/screens/availability.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

// Network first (so a deploy is seen at once), the cache when offline.
async function networkFirst(request, cacheKey) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(cacheKey, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(cacheKey);
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Every screen is the same page; keep the newest copy under '/'.
    event.respondWith(networkFirst(request, '/'));
    return;
  }
  if (url.pathname === '/api/crisis-resources') {
    event.respondWith(networkFirst(request, url.pathname));
    return;
  }
  if (url.pathname.startsWith('/api/') || url.pathname === '/metrics') return;
  event.respondWith(networkFirst(request, url.pathname));
});
