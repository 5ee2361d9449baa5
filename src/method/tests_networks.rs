//! The methods that train a network of their own: gradients against finite
//! differences, and what each gets on the toy.

use super::test_support::{gradient_error, moments};
use super::*;
use crate::problem::{GaussianMixture, LabelMap, TOY_CENTRES};

#[test]
fn the_mean_variance_gradient_matches_finite_differences() {
    let g = GaussianMixture::toy(LabelMap::Some);
    let settings = MeanVarianceSettings {
        hidden: 6,
        ..MeanVarianceSettings::default()
    };
    let mut net: MeanVariance<f64> = MeanVariance::new(&g, settings).unwrap();
    let mut rng = crate::rng::Rng::new(3);
    let (mut x, mut y) = (Vec::new(), Vec::new());
    let (mut xi, mut yi) = ([0.0; 2], [0.0; 4]);
    for _ in 0..16 {
        crate::problem::Problem::simulate(&g, &mut rng, &mut xi, &mut yi);
        x.extend(xi);
        y.extend(yi);
    }
    net.loss_and_gradient(&x, &y, 16);
    let analytic = net.grads().to_vec();
    let mut params = net.params_mut().to_vec();
    let err = gradient_error(&mut params, &analytic, |p| {
        net.params_mut().copy_from_slice(p);
        net.loss_and_gradient(&x, &y, 16)
    });
    assert!(err < 1e-5, "max relative error {err:.2e}");
}

fn trained(labels: LabelMap, steps: usize) -> (GaussianMixture, MeanVariance) {
    let g = GaussianMixture::toy(labels);
    let mut net: MeanVariance = MeanVariance::new(&g, MeanVarianceSettings::default()).unwrap();
    for _ in 0..steps {
        net.step(&g);
    }
    (g, net)
}

#[test]
fn one_gaussian_per_colour_is_exact_when_each_colour_has_one_mode() {
    let (g, mut net) = trained(LabelMap::All, 1500);
    for (label, centre) in TOY_CENTRES.iter().enumerate() {
        let y = g.one_hot(label).unwrap();
        let q = Query {
            y_star: &y,
            n: 4000,
            seed: 9,
            budget: 0,
        };
        let a = ask(&mut net, &g, &q, &|| 0.0).unwrap();
        assert_eq!((a.cost.network_evaluations, a.cost.paid_once), (1, true));
        for (d, (m, sd)) in moments(&a.samples).into_iter().enumerate() {
            let c = centre[d];
            assert!(
                (m - c).abs() < 0.05,
                "label {label} coordinate {d}: mean {m} for {c}"
            );
            assert!(
                (sd / 0.2 - 1.0).abs() < 0.15,
                "label {label} coordinate {d}: sd {sd}"
            );
        }
    }
}

#[test]
fn with_four_modes_of_one_colour_its_mass_lies_between_them() {
    let (g, mut net) = trained(LabelMap::Some, 1500);
    let red = g.one_hot(0).unwrap();
    let q = Query {
        y_star: &red,
        n: 4000,
        seed: 9,
        budget: 0,
    };
    let a = ask(&mut net, &g, &q, &|| 0.0).unwrap();
    // Red's modes: x from -2.41 to 2.41, y from 1 to 2.41; one Gaussian
    // centred on their mean, as wide as they are spread.
    let [(mx, sx), (my, sy)] = moments(&a.samples);
    assert!(
        mx.abs() < 0.15 && (my - 1.707).abs() < 0.15,
        "mean ({mx}, {my})"
    );
    assert!(sx > 1.2 && sy > 0.4, "sd ({sx}, {sy})");
    let within = |x: &[f64]| {
        TOY_CENTRES[..4]
            .iter()
            .any(|c| (x[0] - c[0]).hypot(x[1] - c[1]) < 0.6)
    };
    let share = a.samples.chunks(2).filter(|x| within(x)).count() as f64 / 4000.0;
    assert!(share < 0.3, "{share} of the samples in a red mode");
}

#[test]
fn the_variational_gradient_matches_finite_differences() {
    let g = GaussianMixture::toy(LabelMap::Some);
    let settings = VariationalSettings {
        hidden: 5,
        data_size: 50.0,
        ..VariationalSettings::default()
    };
    let mut net: Variational<f64> = Variational::new(&g, settings).unwrap();
    let mut rng = crate::rng::Rng::new(4);
    // Weight stds well above their start, so that the rho gradient matters.
    let n = net.params_mut().len();
    for (i, p) in net.params_mut().iter_mut().enumerate() {
        if i >= (n - 2) / 2 && i < n - 2 {
            *p = -1.0 + 0.3 * rng.normal();
        }
    }
    let (mut x, mut y) = (Vec::new(), Vec::new());
    let (mut xi, mut yi) = ([0.0; 2], [0.0; 4]);
    for _ in 0..12 {
        crate::problem::Problem::simulate(&g, &mut rng, &mut xi, &mut yi);
        x.extend(xi);
        y.extend(yi);
    }
    let eps: Vec<f64> = (0..(n - 2) / 2).map(|_| rng.normal()).collect();
    net.loss_and_gradient(&x, &y, 12, &eps);
    let analytic = net.grads().to_vec();
    let mut params = net.params_mut().to_vec();
    let err = gradient_error(&mut params, &analytic, |p| {
        net.params_mut().copy_from_slice(p);
        net.loss_and_gradient(&x, &y, 12, &eps)
    });
    assert!(err < 1e-5, "max relative error {err:.2e}");
}

fn variational(labels: LabelMap) -> (GaussianMixture, Variational) {
    let g = GaussianMixture::toy(labels);
    let mut net: Variational = Variational::new(&g, VariationalSettings::default()).unwrap();
    for _ in 0..2000 {
        net.step(&g);
    }
    (g, net)
}

#[test]
fn variational_weights_find_each_colours_mode_when_each_has_one() {
    let (g, mut net) = variational(LabelMap::All);
    for (label, centre) in TOY_CENTRES.iter().enumerate() {
        let y = g.one_hot(label).unwrap();
        let q = Query {
            y_star: &y,
            n: 3000,
            seed: 3,
            budget: 0,
        };
        let a = ask(&mut net, &g, &q, &|| 0.0).unwrap();
        assert_eq!(a.cost.network_evaluations, 3000);
        for (d, (m, sd)) in moments(&a.samples).into_iter().enumerate() {
            assert!(
                (m - centre[d]).abs() < 0.1,
                "label {label} coordinate {d}: mean {m}"
            );
            assert!(
                (sd / 0.2 - 1.0).abs() < 0.2,
                "label {label} coordinate {d}: sd {sd}"
            );
        }
    }
}

#[test]
fn variational_weights_give_every_colour_the_spread_of_the_widest() {
    // One learned output noise for every observation: where red's four
    // modes need a wide spread, the one-mode colours get it too.
    let (g, mut net) = variational(LabelMap::Some);
    let green = g.one_hot(2).unwrap();
    let [(mx, sx), (my, sy)] = moments(&net.sample(&green, 3000, 3));
    let c = TOY_CENTRES[6];
    assert!(
        (mx - c[0]).abs() < 0.4 && (my - c[1]).abs() < 0.4,
        "mean ({mx}, {my})"
    );
    assert!(sx > 3.0 * 0.2 && sy > 1.5 * 0.2, "sd ({sx}, {sy})");
}
