use super::*;

#[test]
fn toy_label_maps_have_the_papers_label_counts() {
    assert_eq!(GaussianMixture::toy(LabelMap::All).n_labels(), 8);
    assert_eq!(GaussianMixture::toy(LabelMap::Some).n_labels(), 4);
    assert_eq!(GaussianMixture::toy(LabelMap::None).n_labels(), 1);
    assert!((GaussianMixture::toy(LabelMap::Some).label_probability(0) - 0.5).abs() < 1e-12);
}

#[test]
fn posterior_samples_come_from_the_labels_modes_in_equal_shares() {
    let g = GaussianMixture::toy(LabelMap::Some);
    let s = g.sample_posterior(&mut Rng::new(1), 1, 20_000).unwrap();
    let near = |c: [f64; 2]| {
        s.chunks(2)
            .filter(|p| (p[0] - c[0]).hypot(p[1] - c[1]) < 1.0)
            .count()
    };
    let (a, b) = (near(TOY_CENTRES[4]), near(TOY_CENTRES[5]));
    assert_eq!(a + b, 20_000);
    assert!((a as f64 / 20_000.0 - 0.5).abs() < 0.02);
}

#[test]
fn bad_mixtures_are_refused_with_the_reason() {
    let m = |std, label| Mode {
        centre: [0.0, 0.0],
        std,
        weight: 1.0,
        label,
    };
    assert!(GaussianMixture::new(vec![]).is_err());
    let e = GaussianMixture::new(vec![m(-1.0, 0)])
        .unwrap_err()
        .to_string();
    assert!(e.contains("std must be > 0, got -1"), "{e}");
    let e = GaussianMixture::new(vec![m(1.0, 1)])
        .unwrap_err()
        .to_string();
    assert!(e.contains("label 0 has no mode"), "{e}");
    assert!(GaussianMixture::toy(LabelMap::All)
        .sample_posterior(&mut Rng::new(1), 8, 1)
        .is_err());
}

#[test]
fn an_observation_names_its_label_and_the_target_is_that_labels_density() {
    let g = GaussianMixture::toy(LabelMap::Some);
    let p: &dyn Problem = &g;
    assert_eq!((p.ndim_x(), p.ndim_y()), (2, 4));
    let blue = g.one_hot(1).unwrap();
    assert_eq!(g.label_of(&[0.1, 0.9, -0.05, 0.2]).unwrap(), 1);
    assert!(g.label_of(&[1.0, 0.0]).is_err());
    assert!(g.one_hot(4).is_err());
    // At a blue mode the target is the log of blue's density; at a red
    // one blue's density is negligible next to red's.
    let at = |c: [f64; 2], y: &[f64]| p.log_target(&c, y);
    let expected = g.density(TOY_CENTRES[4], Some(1)).ln();
    assert!((at(TOY_CENTRES[4], &blue) - expected).abs() < 1e-12);
    // Far from every mode the density underflows; its log does not.
    assert!(at([40.0, 40.0], &blue).is_finite());
    assert!(at(TOY_CENTRES[0], &blue) < at(TOY_CENTRES[0], &g.one_hot(0).unwrap()) - 20.0);
    // Exact draws through the trait are the label's.
    let s = p.sample_posterior(&mut Rng::new(2), &blue, 500).unwrap();
    assert!(s.chunks(2).all(|x| x[1] < 0.0 && x[0] > 0.0));
    assert!(p
        .sample_posterior(&mut Rng::new(2), &[f64::NAN; 4], 5)
        .is_err());
}

#[test]
fn the_joint_draw_labels_x_with_its_modes_colour() {
    let g = GaussianMixture::toy(LabelMap::Some);
    let mut rng = Rng::new(4);
    let (mut x, mut y) = ([0.0; 2], [0.0; 4]);
    for _ in 0..200 {
        g.simulate(&mut rng, &mut x, &mut y);
        let label = g.label_of(&y).unwrap();
        assert_eq!(y.iter().sum::<f64>(), 1.0);
        let nearest = (0..8)
            .min_by(|&a, &b| {
                let d = |i: usize| (x[0] - TOY_CENTRES[i][0]).hypot(x[1] - TOY_CENTRES[i][1]);
                d(a).total_cmp(&d(b))
            })
            .unwrap();
        assert_eq!(LabelMap::Some.labels()[nearest], label);
    }
}
