//! Column copies between row-major matrices, and scratch buffers that
//! keep their capacity.

use super::Real;

/// Copies columns `from..from + width` of the `rows x cols` matrix `src` into
/// the contiguous `rows x width` matrix `dst`.
pub fn copy_cols<T: Copy>(src: &[T], cols: usize, from: usize, width: usize, dst: &mut [T]) {
    for (d, s) in dst.chunks_exact_mut(width).zip(src.chunks_exact(cols)) {
        d.copy_from_slice(&s[from..from + width]);
    }
}

/// Writes the contiguous `rows x width` matrix `src` into columns
/// `from..from + width` of the `rows x cols` matrix `dst`.
pub fn paste_cols<T: Copy>(src: &[T], width: usize, dst: &mut [T], cols: usize, from: usize) {
    for (s, d) in src.chunks_exact(width).zip(dst.chunks_exact_mut(cols)) {
        d[from..from + width].copy_from_slice(s);
    }
}

/// Resizes a scratch buffer to `len` without shrinking its capacity, so
/// buffers reused step after step allocate only the first time.
pub fn ensure_len<T: Real>(buf: &mut Vec<T>, len: usize) {
    if buf.len() != len {
        buf.resize(len, T::zero());
    }
}
