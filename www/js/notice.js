// The notice bar: messages about the link, divergence, bad files and
// panics. Text only: anything a user or a link supplied is set with
// textContent, never parsed as HTML.
const box = () => document.getElementById('notice');

export function showNotice(text, { reset = false, reload = false } = {}) {
  document.getElementById('notice-text').textContent = text;
  document.getElementById('notice-reset').hidden = !reset;
  document.getElementById('notice-reload').hidden = !reload;
  box().hidden = false;
}

export function hideNotice() {
  box().hidden = true;
  document.getElementById('notice-text').textContent = '';
}

export function wireNotice({ onReset }) {
  document.getElementById('notice-close').addEventListener('click', hideNotice);
  document.getElementById('notice-reset').addEventListener('click', () => { hideNotice(); onReset(); });
  document.getElementById('notice-reload').addEventListener('click', () => location.reload());
}
