// The page state lives in the URL hash. Reading and writing go through the
// wasm module's one table of settings, so the page never builds a hash by
// hand and every value is checked the same way. The hash the core writes
// names its link version and engine, so a copied link keeps its meaning
// when presets are retuned.
export class Link {
  constructor(wasm) {
    this.wasm = wasm;
    this.state = JSON.parse(wasm.parseLink(location.hash));
  }

  /** Notices about the hash the page was opened with. */
  get notices() { return this.state.notices; }

  get hash() { return this.state.hash; }

  /** Changes one setting; returns the notices it caused. */
  set(key, value) {
    this.state = JSON.parse(this.wasm.withSetting(this.state.hash, key, String(value)));
    this.write();
    return this.state.notices;
  }

  /** Puts the normalised hash in the address bar without a navigation. */
  write() {
    history.replaceState(null, '', `#${this.state.hash}`);
  }

  url() { return `${location.origin}${location.pathname}#${this.state.hash}`; }
}
