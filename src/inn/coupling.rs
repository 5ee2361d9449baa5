//! GLOW-style double affine coupling block (FrEIA 0.2 `GLOWCouplingBlock`):
//! both halves are transformed, each by scale and shift predicted from the
//! other half.
//!
//! Forward, input u = [u1, u2], output v = [v1, v2]:
//!   [s2, t2] = net2(u2);  v1 = u1 * exp(a(s2)) + t2
//!   [s1, t1] = net1(v1);  v2 = u2 * exp(a(s1)) + t1
//! with the soft clamp a(s) = clamp * 0.636 * atan(s / clamp), so |a| < clamp
//! and exp(a) can neither vanish nor explode. log|det J| = sum a(s1) + sum a(s2).

use super::{Invertible, Scratch};
use crate::linalg::{copy_cols, ensure_len, paste_cols, Real};
use crate::nn::{Mlp, MlpCache};

mod trace;
pub use trace::BlockTrace;

/// FrEIA's constant for 2/pi in the soft clamp.
pub const SOFT_CLAMP_SLOPE: f64 = 0.636;

/// One coupling block; its subnetworks' weights live in the model's one
/// parameter vector.
#[derive(Clone, Debug, PartialEq)]
pub struct CouplingBlock {
    dim: usize,
    /// Width of the first half (`dim / 2`); the second has the rest.
    d1: usize,
    d2: usize,
    clamp: f64,
    /// net1: v1 -> [s1, t1] (scales the second half).
    net1: Mlp,
    /// net2: u2 -> [s2, t2] (scales the first half).
    net2: Mlp,
}

/// What one pass through a block keeps. In both directions `h1`, `h2` hold
/// the x-side halves (u1, u2), `v1` the first y-side half, `e*` the scales
/// applied (exp(a) forward, exp(-a) inverse) and `c*` the clamp's slope
/// da/ds at the raw log-scale.
#[derive(Clone, Debug, Default)]
pub struct CouplingCache<T> {
    net1: MlpCache<T>,
    net2: MlpCache<T>,
    h1: Vec<T>,
    h2: Vec<T>,
    v1: Vec<T>,
    v2: Vec<T>,
    e1: Vec<T>,
    e2: Vec<T>,
    c1: Vec<T>,
    c2: Vec<T>,
    g1: Vec<T>,
    g2: Vec<T>,
    gr: Vec<T>,
    gin: Vec<T>,
}

impl CouplingBlock {
    /// A block on `dim` channels whose subnetworks have `depth` hidden layers
    /// of width `hidden`; its weights start at `*offset`, which it advances.
    pub fn new(dim: usize, hidden: usize, depth: usize, clamp: f64, offset: &mut usize) -> Self {
        let d1 = dim / 2;
        let d2 = dim - d1;
        let net2 = Mlp::new(d2, hidden, depth, 2 * d1, offset);
        let net1 = Mlp::new(d1, hidden, depth, 2 * d2, offset);
        CouplingBlock {
            dim,
            d1,
            d2,
            clamp,
            net1,
            net2,
        }
    }

    /// Multiply-adds of one pass for one sample.
    pub fn macs_per_sample(&self) -> usize {
        self.net1.macs_per_sample() + self.net2.macs_per_sample()
    }
}

/// `out = inp * exp(+-a(s)) + t` (forward) or `(inp - t) * exp(-a(s))`
/// (inverse) for one half, where `r` holds `[s, t]` per row; records the
/// scales and clamp slopes and adds `+-a` to `logdet`.
#[allow(clippy::too_many_arguments)]
fn affine<T: Real>(
    clamp: f64,
    inverse: bool,
    r: &[T],
    d: usize,
    inp: &[T],
    out: &mut [T],
    scale: &mut [T],
    slope: &mut [T],
    logdet: &mut [T],
) {
    let c = T::of(clamp);
    let k = T::of(SOFT_CLAMP_SLOPE);
    for (i, ld) in logdet.iter_mut().enumerate() {
        let (s, t) = r[i * 2 * d..(i + 1) * 2 * d].split_at(d);
        let row = i * d..(i + 1) * d;
        let (inp, out) = (&inp[row.clone()], &mut out[row.clone()]);
        let (scale, slope) = (&mut scale[row.clone()], &mut slope[row]);
        // Three passes so that the first and last vectorise: the log-scales
        // (parked in `scale`), their sum into log|det| in order, then the
        // scales and the outputs.
        for j in 0..d {
            let q = s[j] / c;
            scale[j] = c * k * q.clamp_atan();
            slope[j] = k / (T::one() + q * q);
        }
        let a_sum = scale.iter().fold(T::zero(), |acc, a| acc + *a);
        if inverse {
            *ld -= a_sum;
            for j in 0..d {
                scale[j] = (-scale[j]).scale_exp();
                out[j] = (inp[j] - t[j]) * scale[j];
            }
        } else {
            *ld += a_sum;
            for j in 0..d {
                scale[j] = scale[j].scale_exp();
                out[j] = inp[j] * scale[j] + t[j];
            }
        }
    }
}

/// Gradient with respect to a subnetwork's raw `[s, t]` output for one half.
/// `g` is dL/d(out) of that half and `h` the x-side value it scaled:
/// forward (out = h e + t): ds = (g h e + gl) a', dt = g;
/// inverse (h = (out - t) e): ds = (-g h - gl) a', dt = -g e, where g = dL/dh.
#[allow(clippy::too_many_arguments)]
fn raw_grad<T: Real>(
    inverse: bool,
    d: usize,
    g: &[T],
    h: &[T],
    scale: &[T],
    slope: &[T],
    grad_logdet: Option<&[T]>,
    gr: &mut [T],
) {
    for (i, grow) in gr.chunks_exact_mut(2 * d).enumerate() {
        let gl = grad_logdet.map_or(T::zero(), |gl| gl[i]);
        let (gs, gt) = grow.split_at_mut(d);
        for j in 0..d {
            let ix = i * d + j;
            if inverse {
                gs[j] = (-g[ix] * h[ix] - gl) * slope[ix];
                gt[j] = -g[ix] * scale[ix];
            } else {
                gs[j] = (g[ix] * h[ix] * scale[ix] + gl) * slope[ix];
                gt[j] = g[ix];
            }
        }
    }
}

fn add_into<T: Real>(acc: &mut [T], v: &[T]) {
    for (a, b) in acc.iter_mut().zip(v) {
        *a += *b;
    }
}

fn scale_by<T: Real>(g: &mut [T], s: &[T]) {
    for (a, b) in g.iter_mut().zip(s) {
        *a *= *b;
    }
}

impl<T: Real> CouplingCache<T> {
    fn size(&mut self, rows: usize, d1: usize, d2: usize) {
        for (buf, d) in [
            (&mut self.h1, d1),
            (&mut self.v1, d1),
            (&mut self.e2, d1),
            (&mut self.c2, d1),
            (&mut self.g1, d1),
            (&mut self.h2, d2),
            (&mut self.v2, d2),
            (&mut self.e1, d2),
            (&mut self.c1, d2),
            (&mut self.g2, d2),
        ] {
            ensure_len(buf, rows * d);
        }
    }
}

impl<T: Real> Invertible<T> for CouplingBlock {
    type Cache = CouplingCache<T>;

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
        c: &mut CouplingCache<T>,
    ) {
        let (d1, d2, dim) = (self.d1, self.d2, self.dim);
        c.size(rows, d1, d2);
        copy_cols(x, dim, 0, d1, &mut c.h1);
        copy_cols(x, dim, d1, d2, &mut c.h2);
        self.net2.forward(p, &c.h2, rows, &mut c.net2);
        affine(
            self.clamp,
            false,
            c.net2.output(),
            d1,
            &c.h1,
            &mut c.v1,
            &mut c.e2,
            &mut c.c2,
            logdet,
        );
        self.net1.forward(p, &c.v1, rows, &mut c.net1);
        affine(
            self.clamp,
            false,
            c.net1.output(),
            d2,
            &c.h2,
            &mut c.v2,
            &mut c.e1,
            &mut c.c1,
            logdet,
        );
        paste_cols(&c.v1, d1, y, dim, 0);
        paste_cols(&c.v2, d2, y, dim, d1);
    }

    fn inverse(
        &self,
        p: &[T],
        y: &[T],
        rows: usize,
        x: &mut [T],
        logdet: &mut [T],
        c: &mut CouplingCache<T>,
    ) {
        let (d1, d2, dim) = (self.d1, self.d2, self.dim);
        c.size(rows, d1, d2);
        copy_cols(y, dim, 0, d1, &mut c.v1);
        copy_cols(y, dim, d1, d2, &mut c.v2);
        self.net1.forward(p, &c.v1, rows, &mut c.net1);
        affine(
            self.clamp,
            true,
            c.net1.output(),
            d2,
            &c.v2,
            &mut c.h2,
            &mut c.e1,
            &mut c.c1,
            logdet,
        );
        self.net2.forward(p, &c.h2, rows, &mut c.net2);
        affine(
            self.clamp,
            true,
            c.net2.output(),
            d1,
            &c.v1,
            &mut c.h1,
            &mut c.e2,
            &mut c.c2,
            logdet,
        );
        paste_cols(&c.h1, d1, x, dim, 0);
        paste_cols(&c.h2, d2, x, dim, d1);
    }

    fn backward_forward(
        &self,
        p: &[T],
        grads: &mut [T],
        grad_y: &[T],
        grad_logdet: Option<&[T]>,
        c: &mut CouplingCache<T>,
        scratch: &mut Scratch<T>,
        grad_x: &mut [T],
    ) {
        let (d1, d2, dim) = (self.d1, self.d2, self.dim);
        let rows = c.h1.len() / d1.max(1);
        // g1 = dL/dv1, g2 = dL/dv2
        copy_cols(grad_y, dim, 0, d1, &mut c.g1);
        copy_cols(grad_y, dim, d1, d2, &mut c.g2);
        // v2 = u2 * e1 + t1, [s1, t1] = net1(v1)
        ensure_len(&mut c.gr, rows * 2 * d2);
        raw_grad(
            false,
            d2,
            &c.g2,
            &c.h2,
            &c.e1,
            &c.c1,
            grad_logdet,
            &mut c.gr,
        );
        scale_by(&mut c.g2, &c.e1); // now dL/du2 (direct part)
        ensure_len(&mut c.gin, rows * d1);
        self.net1
            .backward(p, grads, &c.gr, &c.net1, scratch, &mut c.gin);
        add_into(&mut c.g1, &c.gin); // total dL/dv1

        // v1 = u1 * e2 + t2, [s2, t2] = net2(u2)
        ensure_len(&mut c.gr, rows * 2 * d1);
        raw_grad(
            false,
            d1,
            &c.g1,
            &c.h1,
            &c.e2,
            &c.c2,
            grad_logdet,
            &mut c.gr,
        );
        scale_by(&mut c.g1, &c.e2); // dL/du1
        ensure_len(&mut c.gin, rows * d2);
        self.net2
            .backward(p, grads, &c.gr, &c.net2, scratch, &mut c.gin);
        add_into(&mut c.g2, &c.gin); // total dL/du2
        paste_cols(&c.g1, d1, grad_x, dim, 0);
        paste_cols(&c.g2, d2, grad_x, dim, d1);
    }

    fn backward_inverse(
        &self,
        p: &[T],
        grads: &mut [T],
        grad_x: &[T],
        grad_logdet: Option<&[T]>,
        c: &mut CouplingCache<T>,
        scratch: &mut Scratch<T>,
        grad_y: &mut [T],
    ) {
        let (d1, d2, dim) = (self.d1, self.d2, self.dim);
        let rows = c.h1.len() / d1.max(1);
        // g1 = dL/du1, g2 = dL/du2
        copy_cols(grad_x, dim, 0, d1, &mut c.g1);
        copy_cols(grad_x, dim, d1, d2, &mut c.g2);
        // u1 = (v1 - t2) * e2, [s2, t2] = net2(u2)
        ensure_len(&mut c.gr, rows * 2 * d1);
        raw_grad(true, d1, &c.g1, &c.h1, &c.e2, &c.c2, grad_logdet, &mut c.gr);
        scale_by(&mut c.g1, &c.e2); // dL/dv1 (direct part)
        ensure_len(&mut c.gin, rows * d2);
        self.net2
            .backward(p, grads, &c.gr, &c.net2, scratch, &mut c.gin);
        add_into(&mut c.g2, &c.gin); // total dL/du2

        // u2 = (v2 - t1) * e1, [s1, t1] = net1(v1)
        ensure_len(&mut c.gr, rows * 2 * d2);
        raw_grad(true, d2, &c.g2, &c.h2, &c.e1, &c.c1, grad_logdet, &mut c.gr);
        scale_by(&mut c.g2, &c.e1); // dL/dv2
        ensure_len(&mut c.gin, rows * d1);
        self.net1
            .backward(p, grads, &c.gr, &c.net1, scratch, &mut c.gin);
        add_into(&mut c.g1, &c.gin); // total dL/dv1
        paste_cols(&c.g1, d1, grad_y, dim, 0);
        paste_cols(&c.g2, d2, grad_y, dim, d1);
    }
}
