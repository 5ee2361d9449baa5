//! A conditional GAN (Mirza & Osindero 2014): a generator G(z, y) -> x and
//! a discriminator D(x, y) -> logit, small ReLU MLPs trained in turn with
//! Adam; the discriminator on -log D(x, y) - log(1 - D(G(z, y), y)), the
//! generator on the non-saturating -log D(G(z, y), y). Its answer to y* is
//! G(z, y*) for fresh z: one pass per sample, whatever the training gave,
//! mode dropping included.

use super::shared::{check_dimensions, draw_joint, real, sigmoid, softplus, trained_answer};
use super::{Answer, Method, Query};
use crate::error::Error;
use crate::linalg::Real;
use crate::nn::{Mlp, MlpCache, MlpScratch};
use crate::optim::{Adam, AdamSettings};
use crate::problem::Problem;
use crate::rng::Rng;

/// Sizes and optimiser of a conditional GAN.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CganSettings {
    /// Dimension of the generator's noise z.
    pub ndim_z: usize,
    pub hidden: usize,
    pub depth: usize,
    pub batch: usize,
    pub lr: f64,
    pub seed: u64,
}

impl Default for CganSettings {
    fn default() -> Self {
        CganSettings {
            ndim_z: 2,
            hidden: 64,
            depth: 2,
            batch: 256,
            lr: 1e-3,
            seed: 1,
        }
    }
}

/// Adam as GANs are usually trained: a short memory of the first moment.
const ADAM: AdamSettings = AdamSettings {
    beta1: 0.5,
    beta2: 0.999,
    eps: 1e-8,
    weight_decay: 0.0,
    grad_clamp: 1e3,
};

/// The two losses of a step.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GanLosses {
    pub discriminator: f64,
    pub generator: f64,
}

/// A network with its weights, gradient, optimiser and buffers.
#[derive(Debug)]
struct Player<T> {
    net: Mlp,
    params: Vec<T>,
    grads: Vec<T>,
    adam: Adam<T>,
    cache: MlpCache<T>,
}

impl<T: Real> Player<T> {
    fn new(inputs: usize, s: &CganSettings, outputs: usize, rng: &mut Rng) -> Self {
        let mut n = 0;
        let net = Mlp::new(inputs, s.hidden, s.depth, outputs, &mut n);
        let mut params = vec![T::zero(); n];
        rng.fill_normal(&mut params, (1.0 / s.hidden as f64).sqrt());
        Player {
            net,
            grads: vec![T::zero(); n],
            adam: Adam::new(n),
            params,
            cache: MlpCache::default(),
        }
    }
}

/// The generator, the discriminator and a step's buffers.
#[derive(Debug)]
pub struct Cgan<T: Real = f32> {
    settings: CganSettings,
    generator: Player<T>,
    discriminator: Player<T>,
    rng: Rng,
    steps: u64,
    ndim_x: usize,
    ndim_y: usize,
    scratch: MlpScratch<T>,
    grad_out: Vec<T>,
    grad_in: Vec<T>,
    grad_x: Vec<T>,
}

impl<T: Real> Cgan<T> {
    /// Fresh networks for `problem`.
    pub fn new(problem: &dyn Problem, settings: CganSettings) -> Result<Self, Error> {
        let s = &settings;
        let fine = (1..=16).contains(&s.ndim_z)
            && (1..=512).contains(&s.hidden)
            && (1..=3).contains(&s.depth)
            && s.batch > 0
            && s.lr > 0.0;
        if !fine {
            return Err(Error::InvalidArgument(format!("bad GAN settings: {s:?}")));
        }
        let (ndim_x, ndim_y) = (problem.ndim_x(), problem.ndim_y());
        let mut rng = Rng::new(s.seed);
        let generator = Player::new(s.ndim_z + ndim_y, s, ndim_x, &mut rng);
        let discriminator = Player::new(ndim_x + ndim_y, s, 1, &mut rng);
        Ok(Cgan {
            settings,
            generator,
            discriminator,
            rng,
            steps: 0,
            ndim_x,
            ndim_y,
            scratch: MlpScratch::default(),
            grad_out: Vec::new(),
            grad_in: Vec::new(),
            grad_x: Vec::new(),
        })
    }

    /// Training steps done (one step: one update of each network).
    pub fn steps_done(&self) -> u64 {
        self.steps
    }

    /// The generator's and the discriminator's weights (gradient checks).
    pub fn params_mut(&mut self) -> (&mut [T], &mut [T]) {
        (&mut self.generator.params, &mut self.discriminator.params)
    }

    /// The gradients of the last loss computations.
    pub fn grads(&self) -> (&[T], &[T]) {
        (&self.generator.grads, &self.discriminator.grads)
    }

    /// G([z, y]) for `rows` rows of `zy`, into the generator's cache.
    fn generate(&mut self, zy: &[T], rows: usize) {
        let g = &mut self.generator;
        g.net.forward(&g.params, zy, rows, &mut g.cache);
    }

    /// [x, y] rows from x (`ndim_x` each) and the y part of `zy`.
    fn join(&self, x: &[T], zy: &[T]) -> Vec<T> {
        let (nx, ny, nz) = (self.ndim_x, self.ndim_y, self.settings.ndim_z);
        x.chunks_exact(nx)
            .zip(zy.chunks_exact(nz + ny))
            .flat_map(|(x, zy)| x.iter().chain(&zy[nz..]).copied())
            .collect()
    }

    /// D's logits on `xy`; adds into D's gradient the backward pass of
    /// `dloss/dlogit = grad(logit)` and leaves dloss/d(input) in `grad_in`.
    fn judge(&mut self, xy: &[T], rows: usize, grad: impl Fn(f64) -> (f64, f64)) -> f64 {
        let d = &mut self.discriminator;
        d.net.forward(&d.params, xy, rows, &mut d.cache);
        self.grad_out.resize(rows, T::zero());
        let mut loss = 0.0;
        for (g, &logit) in self.grad_out.iter_mut().zip(d.cache.output()) {
            let (l, dl) = grad(real(logit));
            loss += l / rows as f64;
            *g = T::of(dl / rows as f64);
        }
        self.grad_in
            .resize(rows * (self.ndim_x + self.ndim_y), T::zero());
        d.net.backward(
            &d.params,
            &mut d.grads,
            &self.grad_out,
            &d.cache,
            &mut self.scratch,
            &mut self.grad_in,
        );
        loss
    }

    /// The discriminator's loss on real pairs `x`, `zy` (its y part) and on
    /// the generator's answers for `zy`; its gradient replaces D's.
    pub fn discriminator_loss(&mut self, x: &[T], zy: &[T], rows: usize) -> f64 {
        self.discriminator.grads.fill(T::zero());
        let real_xy = self.join(x, zy);
        // -log sigmoid(d) = softplus(-d); -log(1 - sigmoid(d)) = softplus(d).
        let on_real = self.judge(&real_xy, rows, |d| (softplus(-d), sigmoid(d) - 1.0));
        self.generate(zy, rows);
        let fake = self.generator.cache.output().to_vec();
        let fake_xy = self.join(&fake, zy);
        on_real + self.judge(&fake_xy, rows, |d| (softplus(d), sigmoid(d)))
    }

    /// The generator's non-saturating loss on `zy`; its gradient replaces
    /// G's (D's gradient is left dirty: the caller zeroes it before use).
    pub fn generator_loss(&mut self, zy: &[T], rows: usize) -> f64 {
        self.generate(zy, rows);
        let fake = self.generator.cache.output().to_vec();
        let fake_xy = self.join(&fake, zy);
        let loss = self.judge(&fake_xy, rows, |d| (softplus(-d), sigmoid(d) - 1.0));
        let (nx, ny) = (self.ndim_x, self.ndim_y);
        self.grad_x.clear();
        for row in self.grad_in.chunks_exact(nx + ny) {
            self.grad_x.extend_from_slice(&row[..nx]);
        }
        let g = &mut self.generator;
        g.grads.fill(T::zero());
        self.grad_in
            .resize(rows * (self.settings.ndim_z + ny), T::zero());
        g.net.backward(
            &g.params,
            &mut g.grads,
            &self.grad_x,
            &g.cache,
            &mut self.scratch,
            &mut self.grad_in,
        );
        loss
    }

    /// A batch: joint draws x and rows [z ~ N(0, I), y].
    fn draw(&mut self, problem: &dyn Problem) -> (Vec<T>, Vec<T>) {
        let (nz, rows) = (self.settings.ndim_z, self.settings.batch);
        let (mut x, mut y) = (Vec::new(), Vec::new());
        draw_joint(problem, &mut self.rng, rows, &mut x, &mut y);
        let zy = y
            .chunks_exact(self.ndim_y)
            .flat_map(|y| {
                let z: Vec<T> = (0..nz).map(|_| T::of(self.rng.normal())).collect();
                z.into_iter().chain(y.iter().copied())
            })
            .collect();
        (x, zy)
    }

    /// One update of the discriminator, then one of the generator, each on
    /// a batch of its own.
    pub fn step(&mut self, problem: &dyn Problem) -> GanLosses {
        let rows = self.settings.batch;
        let (x, zy) = self.draw(problem);
        let discriminator = self.discriminator_loss(&x, &zy, rows);
        let d = &mut self.discriminator;
        d.adam
            .step(&ADAM, self.settings.lr, &mut d.params, &mut d.grads);
        let (_, zy) = self.draw(problem);
        let generator = self.generator_loss(&zy, rows);
        let g = &mut self.generator;
        g.adam
            .step(&ADAM, self.settings.lr, &mut g.params, &mut g.grads);
        self.steps += 1;
        GanLosses {
            discriminator,
            generator,
        }
    }

    /// `n` answers G(z, y*) for fresh z drawn from `seed`.
    pub fn sample(&mut self, y_star: &[f64], n: usize, seed: u64) -> Vec<f64> {
        let mut rng = Rng::new(seed);
        let nz = self.settings.ndim_z;
        let zy: Vec<T> = (0..n)
            .flat_map(|_| {
                let z: Vec<f64> = (0..nz).map(|_| rng.normal()).collect();
                z.into_iter().chain(y_star.iter().copied())
            })
            .map(T::of)
            .collect();
        self.generate(&zy, n);
        self.generator
            .cache
            .output()
            .iter()
            .map(|&v| real(v))
            .collect()
    }
}

impl<T: Real> Method for Cgan<T> {
    fn name(&self) -> &'static str {
        "cgan"
    }

    fn answer(&mut self, problem: &dyn Problem, q: &Query) -> Result<Answer, Error> {
        check_dimensions(problem, self.ndim_x, self.ndim_y)?;
        let samples = self.sample(q.y_star, q.n, q.seed);
        Ok(trained_answer(samples, q.n as u64, self.steps))
    }
}
