// The settings grid, built from the wasm module's table of settings (type
// and range per key), so the controls accept what the link accepts.
const LABELS = {
  blocks: 'Coupling blocks', hidden: 'Hidden width', depth: 'Hidden layers', ndim: 'Network width (0: auto)',
  batch: 'Batch size', steps: 'Schedule length (steps)', ramp: 'L_x ramp (steps)', lr: 'Learning rate',
  lr_final: 'Final lr factor', clamp: 'Scale clamp', y_noise: 'Noise on y', pad_noise: 'Noise on padding',
  average: 'Weight averaging (0: off)',
  w_y: 'Weight L_y', w_z: 'Weight L_z', w_x: 'Weight L_x', w_rec: 'Weight reconstruction', w_ml: 'Weight max. likelihood',
  on_y: 'Use L_y', on_z: 'Use L_z', on_x: 'Use L_x', on_rec: 'Use reconstruction', on_ml: 'Use max. likelihood',
  abc_eps: 'ABC tolerance', abc_budget: 'ABC simulation budget',
};

function currentValue(state, key) {
  const c = state.config;
  const map = {
    blocks: c.blocks, hidden: c.hidden, depth: c.depth, ndim: c.ndim_tot, batch: c.batch, steps: c.steps,
    ramp: c.ramp_steps, lr: c.lr, lr_final: c.lr_final, clamp: c.clamp, y_noise: c.y_noise, pad_noise: c.pad_noise,
    average: c.average_decay,
    w_y: c.losses.y.weight, w_z: c.losses.z.weight, w_x: c.losses.x.weight, w_rec: c.losses.rec.weight, w_ml: c.losses.ml.weight,
    on_y: c.losses.y.on, on_z: c.losses.z.on, on_x: c.losses.x.on, on_rec: c.losses.rec.on, on_ml: c.losses.ml.on,
    abc_eps: state.abcEps, abc_budget: state.abcBudget,
  };
  return map[key];
}

/** Builds the grid; `onChange(key, value)` is called on every committed edit. */
export function buildSettings(el, table, onChange) {
  el.textContent = '';
  const inputs = new Map();
  for (const s of table.settings) {
    const label = document.createElement('label');
    label.append(document.createTextNode(LABELS[s.key] || s.key));
    const input = document.createElement('input');
    input.id = `set-${s.key}`;
    if (s.type === 'bool') {
      input.type = 'checkbox';
      input.addEventListener('change', () => onChange(s.key, input.checked ? 1 : 0));
    } else {
      input.type = 'number';
      input.min = String(s.min);
      input.max = String(s.max);
      input.step = s.type === 'int' ? '1' : 'any';
      input.addEventListener('change', () => onChange(s.key, input.value));
    }
    label.append(input);
    el.append(label);
    inputs.set(s.key, input);
  }
  return {
    show(state) {
      for (const [key, input] of inputs) {
        const v = currentValue(state, key);
        if (input.type === 'checkbox') input.checked = Boolean(v); else input.value = String(v);
      }
    },
  };
}
