//! The tiling: every value of `c` computed in register tiles of `MR` rows
//! by `NV` vectors, over `k` in one go, with narrower tiles and single
//! columns at the edges. Written once over [`Lanes`].

use super::lanes::Lanes;
use super::Then;

/// Rows of `c` per register tile.
const MR: usize = 4;
/// Vectors of columns per register tile: 4 x 2 vectors keeps 8
/// accumulators, two row vectors of `b` and one broadcast in registers
/// (wasm engines have 16); the fastest shape in Chromium of those tried
/// (docs/kernels.md).
const NV: usize = 2;

/// The epilogue a copy of the tiles applies ([`Then`]), as a constant so
/// that each copy is compiled for its own.
const PLAIN: u8 = 0;
const BIAS: u8 = 1;
const BIAS_RELU: u8 = 2;
const MASK: u8 = 3;

/// Raw views of the three operands of one product, `b` row-major with row
/// stride `ldb`.
pub(super) struct Operands {
    pub(super) m: usize,
    pub(super) k: usize,
    pub(super) n: usize,
    pub(super) alpha: f32,
    pub(super) beta: f32,
    pub(super) a: *const f32,
    pub(super) a_strides: (usize, usize),
    pub(super) b: *const f32,
    pub(super) ldb: usize,
    pub(super) c: *mut f32,
    /// The epilogue: [`PLAIN`], [`BIAS`], [`BIAS_RELU`] or [`MASK`].
    pub(super) epilogue: u8,
    /// The `n` biases of [`BIAS`] and [`BIAS_RELU`] (else null).
    pub(super) bias: *const f32,
    /// The `m x n` row-major mask of [`MASK`] (else null): see
    /// [`Then::KeepWherePositive`].
    pub(super) mask: *const f32,
}

/// The fields of [`Operands`] that say its epilogue: the constant for
/// `then`, its bias and its mask (null where it has none).
pub(super) fn epilogue_of(then: Then<f32>) -> (u8, *const f32, *const f32) {
    match then {
        Then::Nothing => (PLAIN, std::ptr::null(), std::ptr::null()),
        Then::AddBias { bias, relu } => (
            if relu { BIAS_RELU } else { BIAS },
            bias.as_ptr(),
            std::ptr::null(),
        ),
        Then::KeepWherePositive(mask) => (MASK, std::ptr::null(), mask.as_ptr()),
    }
}

impl Operands {
    /// Every tile of `c`: full `MR x NV` vector tiles, then narrower ones
    /// and single columns at the right edge, single rows at the bottom.
    ///
    /// # Safety
    /// Every `(i, l)` of `a`, `(l, j)` of `b` and `(i, j)` of `c` with
    /// `i < m`, `l < k`, `j < n` is inside its buffer, and `c` aliases
    /// neither `a` nor `b`.
    #[inline(always)]
    pub(super) unsafe fn product<L: Lanes>(&self) {
        // One copy of the tiles per epilogue, so that the plain product's
        // inner loops test nothing at each store (such a test slowed them
        // in Chromium).
        match self.epilogue {
            BIAS_RELU => self.tiles::<L, BIAS_RELU>(),
            BIAS => self.tiles::<L, BIAS>(),
            MASK => self.tiles::<L, MASK>(),
            _ => self.tiles::<L, PLAIN>(),
        }
    }

    /// Every tile, with epilogue `E`.
    ///
    /// # Safety
    /// As for [`Operands::product`].
    #[inline(always)]
    unsafe fn tiles<L: Lanes, const E: u8>(&self) {
        let (m, n, w) = (self.m, self.n, L::W);
        let full_rows = m - m % MR;
        let wide = n - n % (w * NV);
        let narrow = n - n % w;
        for i in (0..full_rows).step_by(MR) {
            for j in (0..wide).step_by(w * NV) {
                self.tile::<L, MR, NV, E>(i, j);
            }
            for j in (wide..narrow).step_by(w) {
                self.tile::<L, MR, 1, E>(i, j);
            }
            for j in narrow..n {
                self.column::<MR, E>(i, j);
            }
        }
        for i in full_rows..m {
            for j in (0..wide).step_by(w * NV) {
                self.tile::<L, 1, NV, E>(i, j);
            }
            for j in (wide..narrow).step_by(w) {
                self.tile::<L, 1, 1, E>(i, j);
            }
            for j in narrow..n {
                self.column::<1, E>(i, j);
            }
        }
    }

    /// `R x C` vectors of `c` at `(i, j)`, kept in registers over all of `k`.
    ///
    /// # Safety
    /// Rows `i..i + R` and columns `j..j + C * W` must be inside the product.
    #[inline(always)]
    unsafe fn tile<L: Lanes, const R: usize, const C: usize, const E: u8>(
        &self,
        i: usize,
        j: usize,
    ) {
        let mut acc = [[L::zero(); C]; R];
        let (sa0, sa1) = self.a_strides;
        for l in 0..self.k {
            let b_row = self.b.add(l * self.ldb + j);
            let bv: [L::V; C] = std::array::from_fn(|v| L::load(b_row.add(L::W * v)));
            for (r, acc_r) in acc.iter_mut().enumerate() {
                let av = L::splat(*self.a.add((i + r) * sa0 + l * sa1));
                for (acc_rv, b) in acc_r.iter_mut().zip(&bv) {
                    *acc_rv = L::mul_add(*acc_rv, av, *b);
                }
            }
        }
        // alpha = 1 with beta = 0 or 1 is every product of the network,
        // so these skip the multiplications by alpha and beta (at k = 8
        // they would be a sizeable part of a tile's work).
        let (alpha, beta) = (L::splat(self.alpha), L::splat(self.beta));
        for (r, acc_r) in acc.iter().enumerate() {
            let c_row = self.c.add((i + r) * self.n + j);
            for (v, acc_rv) in acc_r.iter().enumerate() {
                let mut out = if self.alpha == 1.0 {
                    *acc_rv
                } else {
                    L::mul(alpha, *acc_rv)
                };
                if self.beta != 0.0 {
                    let old = L::load(c_row.add(L::W * v));
                    out = L::add(
                        out,
                        if self.beta == 1.0 {
                            old
                        } else {
                            L::mul(beta, old)
                        },
                    );
                }
                let col = j + L::W * v;
                if E == BIAS || E == BIAS_RELU {
                    out = L::add(out, L::load(self.bias.add(col)));
                    if E == BIAS_RELU {
                        out = L::relu(out);
                    }
                }
                if E == MASK {
                    let mask = L::load(self.mask.add((i + r) * self.n + col));
                    out = L::keep_where_positive(out, mask);
                }
                L::store(c_row.add(L::W * v), out);
            }
        }
    }

    /// One column `j` of rows `i..i + R`, for widths that are not a
    /// multiple of the lanes.
    ///
    /// # Safety
    /// As for [`Operands::tile`].
    #[inline(always)]
    unsafe fn column<const R: usize, const E: u8>(&self, i: usize, j: usize) {
        let mut acc = [0.0f32; R];
        let (sa0, sa1) = self.a_strides;
        for l in 0..self.k {
            let bv = *self.b.add(l * self.ldb + j);
            for (r, acc_r) in acc.iter_mut().enumerate() {
                *acc_r += *self.a.add((i + r) * sa0 + l * sa1) * bv;
            }
        }
        for (r, acc_r) in acc.iter().enumerate() {
            let p = self.c.add((i + r) * self.n + j);
            let mut out = if self.beta != 0.0 {
                self.alpha * acc_r + self.beta * *p
            } else {
                self.alpha * acc_r
            };
            if E == BIAS || E == BIAS_RELU {
                out += *self.bias.add(j);
                if E == BIAS_RELU {
                    out = Then::relu(out);
                }
            }
            if E == MASK {
                out = Then::keep_where_positive(out, *self.mask.add((i + r) * self.n + j));
            }
            *p = out;
        }
    }
}
