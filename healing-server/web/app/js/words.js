// Values the server names (`moderately_severe`, `reliable_improvement`) in the
// catalogue's words, and numbers as the app writes them.
import { t, has, sentence } from './i18n.js';

/** The catalogue's word for `value` under `group`, or the value itself if it is new to the app. */
export function word(group, value) {
  const key = `${group}.${value}`;
  return has(key) ? t(key) : value;
}

/** 2.25 → "2.3"; whole numbers stay whole. */
export function number(value) {
  return Number(value).toLocaleString('en-GB', { maximumFractionDigits: 1 });
}

/** "finished treatment" → "Finished treatment", for a choice in a list. */
export function capital(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Core's reasoning opens with its own name for the value ("recovered: a case at
 * the start …"); where the screen shows the catalogue's word beside it, the rest
 * is the reason.
 */
export function reasonAfterName(reasoning) {
  const colon = reasoning.indexOf(': ');
  return sentence(colon > 0 && colon < 40 ? reasoning.slice(colon + 2) : reasoning);
}
