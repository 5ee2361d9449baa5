use super::test_support::nearest_mode;
use super::*;
use crate::baseline::Acceptance;
use crate::problem::{GaussianMixture, LabelMap};
use crate::{Preset, Trainer};
use std::cell::Cell;

/// A clock that advances by `tick` seconds on every reading.
fn ticking(tick: f64) -> impl Fn() -> f64 {
    let now = Cell::new(0.0);
    move || {
        now.set(now.get() + tick);
        now.get()
    }
}

fn query(y_star: &[f64], n: usize, budget: u64) -> Query<'_> {
    Query {
        y_star,
        n,
        seed: 5,
        budget,
    }
}

#[test]
fn the_exact_method_draws_the_labels_modes_for_free() {
    let g = GaussianMixture::toy(LabelMap::Some);
    let green = g.one_hot(2).unwrap();
    let a = ask(&mut Exact, &g, &query(&green, 300, 0), &ticking(0.25)).unwrap();
    assert_eq!(a.samples.len(), 600);
    let c = crate::problem::TOY_CENTRES[6];
    assert!(a
        .samples
        .chunks(2)
        .all(|x| (x[0] - c[0]).hypot(x[1] - c[1]) < 1.2));
    assert_eq!(
        a.cost.simulations + a.cost.density_evaluations + a.cost.network_evaluations,
        0
    );
    assert_eq!(a.cost.seconds_per_query, 0.25);
}

#[test]
fn abc_pays_in_simulations_about_the_inverse_of_the_labels_share() {
    let g = GaussianMixture::toy(LabelMap::Some);
    let mut abc = Abc {
        acceptance: Acceptance::Tolerance(0.5),
        obs_noise: 0.1,
    };
    // Green is one mode of eight: about 8 simulations per kept sample.
    let green = g.one_hot(2).unwrap();
    let a = ask(&mut abc, &g, &query(&green, 1000, 1_000_000), &ticking(0.0)).unwrap();
    assert_eq!(a.samples.len(), 2000);
    let per_sample = a.cost.simulations as f64 / 1000.0;
    assert!((7.0..9.0).contains(&per_sample), "{per_sample}");
    assert!(!a.cost.paid_once);
    // A budget too small for the question returns what it could keep.
    let short = ask(&mut abc, &g, &query(&green, 1000, 800), &ticking(0.0)).unwrap();
    assert_eq!(short.cost.simulations, 800);
    assert!(short.samples.len() < 2000 && !short.samples.is_empty());
}

#[test]
fn a_trained_network_answers_any_label_at_one_pass_per_sample() {
    let mut t: Trainer = Trainer::new(&Preset::Fast.config(LabelMap::Some, 2)).unwrap();
    for _ in 0..5 {
        t.step().unwrap();
    }
    let g = GaussianMixture::toy(LabelMap::Some);
    let mut inn = Inn {
        network: &mut t,
        training_seconds: 1.5,
    };
    let blue = g.one_hot(1).unwrap();
    let a = ask(&mut inn, &g, &query(&blue, 64, 0), &ticking(0.0)).unwrap();
    assert_eq!(a.samples.len(), 128);
    assert!(a.samples.iter().all(|v| v.is_finite()));
    assert_eq!(
        (
            a.cost.network_evaluations,
            a.cost.training_steps,
            a.cost.paid_once
        ),
        (64, 5, true)
    );
    assert_eq!(a.cost.training_seconds, 1.5);
    // The network knows only the problem it was trained on.
    let other = GaussianMixture::toy(LabelMap::All);
    let e = ask(
        &mut inn,
        &other,
        &query(&other.one_hot(1).unwrap(), 4, 0),
        &ticking(0.0),
    );
    assert!(e.unwrap_err().to_string().contains("another problem"));
}

#[test]
fn bad_queries_are_refused_before_any_work() {
    let g = GaussianMixture::toy(LabelMap::Some);
    let e = ask(&mut Exact, &g, &query(&[1.0, 0.0], 10, 0), &ticking(0.0));
    assert_eq!(e.unwrap_err().to_string(), "y* must have 4 entries, got 2");
    let red = g.one_hot(0).unwrap();
    let e = ask(&mut Exact, &g, &query(&red, 0, 0), &ticking(0.0));
    assert!(e.unwrap_err().to_string().contains("n must be at least 1"));
}

#[test]
fn chains_on_a_one_mode_posterior_find_its_centre_and_width_at_the_target_rate() {
    let g = GaussianMixture::toy(LabelMap::All);
    let y = g.one_hot(3).unwrap();
    let mcmc = Mcmc::default();
    let run = mcmc.run(&g, &query(&y, 4000, 1_000_000)).unwrap();
    assert_eq!(run.samples.len(), 8000);
    assert_eq!(run.evaluations, 8 * 501 + 4000);
    assert!(
        (0.2..0.4).contains(&run.acceptance_rate),
        "{}",
        run.acceptance_rate
    );
    let c = crate::problem::TOY_CENTRES[3];
    for (d, centre) in c.iter().enumerate() {
        let v: Vec<f64> = run.samples.iter().skip(d).step_by(2).copied().collect();
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / v.len() as f64).sqrt();
        assert!((mean - centre).abs() < 0.03, "coordinate {d}: mean {mean}");
        assert!((sd / 0.2 - 1.0).abs() < 0.1, "coordinate {d}: sd {sd}");
        assert!(run.r_hat[d] < 1.05, "{:?}", run.r_hat);
        assert!(run.ess[d] > 300.0, "{:?}", run.ess);
    }
}

#[test]
fn a_chain_keeps_to_the_mode_it_starts_near_and_r_hat_sees_chains_disagree() {
    let g = GaussianMixture::toy(LabelMap::Some);
    let red = g.one_hot(0).unwrap();
    let one = Mcmc {
        chains: 1,
        ..Mcmc::default()
    };
    let run = one.run(&g, &query(&red, 2000, 1_000_000)).unwrap();
    // Red's four modes hold a quarter each; one chain, from wherever it
    // started, puts half its draws or more in one of them (seeds 1-29: 50%
    // to 100%), and the rest at most in a neighbour or two: a jump across
    // the 2-unit gap between modes is rare, but not impossible.
    let counts: Vec<usize> = (0..8)
        .map(|m| {
            run.samples
                .chunks(2)
                .filter(|x| nearest_mode(x) == m)
                .count()
        })
        .collect();
    assert!(*counts.iter().max().unwrap() >= 1000, "{counts:?}");
    assert!(counts.iter().filter(|&&c| c > 0).count() < 4, "{counts:?}");
    assert!(counts[4..].iter().all(|&c| c == 0), "{counts:?}");
    let many = Mcmc {
        chains: 16,
        ..Mcmc::default()
    };
    let run = many.run(&g, &query(&red, 2000, 1_000_000)).unwrap();
    let mut visited: Vec<usize> = run.samples.chunks(2).map(nearest_mode).collect();
    visited.sort_unstable();
    visited.dedup();
    assert!(
        visited.len() >= 3 && visited.iter().all(|&m| m < 4),
        "{visited:?}"
    );
    assert!(run.r_hat.iter().all(|&r| r > 1.5), "{:?}", run.r_hat);
}

#[test]
fn mcmc_keeps_to_its_budget_and_refuses_one_below_its_burn_in() {
    let g = GaussianMixture::toy(LabelMap::Some);
    let red = g.one_hot(0).unwrap();
    let mut mcmc = Mcmc::default();
    let a = ask(
        &mut mcmc,
        &g,
        &query(&red, 1000, 8 * 501 + 400),
        &ticking(0.0),
    )
    .unwrap();
    assert_eq!(a.samples.len(), 800);
    assert_eq!(a.cost.density_evaluations, 8 * 501 + 400);
    let e = ask(&mut mcmc, &g, &query(&red, 1000, 4000), &ticking(0.0)).unwrap_err();
    assert!(
        e.to_string().contains("does not cover 8 chains' burn-in"),
        "{e}"
    );
    let again = ask(
        &mut mcmc,
        &g,
        &query(&red, 1000, 8 * 501 + 400),
        &ticking(0.0),
    )
    .unwrap();
    assert_eq!(a, again);
}
