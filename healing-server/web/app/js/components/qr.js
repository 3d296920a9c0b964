// A QR code drawn on this page (uqr, vendored): the two-factor secret never
// goes to another service to be turned into a picture.
import { html, useState, useEffect } from '../../vendor/preact-htm.module.js';

export function QrCode({ text, label }) {
  const [modules, setModules] = useState(null);
  useEffect(() => {
    let live = true;
    import('../../vendor/uqr.mjs').then(({ encode }) => {
      if (live) setModules(encode(text, { ecc: 'M', border: 2 }).data);
    });
    return () => {
      live = false;
    };
  }, [text]);
  if (!modules) return null;
  const size = modules.length;
  const cells = [];
  modules.forEach((row, y) => row.forEach((dark, x) => {
    if (dark) cells.push(`M${x},${y}h1v1h-1z`);
  }));
  return html`
    <div class="qr">
      <svg viewBox=${`0 0 ${size} ${size}`} role="img" aria-label=${label} shape-rendering="crispEdges">
        <rect width=${size} height=${size} fill="#ffffff" />
        <path d=${cells.join('')} fill="#000000" />
      </svg>
    </div>`;
}
