// How many of the person's notifications are unread, for the navigation. Read
// from GET /api/notifications, whose answer counts the unread ones in the whole list.
import { get } from './api.js';
import { liveCount } from './live-count.js';

const unread = liveCount(async () => ({ unread: (await get('/api/notifications?limit=1')).unread }));

/** Re-reads the count; `force` skips the 30-second reuse (a notification marked read). */
export const refreshUnreadNotifications = unread.refresh;

/** Sets the count from a list the screen has just read (no second request). */
export const setUnreadNotifications = (count) => unread.set({ unread: count });

/** The count for a component, kept up to date: `{unread}`, `{error}` or null. */
export const useUnreadNotifications = unread.use;
