// The toolbar, the settings and the buttons of the panels: each control
// calls the page's `actions`, and shows what the link and the run say.
import { buildSettings } from './controls.js';
import { hideNotice, wireNotice } from './notice.js';
import { wireKeys } from './keys.js';

const $ = (id) => document.getElementById(id);

/** Model files larger than this are refused before they are read. */
const MAX_MODEL_BYTES = 32 * 1024 * 1024;

/** Offers `blob` as a download named `name`. */
export function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** The Train button's face and the Step button's availability. */
export function showRunning(on) {
  $('train').textContent = on ? 'Pause' : 'Train';
  $('train').setAttribute('aria-pressed', String(on));
  $('step').disabled = on;
}

/** One option per label map the core knows, with its number of colours,
 * and one that stands for a drawn mixture (whose modes replace the map's). */
function labelMapOptions(maps) {
  const drawn = document.createElement('option');
  drawn.value = ''; drawn.disabled = true; drawn.textContent = 'drawn by hand';
  $('labels').append(drawn);
  for (const m of maps) {
    const o = document.createElement('option');
    o.value = m.name;
    const colours = `${m.nLabels} colour${m.nLabels === 1 ? '' : 's'}`;
    o.textContent = `${m.name} (${colours}${m.note ? `, ${m.note}` : ''})`;
    $('labels').append(o);
  }
}

/** Wires every control. `actions`: `toggleTraining()`, `step()`,
 * `reset()`, `copyLink()`, `change(key, value)`, `sharpen(noise)`,
 * `exportModel()`, `loadModel(text)`, `notice(text)`, `linkChanged()`.
 * Returns `show(linkState)`, which sets the controls from the link. */
export function wire(wasm, actions) {
  $('train').addEventListener('click', () => actions.toggleTraining());
  $('step').addEventListener('click', () => actions.step());
  $('reset').addEventListener('click', () => { hideNotice(); actions.reset(); });
  $('share').addEventListener('click', () => actions.copyLink());
  const table = JSON.parse(wasm.settingsTable());
  for (const p of table.presets) {
    const o = document.createElement('option');
    o.value = p.name; o.textContent = p.name; o.title = p.explanation;
    $('preset').append(o);
  }
  labelMapOptions(JSON.parse(wasm.labelMaps()));
  const settings = buildSettings($('settings-grid'), table, actions.change);
  for (const key of ['preset', 'labels', 'seed']) {
    $(key).addEventListener('change', (e) => actions.change(key, e.target.value));
  }
  for (const b of document.querySelectorAll('button.png')) {
    b.addEventListener('click', () => $(b.dataset.canvas).toBlob((blob) => download(blob, `${b.dataset.canvas.slice(3)}.png`)));
  }
  $('sharpen').addEventListener('input', (e) => {
    const noise = Number(e.target.value);
    $('sharpen-value').textContent = noise === 1 ? '1 (as trained)' : `${noise.toFixed(2)} (sharpened)`;
    actions.sharpen(noise);
  });
  $('export-model').addEventListener('click', () => actions.exportModel());
  $('load-model').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file) return;
    if (file.size > MAX_MODEL_BYTES) {
      actions.notice(`The model file was not loaded: ${file.name} is ${(file.size / 2 ** 20).toFixed(0)} MB; model files are at most ${MAX_MODEL_BYTES / 2 ** 20} MB. The current model is kept.`);
      return;
    }
    actions.loadModel(await file.text());
  });
  wireNotice({ onReset: actions.reset });
  wireKeys();
  window.addEventListener('hashchange', () => actions.linkChanged());
  return (s) => {
    $('preset').value = s.preset;
    $('labels').value = s.values.mix ? '' : s.config.labels;
    $('seed').value = String(s.config.seed);
    $('preset-help').textContent = s.explanation;
    $('preset-departures').textContent = s.departures;
    $('preset-departures-box').hidden = !s.departures;
    settings.show(s);
  };
}
