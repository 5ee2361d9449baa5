// The loss history of the run: one row per training step, laid out as the
// wasm module names its values (`lossRowNames`: the step first, then one
// value per loss term), in a buffer that grows by doubling.
export class LossHistory {
  /** `names`: what each value of a row is. */
  constructor(names) {
    this.names = names;
    this.fields = names.length;
    this.clear();
  }

  clear() {
    this.data = new Float64Array(this.fields * 1024);
    this.rows = 0;
  }

  /** Appends whole rows; returns the step of the last one. */
  push(rows) {
    const need = (this.rows + rows.length / this.fields) * this.fields;
    if (need > this.data.length) {
      const grown = new Float64Array(Math.max(need, this.data.length * 2));
      grown.set(this.data.subarray(0, this.rows * this.fields));
      this.data = grown;
    }
    this.data.set(rows, this.rows * this.fields);
    this.rows += rows.length / this.fields;
    return rows[rows.length - this.fields];
  }

  /** The rows so far, without a copy. */
  filled() { return this.data.subarray(0, this.rows * this.fields); }
}
