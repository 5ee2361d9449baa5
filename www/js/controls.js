// The settings panel, built from the core's table of settings (settingsTable):
// one fieldset per group, one input per setting with its label, its range
// and its help, so the panel offers exactly what links and `inn train --set`
// accept. The help shows on hover and on keyboard focus, and screen readers
// read it as the input's description.

function input(s, onChange) {
  let el;
  if (s.type === 'bool') {
    el = document.createElement('input');
    el.type = 'checkbox';
    el.addEventListener('change', () => onChange(s.key, el.checked ? 1 : 0));
    return el;
  }
  if (s.type === 'choice') {
    el = document.createElement('select');
    for (const name of s.options) {
      const o = document.createElement('option');
      o.value = name; o.textContent = name;
      el.append(o);
    }
  } else if (s.type === 'modes' || s.type === 'point') {
    el = document.createElement('input');
    el.type = 'text';
  } else {
    el = document.createElement('input');
    el.type = 'number';
    el.min = String(s.min);
    el.max = String(s.max);
    el.step = s.type === 'int' ? '1' : 'any';
  }
  el.addEventListener('change', () => onChange(s.key, el.value));
  return el;
}

/** Builds the panel; `onChange(key, value)` is called on every committed
 * edit. Settings the table marks `head` (label map, seed) have their own
 * controls at the head of the page. */
export function buildSettings(el, table, onChange) {
  el.textContent = '';
  const inputs = new Map();
  const groups = new Map();
  for (const name of table.groups) {
    const box = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = name;
    box.append(legend);
    groups.set(name, box);
  }
  for (const s of table.settings) {
    if (s.head) continue;
    const row = document.createElement('div');
    row.className = 'setting';
    const label = document.createElement('label');
    label.htmlFor = `set-${s.key}`;
    label.textContent = s.label;
    const field = input(s, onChange);
    field.id = `set-${s.key}`;
    const help = document.createElement('span');
    help.id = `help-${s.key}`;
    help.className = 'setting-help';
    help.setAttribute('role', 'tooltip');
    help.textContent = `${s.help} ${s.type === 'bool' ? 'On or off' : `Allowed: ${s.allowed}`}; link key ${s.key}.`;
    field.setAttribute('aria-describedby', help.id);
    row.append(label, field, help);
    groups.get(s.group).append(row);
    inputs.set(s.key, field);
  }
  for (const box of groups.values()) if (box.childElementCount > 1) el.append(box);
  return {
    show(state) {
      for (const [key, field] of inputs) {
        const v = state.values[key];
        if (field.type === 'checkbox') field.checked = Boolean(v); else field.value = String(v);
      }
    },
  };
}
