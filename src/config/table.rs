//! The one table of settings. Each row declares a setting's field, its key
//! in links, its kind and range, its group, its value in each preset (in
//! the order of [`Preset::ALL`]: fast, paper, forward-only, backward-only,
//! arm),
//! its label and its one-line help. The macro makes of it the fields of
//! [`TrainConfig`] and [`PageState`], the table [`SETTINGS`] that checks,
//! links, the page's panel, `inn train --set` and the tune example read,
//! and the presets' values.
//!
//! These values are those of the newest link version. Retuning a preset
//! makes a new version, and the values it replaces go to
//! [`RETIRED`](super::versions::RETIRED), so that old links keep their
//! meaning. A new setting's value in every preset must give the runs of
//! before it (or its older value goes there too), and its row starts with
//! `@missing(value)`: the value model files written before it, which lack
//! it, are read with (zero, or off, meaning the behaviour from before it).

use super::macros::{column, settings};
use super::setting::{Group, Kind, Place, Setting};
use super::values::SettingValue;
use super::{LossWeights, Preset, MAX_SEED, MAX_Y_WIDTH};
use crate::problem::LabelMap::{self, Some as SomeLabels};
use crate::problem::ProblemKind::{self, Arm, Mixture};
use crate::problem::{Mode, ARM_DEFAULT_NOISE};
use serde::Serialize;

const LABEL_MAPS: Kind = Kind::Choice(&["all", "some", "none"]);
const PROBLEMS: Kind = Kind::Choice(&["mixture", "arm"]);
const WEIGHT: Kind = Kind::real(0.0, 1e4);
/// Where the arm's target may be asked: the box the page draws the arm in.
const ARM_TARGETS: Kind = Kind::Point {
    lo: [-2.5, -2.75],
    hi: [2.5, 2.75],
};
const STEPS: u64 = 1_000_000;

// `fast` was chosen by measurement (docs/tuning.md); `paper` is the
// official notebook's configuration. `arm` (docs/arm-tuning.md) is the
// paper's INN trained by maximum likelihood alone: the MMD losses cost
// most of a step and did worse in the time the page allows. Its sigma
// sits above the arm's noise because smaller ones made the inverse throw
// wild samples at this length; the padding gets the same noise; clamp 1
// keeps the tails in; no weight decay, since it drives the weights of
// dead units through subnormal floats, which slow the steps many times.
settings! {
    config {
        @missing(Mixture)
        problem: ProblemKind = "problem", PROBLEMS, Problem, [Mixture, Mixture, Mixture, Mixture, Arm],
            "Problem", "The inverse problem: the labelled Gaussian mixture (eight modes, or drawn by hand), or the robot arm on a rail.";
        labels: LabelMap = "labels", LABEL_MAPS, Problem, [SomeLabels, SomeLabels, SomeLabels, SomeLabels, SomeLabels],
            "Label map", "How the eight modes share colours (the label y).", head;
        @missing(ARM_DEFAULT_NOISE)
        arm_noise: f64 = "arm_noise", Kind::real(0.0, 0.2), Problem,
            [ARM_DEFAULT_NOISE, ARM_DEFAULT_NOISE, ARM_DEFAULT_NOISE, ARM_DEFAULT_NOISE, ARM_DEFAULT_NOISE],
            "Arm: observation noise", "Std of the noise on each coordinate of the arm's observed tip (the arm only).";
        seed: u64 = "seed", Kind::int(0, MAX_SEED), Problem, [1, 1, 1, 1, 1],
            "Seed", "Seeds the weights, the permutations and every batch.", head;
        blocks: usize = "blocks", Kind::int(1, 16), Network, [8, 8, 8, 8, 12],
            "Coupling blocks", "Number of coupling blocks.";
        hidden: usize = "hidden", Kind::int(4, 512), Network, [32, 512, 32, 32, 32],
            "Hidden width", "Width of each subnetwork's hidden layers.";
        depth: usize = "depth", Kind::int(1, 3), Network, [2, 1, 2, 2, 2],
            "Hidden layers", "Number of hidden layers per subnetwork.";
        ndim_tot: usize = "ndim", Kind::int(0, 64), Network, [16, 16, 16, 16, 6],
            "Network width (0: auto)", "Total width of the network; 0 picks the smallest that holds [z, y].";
        ndim_z: usize = "ndim_z", Kind::int(1, 8), Network, [4, 2, 4, 4, 2],
            "Latent dimensions", "Dimension of the latent z.";
        @missing(0)
        y_width: usize = "y_width", Kind::int(0, MAX_Y_WIDTH as u64), Network, [0, 8, 0, 0, 0],
            "Width of y (0: labels)", "Width of the one-hot y; 0: one per label (the notebook keeps 8 whatever the map).";
        clamp: f64 = "clamp", Kind::above(0.0, 10.0), Network, [1.9, 2.0, 1.9, 1.9, 1.0],
            "Scale clamp", "Soft clamp of the coupling blocks' log-scales.";
        init_scale: f64 = "init_scale", Kind::above(0.0, 1.0), Network, [0.05, 0.05, 0.05, 0.05, 0.05],
            "Initial weight scale", "Initial weights are this times N(0, 1).";
        batch: usize = "batch", Kind::int(8, 2048), Training, [256, 1600, 256, 256, 256],
            "Batch size", "Samples per step.";
        steps: usize = "steps", Kind::int(1, STEPS), Training, [2000, 400, 2000, 2000, 8000],
            "Schedule length (steps)", "Planned number of steps: the length of the learning-rate schedule.";
        ramp_steps: usize = "ramp", Kind::int(0, STEPS), Training, [1100, 400, 1100, 1100, 1100],
            "L_x ramp (steps)", "Length of the L_x ramp min(1, 2 * 0.002^(1 - t/T)); 0: no ramp.";
        // L_x alone, with nothing anchoring the forward direction, diverges
        // at `fast`'s learning rate; at a quarter of it, it trains.
        lr: f64 = "lr", Kind::above(0.0, 10.0), Training, [0.02, 1e-3, 0.02, 0.005, 0.008],
            "Learning rate", "Initial learning rate.";
        lr_final: f64 = "lr_final", Kind::above(0.0, 1.0), Training, [0.03, 1.0, 0.03, 0.03, 0.01],
            "Final lr factor", "Learning rate at the end of the schedule, as a fraction of the first (exponential decay).";
        beta1: f64 = "beta1", Kind::real(0.0, 0.9999), Training, [0.8, 0.8, 0.8, 0.8, 0.8],
            "Adam beta1", "Decay of Adam's first moment.";
        beta2: f64 = "beta2", Kind::real(0.0, 0.99999), Training, [0.9, 0.9, 0.9, 0.9, 0.9],
            "Adam beta2", "Decay of Adam's second moment.";
        eps: f64 = "eps", Kind::above(0.0, 1.0), Training, [1e-6, 1e-6, 1e-6, 1e-6, 1e-6],
            "Adam epsilon", "Added to Adam's denominator.";
        weight_decay: f64 = "weight_decay", Kind::real(0.0, 1.0), Training, [2e-5, 2e-5, 2e-5, 2e-5, 0.0],
            "Weight decay", "L2 weight decay.";
        grad_clamp: f64 = "grad_clamp", Kind::above(0.0, 1e6), Training, [15.0, 15.0, 15.0, 15.0, 15.0],
            "Gradient clamp", "Element-wise clamp of the gradient.";
        y_noise: f64 = "y_noise", Kind::real(0.0, 1.0), Sampling, [0.09, 0.1, 0.09, 0.09, 0.0],
            "Noise on y", "Noise on the one-hot y in training and in sampling.";
        pad_noise: f64 = "pad_noise", Kind::real(0.0, 1.0), Sampling, [0.05, 0.05, 0.05, 0.05, 0.025],
            "Noise on padding", "Noise on the padding dimensions in training and in sampling.";
        @missing(0.0)
        average_decay: f64 = "average", Kind::real(0.0, 0.9999), Sampling, [0.99, 0.0, 0.99, 0.99, 0.99],
            "Weight averaging (0: off)", "Decay of the running average of the weights the network samples with and is saved with; 0: the raw weights.";
        ml_sigma: f64 = "ml_sigma", Kind::above(0.0, 10.0), Losses, [0.1, 0.1, 0.1, 0.1, 0.025],
            "Max. likelihood sigma", "Standard deviation of y and the padding in the maximum-likelihood term.";
        @missing(Vec::new())
        #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "crate::config::mix::serialize")]
        mix: Vec<Mode> = "mix", Kind::Modes, Problem, [Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new()],
            "Drawn modes", "A mixture of your own, replacing the label map's: modes x,y,std,label[,weight] separated by ';'; labels are the colours present, renumbered in order if some are skipped.";
    }
    losses {
        y.on = "on_y", Kind::Bool, Losses, [true, true, true, false, false],
            "Use L_y", "L_y: MSE of the y part and padding of f(x).";
        y.weight = "w_y", WEIGHT, Losses, [10.0, 3.0, 10.0, 10.0, 10.0],
            "Weight L_y", "Weight of L_y.";
        z.on = "on_z", Kind::Bool, Losses, [true, true, true, false, false],
            "Use L_z", "L_z: MMD of [f_z(x), f_y(x)] against [N(0, I), y].";
        z.weight = "w_z", WEIGHT, Losses, [300.0, 300.0, 300.0, 300.0, 300.0],
            "Weight L_z", "Weight of L_z.";
        x.on = "on_x", Kind::Bool, Losses, [true, true, false, true, false],
            "Use L_x", "L_x: MMD of samples of the inverse against the training x.";
        x.weight = "w_x", WEIGHT, Losses, [1200.0, 400.0, 1200.0, 1200.0, 1200.0],
            "Weight L_x", "Weight of L_x (times the ramp).";
        rec.on = "on_rec", Kind::Bool, Losses, [true, true, false, false, false],
            "Use reconstruction", "Reconstruction: MSE of the inverse of a perturbed f(x) against x.";
        rec.weight = "w_rec", WEIGHT, Losses, [30.0, 3.0, 30.0, 30.0, 30.0],
            "Weight reconstruction", "Weight of the reconstruction term.";
        ml.on = "on_ml", Kind::Bool, Losses, [false, false, false, false, true],
            "Use max. likelihood", "Maximum likelihood: 0.5|z|^2 - log|det J| + |y - f_y|^2 / (2 sigma^2).";
        ml.weight = "w_ml", WEIGHT, Losses, [1.0, 1.0, 1.0, 1.0, 1.0],
            "Weight max. likelihood", "Weight of the maximum-likelihood term.";
    }
    page {
        target: [f64; 2] = "target", ARM_TARGETS, Problem,
            [[1.0, 0.6], [1.0, 0.6], [1.0, 0.6], [1.0, 0.6], [1.0, 0.6]],
            "Arm: target", "The tip position y1,y2 the arm's posterior is asked for (the arm only).";
        abc_eps: f64 = "abc_eps", Kind::above(0.0, 5.0), Baselines, [0.5, 0.5, 0.5, 0.5, 0.5],
            "ABC tolerance", "ABC accepts a simulation when |y - y*| is at most this.";
        abc_budget: u64 = "abc_budget", Kind::int(1000, 5_000_000), Baselines,
            [200_000, 200_000, 200_000, 200_000, 200_000],
            "ABC simulation budget", "Most simulations ABC runs per query.";
        mcmc_chains: usize = "mcmc_chains", Kind::int(1, 64), Baselines, [8, 8, 8, 8, 8],
            "MCMC chains", "Metropolis-Hastings chains, each from its own prior draw.";
        mcmc_budget: u64 = "mcmc_budget", Kind::int(1000, 5_000_000), Baselines,
            [1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000],
            "MCMC evaluation budget", "Most density evaluations MCMC spends per query.";
        mv_steps: u64 = "mv_steps", Kind::int(1, 100_000), Baselines, [1500, 1500, 1500, 1500, 1500],
            "Mean-variance steps", "Training steps of the mean-variance network.";
        vi_steps: u64 = "vi_steps", Kind::int(1, 100_000), Baselines, [2000, 2000, 2000, 2000, 2000],
            "Variational steps", "Training steps of the variational-weights network.";
        gan_steps: u64 = "gan_steps", Kind::int(1, 100_000), Baselines, [3000, 3000, 3000, 3000, 3000],
            "cGAN steps", "Training steps of the conditional GAN.";
    }
}
