//! What the paper says of the method, on real runs with fixed seeds (label
//! map `some`, whole schedules): the ablations of its figure 2 (L_y + L_z
//! alone conditions on y but leaves mass between the modes; L_x alone
//! matches p(x) but loses the conditioning), and z ~ N(0, I) for every
//! label, which is what makes f^-1(y*, z) sample p(x | y*).

use inn_playground::evaluate::{evaluate_latent_of_label, evaluate_padding_share, Sampler};
use inn_playground::fidelity::{score_seed, verdict, Verdict, SAMPLES_PER_LABEL};
use inn_playground::loss::mmd;
use inn_playground::problem::{GaussianMixture, Problem};
use inn_playground::rng::Rng;
use inn_playground::train::SampleNoise;
use inn_playground::{LabelMap, Preset, Trainer};

/// A seed none of the presets was tuned on.
const SEED: u64 = 21;

fn trained(preset: Preset) -> Trainer {
    let c = Preset::config(preset, LabelMap::Some, SEED);
    let mut t: Trainer = Trainer::new(&c).unwrap();
    for _ in 0..c.steps {
        t.step().unwrap();
    }
    t
}

/// Shares of all samples in a correct mode, in a wrong one and in neither
/// (between the modes), each label weighted by its probability: the shares
/// of samples drawn for the labels of data.
fn shares(t: &Trainer, v: &Verdict) -> [f64; 3] {
    let mut s = [0.0; 3];
    for l in &v.labels {
        let p = t.problem().label_probability(l.score.label);
        let (correct, wrong) = (l.score.in_correct, l.score.in_wrong);
        s[0] += p * correct;
        s[1] += p * wrong;
        s[2] += p * (1.0 - correct - wrong);
    }
    s
}

fn judged(preset: Preset) -> (Trainer, Verdict, [f64; 3]) {
    let mut t = trained(preset);
    let v = verdict(&mut t, SEED);
    let s = shares(&t, &v);
    println!(
        "{}: {:.3} in a correct mode, {:.3} in a wrong one, {:.3} between modes",
        preset.name(),
        s[0],
        s[1],
        s[2]
    );
    (t, v, s)
}

#[test]
fn forward_losses_alone_condition_on_y_but_leave_mass_between_the_modes() {
    let (_, _, full) = judged(Preset::Fast);
    let (_, _, forward) = judged(Preset::ForwardOnly);
    assert!(
        forward[2] >= 2.0 * full[2] && forward[2] >= full[2] + 0.03,
        "between modes: forward-only {:.3}, all losses {:.3}",
        forward[2],
        full[2]
    );
    // Ignoring y would put 0.66 of them there (see the backward loss).
    assert!(forward[1] <= 0.05, "in a wrong mode: {:.3}", forward[1]);
}

/// `SAMPLES_PER_LABEL` samples of p(x) pooled from every label's posterior
/// samples (each label's share its probability), and the MMD^2 of the pool
/// against as many prior draws, with its noise floor (two prior sets).
fn pooled_mmd(t: &mut Trainer) -> (f64, f64) {
    let problem = GaussianMixture::toy(t.config().labels);
    let mut rng = Rng::new(score_seed(SEED));
    let mut pool = Vec::new();
    for label in 0..problem.n_labels() {
        let n = (SAMPLES_PER_LABEL as f64 * problem.label_probability(label)).round() as usize;
        let y_star = problem.one_hot(label).unwrap();
        let s = Sampler::sample(t, &y_star, n, rng.next_seed(), SampleNoise::default()).unwrap();
        pool.extend(s);
    }
    let mut prior = || -> Vec<f64> {
        (0..pool.len() / 2)
            .flat_map(|_| problem.sample(&mut rng).0)
            .collect()
    };
    let (a, b) = (prior(), prior());
    (mmd::<f64>(&pool, &a, 2), mmd::<f64>(&b, &a, 2))
}

#[test]
fn the_backward_loss_alone_matches_p_x_but_not_the_conditioning() {
    let (mut t, _, backward) = judged(Preset::BackwardOnly);
    let (mmd2, floor) = pooled_mmd(&mut t);
    println!("backward-only, pooled over labels against p(x): MMD^2 {mmd2:.4} (floor {floor:.4})");
    assert!(mmd2 <= floor + 0.002, "MMD^2 {mmd2:.4}, floor {floor:.4}");
    // Ignoring y, a sample for label c lands in another label's mode with
    // probability 1 - p(c): 0.66 over the labels of `some`.
    assert!(backward[1] >= 0.4, "in a wrong mode: {:.3}", backward[1]);
}

#[test]
fn z_is_standard_normal_for_every_label_separately() {
    let mut t = trained(Preset::Fast);
    for label in 0..t.problem().n_labels() {
        let h = evaluate_latent_of_label(&mut t, label, 4000, score_seed(SEED) + label as u64)
            .expect("a latent space");
        let d = h.mean.len();
        let worst_mean = h.mean.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let worst_cov = (0..d * d)
            .map(|k| (h.covariance[k] - f64::from(u8::from(k / d == k % d))).abs())
            .fold(0.0f64, f64::max);
        println!(
            "label {label}: mean {:?}, worst |mean| {worst_mean:.3}, worst |cov - I| {worst_cov:.3}",
            h.mean.iter().map(|m| (m * 1000.0).round() / 1000.0).collect::<Vec<_>>()
        );
        // A z that told the labels apart (a label's mean a third of a std
        // off, or its variance a third off) fails.
        assert!(
            worst_mean <= 0.3 && worst_cov <= 0.3,
            "label {label}: {h:?}"
        );
    }
}

/// With 4 latent dimensions and a 2-D x, x can fill at most 2 of z's unit
/// variances: the padding's noise must fill at least the other 2 (it may
/// fill more: a network that samples with the training's padding noise
/// can draw part of a mode's spread from it). Some dimension must still
/// carry x, or z would say nothing of where x is.
#[test]
fn the_padding_fills_the_latent_dimensions_that_x_cannot() {
    let mut t = trained(Preset::Fast);
    let (nz, nx) = (t.config().ndim_z, t.problem().ndim_x());
    let shares = evaluate_padding_share(&mut t, 1000, 8, score_seed(SEED)).expect("a latent space");
    let total: f64 = shares.iter().sum();
    println!("padding's share of each latent dimension: {shares:?}, total {total:.2}");
    let need = (nz - nx) as f64;
    assert!(
        total >= need - 0.2,
        "the padding fills {total:.2} of z's {nz} variances; at least {need} expected"
    );
    let least = shares.iter().copied().fold(1.0, f64::min);
    assert!(least <= 0.5, "no dimension carries x: {shares:?}");
}
