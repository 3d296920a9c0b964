// Light, dark or the system's choice, stored on this device only.
const KEY = 'healing-theme';

export function storedTheme() {
  try {
    return localStorage.getItem(KEY) || 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(theme = storedTheme()) {
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

export function setTheme(theme) {
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Private browsing: the choice lasts for this page only.
  }
  applyTheme(theme);
}
