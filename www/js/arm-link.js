// The arm's part of the link (`#problem=arm&target=1.0,0.6`, or
// `#preset=arm`), read and written through the core's table of settings
// like every other setting.

/** The arm's link state of `hash`: `{ target, noise, notices }` (`target`
 * as `[y1, y2]`, the preset's when the link names none or a malformed one;
 * `noise` the observation noise), or null when the link's problem is not
 * the arm. */
export function armLink(wasm, hash) {
  const l = JSON.parse(wasm.parseLink(hash));
  if (l.config.problem !== 'arm') return null;
  return { target: l.values.target, noise: l.config.arm_noise, notices: l.notices };
}

/** `hash` with the arm's `target` set, other settings kept. */
export function withArmTarget(wasm, hash, [y1, y2]) {
  return JSON.parse(wasm.withSetting(hash, 'target', `${y1.toFixed(3)},${y2.toFixed(3)}`)).hash;
}
