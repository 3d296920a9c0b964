// Reading data for a screen: loading, the data, or an error in plain words.
import { useState, useEffect, useCallback } from '../../vendor/preact-htm.module.js';

export function useData(loader, deps = []) {
  const [state, setState] = useState({ loading: true, data: null, error: null });
  const load = useCallback(() => {
    let live = true;
    Promise.resolve()
      .then(loader)
      .then((data) => live && setState({ loading: false, data, error: null }))
      .catch((error) => live && setState({ loading: false, data: null, error }));
    return () => {
      live = false;
    };
  }, deps);
  useEffect(load, [load]);
  return { ...state, reload: load };
}

/**
 * After a write that re-reads a list: returns `focusNext(id)`, which moves focus
 * to the element with that id once `data` has changed (the new item is drawn).
 */
export function useFocusAfterReload(data) {
  const [pending, setPending] = useState(null);
  useEffect(() => {
    if (!pending) return;
    setPending(null);
    requestAnimationFrame(() => {
      const element = document.getElementById(pending);
      if (element) element.focus();
    });
  }, [data]);
  return setPending;
}
