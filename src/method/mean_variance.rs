//! The mean–variance network (Nix & Weigend 1994): an MLP from y to the
//! mean and log-variance of each coordinate of x, trained by the Gaussian
//! negative log-likelihood 0.5 (log σ² + (x - μ)² / σ²). Its answer to y*
//! is one axis-aligned Gaussian: exact for a one-mode posterior, and mass
//! between the modes of a multimodal one.

use super::shared::{check_dimensions, draw_joint, real, trained_answer, ADAM};
use super::{Answer, Method, Query};
use crate::error::Error;
use crate::linalg::Real;
use crate::nn::{Mlp, MlpCache, MlpScratch};
use crate::optim::Adam;
use crate::problem::Problem;
use crate::rng::Rng;

/// Size and optimiser of a mean–variance network.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeanVarianceSettings {
    pub hidden: usize,
    pub depth: usize,
    pub batch: usize,
    pub lr: f64,
    pub seed: u64,
}

impl Default for MeanVarianceSettings {
    fn default() -> Self {
        MeanVarianceSettings {
            hidden: 32,
            depth: 2,
            batch: 256,
            lr: 3e-3,
            seed: 1,
        }
    }
}

/// The network, its optimiser and the buffers of a step.
#[derive(Debug)]
pub struct MeanVariance<T: Real = f32> {
    settings: MeanVarianceSettings,
    net: Mlp,
    params: Vec<T>,
    grads: Vec<T>,
    adam: Adam<T>,
    rng: Rng,
    steps: u64,
    ndim_x: usize,
    ndim_y: usize,
    cache: MlpCache<T>,
    scratch: MlpScratch<T>,
    batch_x: Vec<T>,
    batch_y: Vec<T>,
    grad_out: Vec<T>,
    grad_in: Vec<T>,
}

impl<T: Real> MeanVariance<T> {
    /// A fresh network for `problem` (weights from the settings' seed).
    pub fn new(problem: &dyn Problem, settings: MeanVarianceSettings) -> Result<Self, Error> {
        if !(1..=512).contains(&settings.hidden) || !(1..=3).contains(&settings.depth) {
            return Err(Error::InvalidArgument(format!(
                "a mean-variance network needs hidden in [1, 512] and depth in [1, 3], got {} and {}",
                settings.hidden, settings.depth
            )));
        }
        if settings.batch == 0 || !(settings.lr.is_finite() && settings.lr > 0.0) {
            return Err(Error::InvalidArgument(format!(
                "batch must be > 0 and lr > 0, got {} and {}",
                settings.batch, settings.lr
            )));
        }
        let (ndim_x, ndim_y) = (problem.ndim_x(), problem.ndim_y());
        let mut n = 0;
        let net = Mlp::new(ndim_y, settings.hidden, settings.depth, 2 * ndim_x, &mut n);
        let mut rng = Rng::new(settings.seed);
        let mut params = vec![T::zero(); n];
        // He-style scale for ReLU layers; the output starts near zero.
        rng.fill_normal(&mut params, (2.0 / settings.hidden as f64).sqrt() * 0.5);
        Ok(MeanVariance {
            settings,
            net,
            grads: vec![T::zero(); n],
            adam: Adam::new(n),
            params,
            rng,
            steps: 0,
            ndim_x,
            ndim_y,
            cache: MlpCache::default(),
            scratch: MlpScratch::default(),
            batch_x: Vec::new(),
            batch_y: Vec::new(),
            grad_out: Vec::new(),
            grad_in: Vec::new(),
        })
    }

    /// Training steps done.
    pub fn steps_done(&self) -> u64 {
        self.steps
    }

    /// The weights (for gradient checks).
    pub fn params_mut(&mut self) -> &mut [T] {
        &mut self.params
    }

    /// The gradient of the last [`MeanVariance::loss_and_gradient`].
    pub fn grads(&self) -> &[T] {
        &self.grads
    }

    /// Mean negative log-likelihood (without the constant) of `rows` pairs
    /// `x` (`ndim_x` each) and `y` (`ndim_y` each); its gradient replaces
    /// [`MeanVariance::grads`].
    pub fn loss_and_gradient(&mut self, x: &[T], y: &[T], rows: usize) -> f64 {
        let nx = self.ndim_x;
        self.net.forward(&self.params, y, rows, &mut self.cache);
        let out = self.cache.output();
        self.grad_out.resize(rows * 2 * nx, T::zero());
        let scale = 1.0 / (rows * nx) as f64;
        let mut loss = 0.0;
        for ((o, g), x) in out
            .chunks_exact(2 * nx)
            .zip(self.grad_out.chunks_exact_mut(2 * nx))
            .zip(x.chunks_exact(nx))
        {
            for d in 0..nx {
                // o = [mu, s], s = log sigma^2.
                let (mu, s, xv) = (real(o[d]), real(o[nx + d]), real(x[d]));
                let inv = (-s).exp();
                let r2 = (xv - mu).powi(2) * inv;
                loss += 0.5 * (s + r2) * scale;
                g[d] = T::of(-(xv - mu) * inv * scale);
                g[nx + d] = T::of(0.5 * (1.0 - r2) * scale);
            }
        }
        self.grads.iter_mut().for_each(|g| *g = T::zero());
        self.grad_in.resize(rows * self.ndim_y, T::zero());
        self.net.backward(
            &self.params,
            &mut self.grads,
            &self.grad_out,
            &self.cache,
            &mut self.scratch,
            &mut self.grad_in,
        );
        loss
    }

    /// One Adam step on a fresh batch of joint draws from `problem`; the
    /// batch's loss.
    pub fn step(&mut self, problem: &dyn Problem) -> f64 {
        let n = self.settings.batch;
        draw_joint(
            problem,
            &mut self.rng,
            n,
            &mut self.batch_x,
            &mut self.batch_y,
        );
        let (bx, by) = (
            std::mem::take(&mut self.batch_x),
            std::mem::take(&mut self.batch_y),
        );
        let loss = self.loss_and_gradient(&bx, &by, n);
        (self.batch_x, self.batch_y) = (bx, by);
        self.adam
            .step(&ADAM, self.settings.lr, &mut self.params, &mut self.grads);
        self.steps += 1;
        loss
    }

    /// The predicted mean and standard deviation of each coordinate of x
    /// for observation `y_star`.
    pub fn predict(&mut self, y_star: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let y: Vec<T> = y_star.iter().map(|&v| T::of(v)).collect();
        self.net.forward(&self.params, &y, 1, &mut self.cache);
        let o: Vec<f64> = self.cache.output().iter().map(|&v| real(v)).collect();
        let nx = self.ndim_x;
        let sd = o[nx..].iter().map(|s| (0.5 * s).exp()).collect();
        (o[..nx].to_vec(), sd)
    }
}

impl<T: Real> Method for MeanVariance<T> {
    fn name(&self) -> &'static str {
        "mean-variance"
    }

    fn answer(&mut self, problem: &dyn Problem, q: &Query) -> Result<Answer, Error> {
        check_dimensions(problem, self.ndim_x, self.ndim_y)?;
        let (mu, sd) = self.predict(q.y_star);
        let mut rng = Rng::new(q.seed);
        let samples = (0..q.n)
            .flat_map(|_| {
                mu.iter()
                    .zip(&sd)
                    .map(|(m, s)| m + s * rng.normal())
                    .collect::<Vec<_>>()
            })
            .collect();
        Ok(trained_answer(samples, 1, self.steps))
    }
}
