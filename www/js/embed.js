// `ui=min` in the link shows the views alone, for an iframe or a slide,
// with a small link to the full page. It is a display key, not a setting:
// it leaves the hash before the core reads the link, which would report it
// as an unknown setting.

/** Applies `ui=min` if the link has it. */
export function embedMode() {
  const parts = location.hash.slice(1).split('&');
  const rest = parts.filter((p) => p !== 'ui=min');
  if (rest.length === parts.length) return;
  history.replaceState(null, '', `#${rest.join('&')}`);
  document.documentElement.dataset.ui = 'min';
  const a = document.getElementById('full-link');
  // The link follows the page's own (the arm's target moves with a drag).
  const follow = () => { a.href = location.href; };
  for (const t of ['pointerdown', 'focus', 'click']) a.addEventListener(t, follow);
  follow();
}
