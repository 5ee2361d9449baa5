//! Variational weights ("Bayes by Backprop", Blundell et al. 2015): an MLP
//! from y to x whose every weight has a factorised Gaussian posterior
//! w = μ + softplus(ρ) ε, ε ~ N(0, 1), trained by the reparameterisation
//! trick on the negative evidence lower bound: the Gaussian negative
//! log-likelihood of a batch under a learned output noise, plus the KL
//! divergence of q(w) from the prior N(0, σ_p²) over the nominal data
//! size. Its answer draws fresh weights and noise for every sample.

use super::shared::{check_dimensions, draw_joint, real, sigmoid, softplus, trained_answer, ADAM};
use super::{Answer, Method, Query};
use crate::error::Error;
use crate::linalg::Real;
use crate::nn::{Mlp, MlpCache, MlpScratch};
use crate::optim::Adam;
use crate::problem::Problem;
use crate::rng::Rng;

/// Size, prior and optimiser of a variational network.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VariationalSettings {
    pub hidden: usize,
    pub depth: usize,
    pub batch: usize,
    /// Initial learning rate; it decays exponentially to a tenth of it over
    /// `steps`, which settles the means that each step's single weight
    /// draw shakes.
    pub lr: f64,
    pub steps: u64,
    /// Standard deviation of the Gaussian prior on every weight.
    pub prior_std: f64,
    /// Data points the KL term is spread over (the simulator's supply is
    /// endless, so this sets how much the data outweighs the prior).
    pub data_size: f64,
    pub seed: u64,
}

impl Default for VariationalSettings {
    fn default() -> Self {
        VariationalSettings {
            hidden: 32,
            depth: 2,
            batch: 256,
            lr: 1e-2,
            steps: 2000,
            prior_std: 1.0,
            data_size: 10_000.0,
            seed: 1,
        }
    }
}

/// The variational parameters and the buffers of a step. The parameter
/// vector is [μ (n weights), ρ (n weights), s (ndim_x output
/// log-variances)].
#[derive(Debug)]
pub struct Variational<T: Real = f32> {
    settings: VariationalSettings,
    net: Mlp,
    n_weights: usize,
    params: Vec<T>,
    grads: Vec<T>,
    adam: Adam<T>,
    rng: Rng,
    steps: u64,
    ndim_x: usize,
    ndim_y: usize,
    weights: Vec<T>,
    g_weights: Vec<T>,
    cache: MlpCache<T>,
    scratch: MlpScratch<T>,
    grad_out: Vec<T>,
    grad_in: Vec<T>,
}

impl<T: Real> Variational<T> {
    /// A fresh network for `problem`: means drawn small, every weight's
    /// std starting at softplus(-5) ≈ 0.007.
    pub fn new(problem: &dyn Problem, settings: VariationalSettings) -> Result<Self, Error> {
        let s = &settings;
        let fine = (1..=512).contains(&s.hidden)
            && (1..=3).contains(&s.depth)
            && s.batch > 0
            && s.lr > 0.0
            && s.prior_std > 0.0
            && s.data_size >= 1.0;
        if !fine {
            return Err(Error::InvalidArgument(format!(
                "bad variational settings: {s:?}"
            )));
        }
        let (ndim_x, ndim_y) = (problem.ndim_x(), problem.ndim_y());
        let mut n = 0;
        let net = Mlp::new(ndim_y, s.hidden, s.depth, ndim_x, &mut n);
        let mut rng = Rng::new(s.seed);
        let mut params = vec![T::zero(); 2 * n + ndim_x];
        rng.fill_normal(&mut params[..n], (1.0 / s.hidden as f64).sqrt());
        params[n..2 * n].iter_mut().for_each(|r| *r = T::of(-5.0));
        Ok(Variational {
            settings,
            net,
            n_weights: n,
            grads: vec![T::zero(); params.len()],
            adam: Adam::new(params.len()),
            params,
            rng,
            steps: 0,
            ndim_x,
            ndim_y,
            weights: vec![T::zero(); n],
            g_weights: vec![T::zero(); n],
            cache: MlpCache::default(),
            scratch: MlpScratch::default(),
            grad_out: Vec::new(),
            grad_in: Vec::new(),
        })
    }

    /// Training steps done.
    pub fn steps_done(&self) -> u64 {
        self.steps
    }

    /// The variational parameters (for gradient checks).
    pub fn params_mut(&mut self) -> &mut [T] {
        &mut self.params
    }

    /// The gradient of the last [`Variational::loss_and_gradient`].
    pub fn grads(&self) -> &[T] {
        &self.grads
    }

    /// Weights w = μ + softplus(ρ) ε for the noise `eps` (one per weight).
    fn draw_weights(&mut self, eps: &[f64]) {
        let n = self.n_weights;
        let (mu, rho) = self.params[..2 * n].split_at(n);
        for ((w, (m, r)), e) in self.weights.iter_mut().zip(mu.iter().zip(rho)).zip(eps) {
            *w = T::of(real(*m) + softplus(real(*r)) * e);
        }
    }

    /// The negative ELBO per data point for a batch (`rows` pairs of `x`
    /// and `y`) with the weight noise `eps`: mean Gaussian NLL (without
    /// its constant) plus KL / data size. Its gradient replaces
    /// [`Variational::grads`].
    pub fn loss_and_gradient(&mut self, x: &[T], y: &[T], rows: usize, eps: &[f64]) -> f64 {
        let (n, nx) = (self.n_weights, self.ndim_x);
        self.draw_weights(eps);
        self.net.forward(&self.weights, y, rows, &mut self.cache);
        self.grad_out.resize(rows * nx, T::zero());
        self.grads.iter_mut().for_each(|g| *g = T::zero());
        let mut loss = 0.0;
        let s: Vec<f64> = self.params[2 * n..].iter().map(|&v| real(v)).collect();
        let mut g_s = vec![0.0; nx];
        for ((o, g), x) in self
            .cache
            .output()
            .chunks_exact(nx)
            .zip(self.grad_out.chunks_exact_mut(nx))
            .zip(x.chunks_exact(nx))
        {
            for d in 0..nx {
                let inv = (-s[d]).exp();
                let r = real(x[d]) - real(o[d]);
                loss += 0.5 * (s[d] + r * r * inv) / rows as f64;
                g[d] = T::of(-r * inv / rows as f64);
                g_s[d] += 0.5 * (1.0 - r * r * inv) / rows as f64;
            }
        }
        self.g_weights.iter_mut().for_each(|g| *g = T::zero());
        self.grad_in.resize(rows * self.ndim_y, T::zero());
        self.net.backward(
            &self.weights,
            &mut self.g_weights,
            &self.grad_out,
            &self.cache,
            &mut self.scratch,
            &mut self.grad_in,
        );
        // KL(N(mu, sigma^2) || N(0, p^2)) per weight, over the data size.
        let (p2, scale) = (
            self.settings.prior_std.powi(2),
            1.0 / self.settings.data_size,
        );
        for (i, e) in eps.iter().enumerate().take(n) {
            let (m, r) = (real(self.params[i]), real(self.params[n + i]));
            let sigma = softplus(r);
            loss += scale
                * ((self.settings.prior_std / sigma).ln() + (sigma * sigma + m * m) / (2.0 * p2)
                    - 0.5);
            let gw = real(self.g_weights[i]);
            self.grads[i] = T::of(gw + scale * m / p2);
            let d_sigma = gw * e + scale * (sigma / p2 - 1.0 / sigma);
            self.grads[n + i] = T::of(d_sigma * sigmoid(r));
        }
        for (g, v) in self.grads[2 * n..].iter_mut().zip(g_s) {
            *g = T::of(v);
        }
        loss
    }

    /// One Adam step on a fresh batch of joint draws from `problem`, with
    /// one draw of the weights for the batch; the batch's loss.
    pub fn step(&mut self, problem: &dyn Problem) -> f64 {
        let rows = self.settings.batch;
        let (mut x, mut y) = (Vec::new(), Vec::new());
        draw_joint(problem, &mut self.rng, rows, &mut x, &mut y);
        let eps: Vec<f64> = (0..self.n_weights).map(|_| self.rng.normal()).collect();
        let loss = self.loss_and_gradient(&x, &y, rows, &eps);
        let progress = (self.steps as f64 / self.settings.steps.max(1) as f64).min(1.0);
        let lr = self.settings.lr * 0.1f64.powf(progress);
        self.adam.step(&ADAM, lr, &mut self.params, &mut self.grads);
        self.steps += 1;
        loss
    }

    /// `n` samples for `y_star`, each from its own draw of the weights and
    /// of the output noise.
    pub fn sample(&mut self, y_star: &[f64], n: usize, seed: u64) -> Vec<f64> {
        let nx = self.ndim_x;
        let mut rng = Rng::new(seed);
        let y: Vec<T> = y_star.iter().map(|&v| T::of(v)).collect();
        let sd: Vec<f64> = self.params[2 * self.n_weights..]
            .iter()
            .map(|&s| (0.5 * real(s)).exp())
            .collect();
        let mut out = Vec::with_capacity(n * nx);
        let mut eps = vec![0.0; self.n_weights];
        for _ in 0..n {
            eps.iter_mut().for_each(|e| *e = rng.normal());
            self.draw_weights(&eps);
            self.net.forward(&self.weights, &y, 1, &mut self.cache);
            let o = self.cache.output();
            out.extend((0..nx).map(|d| real(o[d]) + sd[d] * rng.normal()));
        }
        out
    }
}

impl<T: Real> Method for Variational<T> {
    fn name(&self) -> &'static str {
        "variational"
    }

    fn answer(&mut self, problem: &dyn Problem, q: &Query) -> Result<Answer, Error> {
        check_dimensions(problem, self.ndim_x, self.ndim_y)?;
        let samples = self.sample(q.y_star, q.n, q.seed);
        Ok(trained_answer(samples, q.n as u64, self.steps))
    }
}
