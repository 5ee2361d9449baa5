//! A fixed channel permutation: mixes the halves between coupling blocks.
//! Volume-preserving, so it adds nothing to log|det J|.

use super::{Invertible, Scratch};
use crate::linalg::Real;
use serde::Serialize;

/// `y[:, j] = x[:, perm[j]]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Permutation {
    perm: Vec<usize>,
}

impl Permutation {
    /// Wraps `perm`, which must hold every index of `0..perm.len()` once.
    pub fn new(perm: Vec<usize>) -> Result<Self, String> {
        let mut seen = vec![false; perm.len()];
        for &p in &perm {
            if p >= perm.len() || std::mem::replace(&mut seen[p], true) {
                return Err(format!("{perm:?} is not a permutation"));
            }
        }
        Ok(Permutation { perm })
    }

    /// The index list.
    pub fn indices(&self) -> &[usize] {
        &self.perm
    }
}

/// Moves columns: `dst[:, j] = src[:, map[j]]` (gather) or
/// `dst[:, map[j]] = src[:, j]` (scatter).
fn permute_rows<T: Real>(perm: &[usize], src: &[T], dst: &mut [T], gather: bool) {
    let d = perm.len();
    for (s, t) in src.chunks_exact(d).zip(dst.chunks_exact_mut(d)) {
        for (j, &p) in perm.iter().enumerate() {
            if gather {
                t[j] = s[p];
            } else {
                t[p] = s[j];
            }
        }
    }
}

impl<T: Real> Invertible<T> for Permutation {
    type Cache = ();

    fn dim(&self) -> usize {
        self.perm.len()
    }

    fn forward(&self, _: &[T], x: &[T], _: usize, y: &mut [T], _: &mut [T], _: &mut ()) {
        permute_rows(&self.perm, x, y, true);
    }

    fn inverse(&self, _: &[T], y: &[T], _: usize, x: &mut [T], _: &mut [T], _: &mut ()) {
        permute_rows(&self.perm, y, x, false);
    }

    fn backward_forward(
        &self,
        _: &[T],
        _: &mut [T],
        gy: &[T],
        _: Option<&[T]>,
        _: &mut (),
        _: &mut Scratch<T>,
        gx: &mut [T],
    ) {
        permute_rows(&self.perm, gy, gx, false);
    }

    fn backward_inverse(
        &self,
        _: &[T],
        _: &mut [T],
        gx: &[T],
        _: Option<&[T]>,
        _: &mut (),
        _: &mut Scratch<T>,
        gy: &mut [T],
    ) {
        permute_rows(&self.perm, gx, gy, true);
    }
}
