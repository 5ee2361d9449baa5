// `ui=min` in the link shows the views alone, for an iframe or a slide,
// with a small link to the full page. It is a display key: the core reads
// it with the link (parseLink's `page.ui`) and keeps it in the hash.

/** Applies `ui=min` if the link's page keys (`page`) have it. */
export function embedMode(page) {
  if (page.ui !== 'min') return;
  document.documentElement.dataset.ui = 'min';
  const a = document.getElementById('full-link');
  // The link follows the page's own (the arm's target moves with a drag),
  // without ui=min.
  const follow = () => {
    const rest = location.hash.slice(1).split('&').filter((p) => p !== 'ui=min');
    a.href = `${location.origin}${location.pathname}#${rest.join('&')}`;
  };
  for (const t of ['pointerdown', 'focus', 'click']) a.addEventListener(t, follow);
  follow();
}
