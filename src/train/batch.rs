//! One step's draws: the training batch and every noise the step uses,
//! drawn in a fixed order from the trainer's random source (so that a seed
//! fixes the run), and drawn ahead while the page's worker waits.

use super::Trainer;
use crate::linalg::{ensure_len, paste_cols, Real};
use crate::rng::Rng;

/// The training batch and every noise of one step.
#[derive(Clone, Debug, Default)]
pub(super) struct Batch<T> {
    /// Clean training x (`n x ndim_x`).
    pub x: Vec<T>,
    /// The simulated y (`n x ndim_y`; zeros beyond the problem's own y).
    pub y: Vec<T>,
    /// Padded input [x, pad noise].
    pub x_in: Vec<T>,
    /// Forward target [z ~ N, pad noise, y noisy].
    pub target: Vec<T>,
    /// Inverse-pass input: rows 0..n [f_z(x) + noise, pad, y noisy],
    /// rows n..2n [z ~ N, pad, y noisy].
    pub rev_in: Vec<T>,
    /// The noise added to f_z(x) in the reconstructed rows (`n x ndim_z`).
    pub z_noise: Vec<T>,
}

impl<T: Real> Trainer<T> {
    /// Draws the next training batch and every noise the step uses (or
    /// takes the one [`Trainer::prefetch_batch`] drew: the same draws).
    pub fn draw_batch(&mut self) {
        let ws = &mut self.ws;
        if ws.next_drawn {
            std::mem::swap(&mut ws.batch, &mut ws.next);
            ws.next_drawn = false;
        } else {
            self.draw_into(false);
        }
    }

    /// Draws the next step's batch now, while there is time to spare (the
    /// worker does it while it waits for its helper); the next
    /// [`Trainer::draw_batch`] takes it. The current batch is kept.
    pub(super) fn prefetch_batch(&mut self) {
        if !self.ws.next_drawn {
            self.draw_into(true);
            self.ws.next_drawn = true;
        }
    }

    /// Draws a batch into the current one's buffers, or into the next's.
    fn draw_into(&mut self, next: bool) {
        let (n, dim, nz, ny, nx) = (
            self.cfg.batch,
            self.cfg.ndim_tot,
            self.cfg.ndim_z,
            self.cfg.ndim_y,
            self.cfg.ndim_x,
        );
        let (y_noise, pad_noise) = (self.cfg.y_noise, self.cfg.pad_noise);
        let ws = if next {
            &mut self.ws.next
        } else {
            &mut self.ws.batch
        };
        let rng = &mut self.rng;
        for (buf, len) in [
            (&mut ws.x, n * nx),
            (&mut ws.y, n * ny),
            (&mut ws.x_in, n * dim),
            (&mut ws.target, n * dim),
            (&mut ws.rev_in, 2 * n * dim),
            (&mut ws.z_noise, n * nz),
        ] {
            ensure_len(buf, len);
        }
        ws.y.fill(T::zero());
        let own_y = self.problem.ndim_y();
        let (mut x, mut y) = (vec![0.0; nx], vec![0.0; own_y]);
        for i in 0..n {
            self.problem.simulate(rng, &mut x, &mut y);
            for (to, v) in ws.x[i * nx..(i + 1) * nx].iter_mut().zip(&x) {
                *to = T::of(*v);
            }
            for (to, v) in ws.y[i * ny..i * ny + own_y].iter_mut().zip(&y) {
                *to = T::of(*v);
            }
        }
        paste_cols(&ws.x, nx, &mut ws.x_in, dim, 0);
        for i in 0..n {
            rng.fill_normal(&mut ws.x_in[i * dim + nx..(i + 1) * dim], pad_noise);
            noisy_target(
                rng,
                &mut ws.target[i * dim..(i + 1) * dim],
                &ws.y[i * ny..(i + 1) * ny],
                nz,
                pad_noise,
                y_noise,
            );
        }
        // Inverse pass: the same fresh [pad, y noisy] for both halves, as in the notebook.
        for i in 0..n {
            let (head, tail) = ws.rev_in.split_at_mut((n + i) * dim);
            let row = &mut head[i * dim..(i + 1) * dim];
            noisy_target(
                rng,
                row,
                &ws.y[i * ny..(i + 1) * ny],
                nz,
                pad_noise,
                y_noise,
            );
            tail[..dim].copy_from_slice(row);
            rng.fill_normal(&mut tail[..nz], 1.0);
        }
        rng.fill_normal(&mut ws.z_noise, y_noise);
    }
}

/// Writes a target row `[z ~ N(0, I), pad noise, y + y noise]`.
pub(super) fn noisy_target<T: Real>(
    rng: &mut Rng,
    row: &mut [T],
    y: &[T],
    nz: usize,
    pad_noise: f64,
    y_noise: f64,
) {
    let dim = row.len();
    let ny = y.len();
    rng.fill_normal(&mut row[..nz], 1.0);
    rng.fill_normal(&mut row[nz..dim - ny], pad_noise);
    for (r, v) in row[dim - ny..].iter_mut().zip(y) {
        *r = *v + T::of(y_noise * rng.normal());
    }
}
