// Keyboard shortcuts of the mixture page: Space trains or pauses, S steps,
// R resets, 1-8 show that colour's posterior, ? lists them. Each presses the
// control that does the same, so a shortcut does exactly what its button
// does (while training runs, S steps no more than the disabled Step button).
// None fires while a field takes typing, nor with Ctrl, Alt or Meta, which
// belong to the browser and the system.
const $ = (id) => document.getElementById(id);

/** Wires the shortcuts and the dialog that lists them (which takes the
 * focus when it opens, closes with Esc and gives the focus back). */
export function wireKeys() {
  const dialog = $('keys');
  $('keys-open').addEventListener('click', () => dialog.showModal());
  $('keys-close').addEventListener('click', () => dialog.close());
  document.addEventListener('keydown', (e) => {
    const t = e.target;
    if (e.ctrlKey || e.altKey || e.metaKey || e.repeat || dialog.open || t.closest('input, select, textarea, [contenteditable]')) return;
    const k = e.key.toLowerCase();
    // Space on a focused button or link is that control's own.
    if (k === ' ' && t.closest('button, a, [tabindex]')) return;
    const el = /^[1-8]$/.test(k) ? document.querySelector(`#label-picker [data-label="${k - 1}"]`)
      : $({ ' ': 'train', s: 'step', r: 'reset', '?': 'keys-open' }[k]);
    if (!el) return;
    e.preventDefault();
    el.click();
  });
}
