// The arm's part of the link: `#problem=arm&target=1.0,0.6`. One reader and
// one writer, so that the settings table can take them over in one place.

const pairs = (hash) => new URLSearchParams(hash.replace(/^#/, ''));

/** The arm's link state of `hash`: `{ target }` (`[y1, y2]`, or null when
 * the link names none or a malformed one), or null when the link's problem
 * is not the arm. */
export function armLink(hash) {
  const p = pairs(hash);
  if (p.get('problem') !== 'arm') return null;
  const t = (p.get('target') || '').split(',').map(Number);
  const target = t.length === 2 && t.every(Number.isFinite) ? t : null;
  return { target };
}

/** `hash` with the arm's problem and `target` set, other settings kept. */
export function withArmTarget(hash, [y1, y2]) {
  const p = pairs(hash);
  p.set('problem', 'arm');
  p.set('target', `${y1.toFixed(3)},${y2.toFixed(3)}`);
  // The comma reads better than %2C and parses the same.
  return p.toString().replace(/%2C/g, ',');
}
