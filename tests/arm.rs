//! The robot arm: kinematics, the observation model, and the exact
//! posterior sampler held to rejection sampling.

use inn_playground::loss::mmd;
use inn_playground::problem::{resimulation_error, Problem, ProblemView, RobotArm, ScoreKind};
use inn_playground::problem::{ARM_LENGTHS, ARM_PRIOR_STD};
use inn_playground::rng::Rng;
use std::f64::consts::FRAC_PI_2;
use std::time::Instant;

fn close(a: [f64; 2], b: [f64; 2]) -> bool {
    (a[0] - b[0]).hypot(a[1] - b[1]) < 1e-12
}

#[test]
fn the_forward_kinematics_of_hand_computed_poses() {
    assert_eq!(
        RobotArm::joints(&[0.0; 4]),
        [[0.0, 0.0], [0.5, 0.0], [1.0, 0.0], [2.0, 0.0]]
    );
    // Straight up from height 0.3.
    assert!(close(RobotArm::tip(&[0.3, FRAC_PI_2, 0.0, 0.0]), [0.0, 2.3]));
    // Right, up, right.
    let j = RobotArm::joints(&[0.0, 0.0, FRAC_PI_2, -FRAC_PI_2]);
    assert!(close(j[2], [0.5, 0.5]) && close(j[3], [1.5, 0.5]));
    // Up, right, down from -0.2.
    assert!(close(
        RobotArm::tip(&[-0.2, FRAC_PI_2, -FRAC_PI_2, -FRAC_PI_2]),
        [0.5, -0.7]
    ));
    assert_eq!(RobotArm::reach(), 2.0);
}

#[test]
fn the_noise_is_a_checked_setting_and_the_joint_draw_carries_it() {
    assert!(RobotArm::new(-0.1).is_err());
    assert!(RobotArm::new(f64::NAN).is_err());
    let arm = RobotArm::new(0.05).unwrap();
    let mut rng = Rng::new(4);
    let (mut x, mut y) = ([0.0; 4], [0.0; 2]);
    let n = 20_000;
    let (mut sq, mut xsq) = ([0.0; 2], [0.0; 4]);
    for _ in 0..n {
        arm.simulate(&mut rng, &mut x, &mut y);
        let tip = RobotArm::tip(&x);
        for i in 0..2 {
            sq[i] += (y[i] - tip[i]).powi(2) / n as f64;
        }
        for i in 0..4 {
            xsq[i] += x[i] * x[i] / n as f64;
        }
    }
    for v in sq {
        assert!((v.sqrt() / 0.05 - 1.0).abs() < 0.03, "noise std {}", v.sqrt());
    }
    for (v, s) in xsq.iter().zip(ARM_PRIOR_STD) {
        assert!((v.sqrt() / s - 1.0).abs() < 0.03, "prior std {} vs {s}", v.sqrt());
    }
    let noiseless = RobotArm::new(0.0).unwrap();
    noiseless.simulate(&mut rng, &mut x, &mut y);
    assert!(close(y, RobotArm::tip(&x)));
}

#[test]
fn the_problem_describes_itself_for_the_page_and_the_scores() {
    let arm = RobotArm::default();
    let p: &dyn Problem = &arm;
    assert_eq!((p.name(), p.ndim_x(), p.ndim_y()), ("arm", 4, 2));
    assert_eq!(p.score_kinds(), &[ScoreKind::Mmd, ScoreKind::Resimulation]);
    let ProblemView::Arm { lengths, extent, .. } = p.view() else {
        panic!("the arm's view is an arm")
    };
    assert_eq!(lengths, ARM_LENGTHS);
    // The drawing box holds the tips of nearly all arms the prior draws.
    let mut rng = Rng::new(8);
    let mut x = [0.0; 4];
    let inside = (0..10_000)
        .filter(|_| {
            p.sample_prior(&mut rng, &mut x);
            let t = RobotArm::tip(&x);
            (0..2).all(|i| extent[i][0] <= t[i] && t[i] <= extent[i][1])
        })
        .count();
    assert!(inside >= 9_990, "{inside} of 10000 tips inside {extent:?}");
    let json = serde_json::to_string(&p.view()).unwrap();
    assert!(json.starts_with(r#"{"kind":"arm","lengths":[0.5,0.5,1.0]"#), "{json}");
}

#[test]
fn the_log_target_is_the_gaussian_likelihood_or_the_surface_density() {
    let y = [1.0, 0.6];
    let x = [0.1, 0.2, -0.3, 0.4];
    let tip = RobotArm::tip(&x);
    let arm = RobotArm::new(0.02).unwrap();
    let d2 = (tip[0] - y[0]).powi(2) + (tip[1] - y[1]).powi(2);
    let prior = -0.5 * (0.16 + 0.04 / 0.25 + 0.09 / 0.25 + 0.16 / 0.25);
    assert!((arm.log_target(&x, &y) - (prior - d2 / (2.0 * 0.0004))).abs() < 1e-9);
    // Noiseless: finite on the surface of arms that reach y*, -inf off it.
    let noiseless = RobotArm::new(0.0).unwrap();
    let s = noiseless.sample_posterior(&mut Rng::new(1), &y, 50).unwrap();
    for a in s.chunks(4) {
        assert!(noiseless.log_target(a, &y).is_finite());
        let off = [a[0] + 1e-6, a[1], a[2], a[3]];
        assert_eq!(noiseless.log_target(&off, &y), f64::NEG_INFINITY);
    }
}

#[test]
fn exact_draws_reach_the_target_and_far_targets_are_refused_with_the_reason() {
    let arm = RobotArm::new(0.0).unwrap();
    for y in [[1.0, 0.6], [1.5, 0.0], [1.95, 0.3], [0.4, -0.9], [1.0, 2.5]] {
        let d = arm.exact_posterior(&mut Rng::new(2), &y, 500).unwrap();
        assert!(d.ess.is_finite() && d.ess >= 20.0 * 500.0, "{y:?}: {d:?}");
        let (median, p90) = resimulation_error(&arm, &d.samples, &y).unwrap();
        assert!(median < 1e-12 && p90 < 1e-12, "{y:?}: {median} {p90}");
        // Not one arm repeated: the draws spread over the surface.
        let distinct: std::collections::BTreeSet<u64> =
            d.samples.chunks(4).map(|a| a[1].to_bits()).collect();
        assert!(distinct.len() > 450, "{y:?}: {} distinct", distinct.len());
    }
    let e = arm
        .exact_posterior(&mut Rng::new(2), &[2.5, 0.0], 10)
        .unwrap_err()
        .to_string();
    assert!(e.contains("out of reach") && e.contains("2.5"), "{e}");
    assert!(arm.exact_posterior(&mut Rng::new(2), &[-2.0, 0.0], 10).is_err());
    assert!(arm.exact_posterior(&mut Rng::new(2), &[1.0], 10).is_err());
    assert!(arm.exact_posterior(&mut Rng::new(2), &[1.0, 0.6], 0).is_err());
    // A noisy observation may lie a little beyond the reach, not far.
    let noisy = RobotArm::new(0.05).unwrap();
    assert!(noisy.exact_posterior(&mut Rng::new(2), &[2.02, 0.0], 200).is_ok());
    assert!(noisy.exact_posterior(&mut Rng::new(2), &[2.5, 0.0], 10).is_err());
}

#[test]
fn the_resimulation_error_is_the_median_and_90th_percentile_tip_distance() {
    let arm = RobotArm::default();
    // Arms at rail heights 0.1 .. 1.0 above the straight arm's tip (2, 0).
    let samples: Vec<f64> = (1..=10).flat_map(|k| [0.1 * k as f64, 0.0, 0.0, 0.0]).collect();
    let (median, p90) = resimulation_error(&arm, &samples, &[2.0, 0.0]).unwrap();
    assert!((median - 0.55).abs() < 1e-12 && (p90 - 0.91).abs() < 1e-12, "{median} {p90}");
    assert!(resimulation_error(&arm, &[], &[2.0, 0.0]).is_err());
    assert!(resimulation_error(&arm, &samples[..5], &[2.0, 0.0]).is_err());
}
