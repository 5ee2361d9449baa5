//! The exact sampler's pieces: each chart's solutions and weight.

use super::*;
use crate::problem::ARM_PRIOR_STD;
use std::f64::consts::TAU;

fn prior_angles(rng: &mut Rng) -> [f64; 4] {
    let mut x = [0.0; 4];
    for (v, s) in x.iter_mut().zip(ARM_PRIOR_STD).skip(1) {
        *v = s * rng.normal();
    }
    x
}

/// log w(x) of the module's doc, straight from ∂y1/∂(x2, x3, x4) at x:
/// log p(x1) - log Σ_j α_j |g_j| / p(a_j), with normalised Gaussians.
fn weight_from_gradients(x: &[f64; 4], shares: &[f64; 3]) -> f64 {
    let log_normal = |v: f64, s: f64| -0.5 * (v / s).powi(2) - (s * TAU.sqrt()).ln();
    let [g, _] = angle_gradients(x);
    let sum: f64 = (0..3)
        .map(|j| shares[j] * g[j].abs() / log_normal(x[j + 1], ARM_PRIOR_STD[j + 1]).exp())
        .sum();
    log_normal(x[0], ARM_PRIOR_STD[0]) - sum.ln()
}

#[test]
fn every_solution_of_every_chart_keeps_the_drawn_angles_and_reaches_the_target() {
    let mut rng = Rng::new(3);
    let y = [1.0, 0.6];
    let mut solutions = [0; 3];
    for (j, count) in solutions.iter_mut().enumerate() {
        for _ in 0..2000 {
            let drawn = prior_angles(&mut rng);
            let c = Candidate::new(&drawn, j, [0.0; 2], &shares(CHARTS));
            c.solve(y, &mut |_, _, x, lw| {
                let tip = RobotArm::tip(x);
                assert!(
                    (tip[0] - y[0]).hypot(tip[1] - y[1]) < 1e-12,
                    "{x:?} -> {tip:?}"
                );
                for i in (1..4).filter(|&i| i != j + 1) {
                    assert_eq!(x[i], drawn[i]);
                }
                assert!(lw.is_finite() && lw < 10.0, "{lw}");
                let expected = weight_from_gradients(x, &shares(CHARTS));
                assert!((lw - expected).abs() < 1e-9, "{x:?}: {lw} vs {expected}");
                *count += 1;
            });
        }
    }
    // Two branches and three turns for every draw that reaches at all.
    assert!(
        solutions.iter().all(|&c| c > 1000 && c % 6 == 0),
        "{solutions:?}"
    );
}

fn moments(s: &[f64]) -> [(f64, f64); 4] {
    let n = (s.len() / 4) as f64;
    std::array::from_fn(|i| {
        let mean = s.chunks(4).map(|x| x[i]).sum::<f64>() / n;
        let var = s.chunks(4).map(|x| (x[i] - mean).powi(2)).sum::<f64>() / n;
        (mean, var.sqrt())
    })
}

/// Each chart's weight p(x1) p(a_j) / |∂y1/∂a_j| is derived on its own;
/// a wrong Jacobian in any one would pull its posterior away from the
/// others'.
#[test]
fn each_chart_alone_gives_the_posterior_that_the_three_give_together() {
    let arm = RobotArm::new(0.0).unwrap();
    let (n, y) = (1000, [1.0, 0.6]);
    let all = arm.posterior_by_charts(&mut Rng::new(1), &y, 4 * n, CHARTS);
    let reference = moments(&all.unwrap().samples);
    for j in 0..3 {
        let one = arm.posterior_by_charts(&mut Rng::new(2), &y, n, &[j]);
        let one = moments(&one.unwrap().samples);
        for (i, ((m1, s1), (m0, s0))) in one.iter().zip(reference).enumerate() {
            let se = s0 * (1.25 / n as f64).sqrt();
            let what = format!("chart {j} x{i}: mean {m1} vs {m0}, std {s1} vs {s0}");
            assert!((m1 - m0).abs() < 4.0 * se, "{what}");
            assert!((s1 / s0 - 1.0).abs() < 0.1, "{what}");
        }
    }
}

/// The kept pool, for a target and with noise, gives the exact sampler's
/// posterior: the same moments within the noise of both.
#[test]
fn the_fan_of_a_kept_pool_gives_the_exact_posterior_for_each_target() {
    for noise in [0.0, 0.02] {
        let arm = RobotArm::new(noise).unwrap();
        let mut fan = ExactFan::new(&arm, 200_000, 9).unwrap();
        let mut rng = Rng::new(4);
        for y in [[1.0, 0.6], [1.5, 0.0], [0.4, -0.9]] {
            let n = 2000;
            let drawn = fan.draw(&mut rng, &y, n).unwrap();
            assert_eq!((drawn.samples.len(), drawn.pool), (4 * n, 200_000));
            assert!(drawn.ess > 5.0 * n as f64, "{y:?}: ESS {}", drawn.ess);
            let reference = arm.exact_posterior(&mut rng, &y, 4 * n).unwrap();
            let (one, reference) = (moments(&drawn.samples), moments(&reference.samples));
            for (i, ((m1, s1), (m0, s0))) in one.iter().zip(reference).enumerate() {
                let se = s0 * (1.25 / n as f64).sqrt();
                let what = format!("noise {noise} {y:?} x{i}: mean {m1} vs {m0}, std {s1} vs {s0}");
                assert!((m1 - m0).abs() < 4.0 * se, "{what}");
                assert!((s1 / s0 - 1.0).abs() < 0.1, "{what}");
            }
            if noise == 0.0 {
                for x in drawn.samples.chunks(4) {
                    let tip = RobotArm::tip(x);
                    assert!((tip[0] - y[0]).hypot(tip[1] - y[1]) < 1e-12);
                }
            }
        }
    }
    let arm = RobotArm::new(0.0).unwrap();
    let mut fan = ExactFan::new(&arm, 100, 1).unwrap();
    assert!(fan.draw(&mut Rng::new(1), &[2.5, 0.0], 10).is_err());
    assert!(fan.draw(&mut Rng::new(1), &[1.0, 0.6], 0).is_err());
    assert!(ExactFan::new(&arm, 0, 1).is_err());
}
