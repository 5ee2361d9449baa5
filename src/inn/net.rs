//! The invertible network: coupling blocks, each followed by a fixed random
//! permutation, all reading one flat parameter vector.

use super::{CouplingBlock, CouplingCache, Invertible, Permutation, Scratch};
use crate::linalg::{ensure_len, Real};

mod taps;
pub use taps::Taps;

/// `f = P_k . C_k . ... . P_1 . C_1` on `dim` channels.
#[derive(Clone, Debug, PartialEq)]
pub struct InvertibleNet {
    dim: usize,
    blocks: Vec<CouplingBlock>,
    perms: Vec<Permutation>,
    n_params: usize,
}

/// Per-block caches of one pass plus two ping-pong buffers.
#[derive(Clone, Debug, Default)]
pub struct NetCache<T> {
    blocks: Vec<CouplingCache<T>>,
    a: Vec<T>,
    b: Vec<T>,
}

impl InvertibleNet {
    /// A network of `perms.len()` blocks on `dim` channels.
    pub fn new(
        dim: usize,
        hidden: usize,
        depth: usize,
        clamp: f64,
        perms: Vec<Permutation>,
    ) -> Self {
        let mut offset = 0;
        let blocks = perms
            .iter()
            .map(|_| CouplingBlock::new(dim, hidden, depth, clamp, &mut offset))
            .collect();
        InvertibleNet {
            dim,
            blocks,
            perms,
            n_params: offset,
        }
    }

    /// Number of trainable parameters.
    pub fn n_params(&self) -> usize {
        self.n_params
    }

    /// The fixed permutations, one per block.
    pub fn permutations(&self) -> &[Permutation] {
        &self.perms
    }

    /// Multiply-adds of one pass (either direction) for one sample.
    pub fn macs_per_sample(&self) -> usize {
        self.blocks.iter().map(CouplingBlock::macs_per_sample).sum()
    }
}

/// How far `f^-1(f(x))` is from `x` on a batch (see [`InvertibleNet::round_trip`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RoundTrip {
    /// max |x - f^-1(f(x))| over every entry.
    pub max_error: f64,
    /// max |log|det J_f(x)| + log|det J_f^-1(f(x))|| over the rows (0 when exact).
    pub max_logdet_sum: f64,
    /// max |f(x) - x|: shows the weights do something.
    pub max_moved: f64,
    /// max |log|det J_f(x)||: likewise.
    pub max_logdet: f64,
}

impl InvertibleNet {
    /// Runs `x` (`rows x dim`) forward and back: the invertibility check of
    /// the native tests and of the wasm self-test.
    pub fn round_trip<T: Real>(&self, params: &[T], x: &[T], rows: usize) -> RoundTrip {
        let (mut y, mut back) = (vec![T::zero(); x.len()], vec![T::zero(); x.len()]);
        let (mut lf, mut li) = (vec![T::zero(); rows], vec![T::zero(); rows]);
        self.forward(params, x, rows, &mut y, &mut lf, &mut NetCache::default());
        self.inverse(
            params,
            &y,
            rows,
            &mut back,
            &mut li,
            &mut NetCache::default(),
        );
        let max = |it: &mut dyn Iterator<Item = T>| {
            it.map(|v| v.abs().to_f64().unwrap_or(f64::NAN))
                .fold(0.0, f64::max)
        };
        RoundTrip {
            max_error: max(&mut x.iter().zip(&back).map(|(a, b)| *a - *b)),
            max_logdet_sum: max(&mut lf.iter().zip(&li).map(|(a, b)| *a + *b)),
            max_moved: max(&mut x.iter().zip(&y).map(|(a, b)| *a - *b)),
            max_logdet: max(&mut lf.iter().copied()),
        }
    }
}

impl<T: Real> Invertible<T> for InvertibleNet {
    type Cache = NetCache<T>;

    fn dim(&self) -> usize {
        self.dim
    }

    fn forward(
        &self,
        p: &[T],
        x: &[T],
        rows: usize,
        y: &mut [T],
        logdet: &mut [T],
        c: &mut NetCache<T>,
    ) {
        c.blocks.resize_with(self.blocks.len(), Default::default);
        ensure_len(&mut c.a, x.len());
        ensure_len(&mut c.b, x.len());
        c.a.copy_from_slice(x);
        for ((block, perm), bc) in self.blocks.iter().zip(&self.perms).zip(&mut c.blocks) {
            block.forward(p, &c.a, rows, &mut c.b, logdet, bc);
            perm.forward(p, &c.b, rows, &mut c.a, logdet, &mut ());
        }
        y.copy_from_slice(&c.a);
    }

    fn inverse(
        &self,
        p: &[T],
        y: &[T],
        rows: usize,
        x: &mut [T],
        logdet: &mut [T],
        c: &mut NetCache<T>,
    ) {
        c.blocks.resize_with(self.blocks.len(), Default::default);
        ensure_len(&mut c.a, y.len());
        ensure_len(&mut c.b, y.len());
        c.a.copy_from_slice(y);
        for ((block, perm), bc) in self.blocks.iter().zip(&self.perms).zip(&mut c.blocks).rev() {
            perm.inverse(p, &c.a, rows, &mut c.b, logdet, &mut ());
            block.inverse(p, &c.b, rows, &mut c.a, logdet, bc);
        }
        x.copy_from_slice(&c.a);
    }

    fn backward_forward(
        &self,
        p: &[T],
        grads: &mut [T],
        grad_y: &[T],
        grad_logdet: Option<&[T]>,
        c: &mut NetCache<T>,
        scratch: &mut Scratch<T>,
        grad_x: &mut [T],
    ) {
        c.a.copy_from_slice(grad_y);
        for ((block, perm), bc) in self.blocks.iter().zip(&self.perms).zip(&mut c.blocks).rev() {
            perm.backward_forward(p, grads, &c.a, None, &mut (), scratch, &mut c.b);
            block.backward_forward(p, grads, &c.b, grad_logdet, bc, scratch, &mut c.a);
        }
        grad_x.copy_from_slice(&c.a);
    }

    fn backward_inverse(
        &self,
        p: &[T],
        grads: &mut [T],
        grad_x: &[T],
        grad_logdet: Option<&[T]>,
        c: &mut NetCache<T>,
        scratch: &mut Scratch<T>,
        grad_y: &mut [T],
    ) {
        c.a.copy_from_slice(grad_x);
        for ((block, perm), bc) in self.blocks.iter().zip(&self.perms).zip(&mut c.blocks) {
            block.backward_inverse(p, grads, &c.a, grad_logdet, bc, scratch, &mut c.b);
            perm.backward_inverse(p, grads, &c.b, None, &mut (), scratch, &mut c.a);
        }
        grad_y.copy_from_slice(&c.a);
    }
}
