// "Make a lesson link": the controls to hide (the core's list, the names
// `hide=` takes), a preset and a colour to pin, one line of prompt. The
// link it writes is read back through the core, so it says exactly what
// the page will do with it.
import { COLOUR_NAMES } from './views/plot2d.js';

const $ = (id) => document.getElementById(id);

function tick(name, label) {
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.value = name;
  const l = document.createElement('label');
  l.append(box, ` ${label}`);
  return l;
}

/** Wires the maker; `link()` is the page's current link state (parseLink's
 * shape), `copy(url)` copies a link and says so. */
export function wireMaker(wasm, link, copy) {
  const hide = $('maker-hide');
  const more = document.createElement('details');
  more.append(Object.assign(document.createElement('summary'), { textContent: 'Single settings' }));
  for (const c of JSON.parse(wasm.pageControls())) (c.parent === 'settings' ? more : hide).append(tick(c.name, c.label));
  hide.append(more);
  for (const p of JSON.parse(wasm.settingsTable()).presets) $('maker-preset').append(new Option(p.name, p.name));
  const write = () => {
    const s = link();
    const settings = s.page.hash ? s.hash.slice(0, -s.page.hash.length - 1) : s.hash;
    const preset = $('maker-preset').value;
    const names = [...hide.querySelectorAll('input:checked')].map((b) => b.value);
    const parts = [preset ? `preset=${preset}` : settings];
    if (names.length) parts.push(`hide=${names.join(',')}`);
    if ($('maker-colour').value) parts.push(`colour=${$('maker-colour').value}`);
    if ($('maker-prompt').value.trim()) parts.push(`prompt=${encodeURIComponent($('maker-prompt').value)}`);
    const url = `${location.origin}${location.pathname}#${JSON.parse(wasm.parseLink(parts.join('&'))).hash}`;
    $('maker-link').textContent = url;
    $('maker-open').href = url;
    return url;
  };
  const colours = () => {
    const sel = $('maker-colour'), was = sel.value;
    sel.length = 1;
    for (let l = 0; l < (link().nLabels || 0); l++) sel.append(new Option(COLOUR_NAMES[l], String(l)));
    sel.value = Number(was) < sel.length - 1 ? was : '';
  };
  $('maker').addEventListener('toggle', () => { colours(); write(); });
  $('maker').addEventListener('input', write);
  $('maker').addEventListener('change', write);
  $('maker-copy').addEventListener('click', () => copy(write()));
  return () => { colours(); write(); };
}
