// How many safety alerts are open, for the navigation and the clinician's home.
// Read from GET /api/alerts, which lists open alerts first, most serious first.
import { get } from './api.js';
import { liveCount } from './live-count.js';

// Enough to count every open alert a team could have at once; a full page of
// open alerts is shown as "500 or more".
const COUNT_LIMIT = 500;

const openAlerts = liveCount(async () => {
  const alerts = await get(`/api/alerts?limit=${COUNT_LIMIT}`);
  const open = alerts.filter((alert) => alert.state === 'open');
  return { open: open.length, more: open.length === COUNT_LIMIT, highest: open.length ? open[0].severity : null };
});

/** Re-reads the count; `force` skips the 30-second reuse (an action on an alert, the Alerts screen, the clinician's home). */
export const refreshOpenAlerts = openAlerts.refresh;

/** The count for a component, kept up to date: `{open, more, highest}`, `{error}` or null. */
export const useOpenAlerts = openAlerts.use;
