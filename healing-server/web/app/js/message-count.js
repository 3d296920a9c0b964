// How many messages from the care team (or, for a clinician, from patients and
// colleagues) are unread, for the navigation. Read from GET /api/messages,
// whose answer counts unread messages across the whole inbox.
import { get } from './api.js';
import { liveCount } from './live-count.js';

const unread = liveCount(async () => ({ unread: (await get('/api/messages?limit=1')).total_unread }));

/** Re-reads the count; `force` skips the 30-second reuse (opening or deleting a conversation). */
export const refreshUnreadMessages = unread.refresh;

/** Sets the count from an inbox the screen has just read (no second request). */
export const setUnreadMessages = (count) => unread.set({ unread: count });

/** The count for a component, kept up to date: `{unread}`, `{error}` or null. */
export const useUnreadMessages = unread.use;
