//! The network opened up (the coupling view's numbers): every stage of a
//! pass is the pass the trainer runs, bit for bit, and undoes itself; the
//! block's live values give its output exactly; the log-dets add up.

use inn_playground::inn::SOFT_CLAMP_SLOPE;
use inn_playground::linalg::Real;
use inn_playground::rng::Rng;
use inn_playground::train::{Padding, SampleNoise};
use inn_playground::{LabelMap, Preset, Trainer};

/// A fast network after `steps` steps, and `n` points of its prior.
fn trained(steps: usize, n: usize) -> (Trainer, Vec<f32>) {
    let mut t: Trainer = Trainer::new(&Preset::Fast.config(LabelMap::All, 3)).unwrap();
    for _ in 0..steps {
        t.step().unwrap();
    }
    let mut rng = Rng::new(11);
    let mut x = vec![0.0; 2];
    let mut pts = Vec::new();
    for _ in 0..n {
        t.problem().sample_prior(&mut rng, &mut x);
        pts.extend(x.iter().map(|&v| v as f32));
    }
    (t, pts)
}

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn cols(m: &[f32], dim: usize, from: usize, w: usize) -> Vec<f32> {
    m.chunks_exact(dim)
        .flat_map(|r| r[from..from + w].to_vec())
        .collect()
}

#[test]
fn the_last_forward_stage_is_the_forward_pass_of_the_points_bit_for_bit() {
    let (mut t, x) = trained(40, 300);
    let (dim, nz, ny) = (t.config().ndim_tot, t.config().ndim_z, t.config().ndim_y);
    let taps = t.forward_taps(&x, Padding::Noise(99));
    let (z, y) = t.forward_points(&x, 99);
    let out = taps.stages.last().unwrap();
    assert_eq!(taps.stages.len(), t.net().n_stages());
    assert_eq!(bits(&cols(out, dim, 0, nz)), bits(&z));
    let own_y = t.problem().ndim_y();
    assert_eq!(bits(&cols(out, dim, dim - ny, own_y)), bits(&y));
    // Stage 0 is the padded x itself.
    assert_eq!(bits(&cols(&taps.stages[0], dim, 0, 2)), bits(&x));
}

#[test]
fn the_first_inverse_stage_is_the_posterior_sample_bit_for_bit() {
    let (mut t, _) = trained(40, 0);
    for (label, noise) in [(0, 1.0), (5, 0.4)] {
        let y_star = t.problem().label_observation(label).unwrap();
        let noise = SampleNoise(noise);
        let taps = t.posterior_taps(&y_star, 400, 21, noise).unwrap();
        let s = t.sample_posterior(&y_star, 400, 21, noise).unwrap();
        let dim = t.config().ndim_tot;
        assert_eq!(bits(&cols(&taps.stages[0], dim, 0, 2)), bits(&s));
    }
    assert!(t.posterior_taps(&[1.0], 4, 1, SampleNoise(1.0)).is_err());
    let y = t.problem().label_observation(0).unwrap();
    assert!(t.posterior_taps(&y, 4, 1, SampleNoise(2.0)).is_err());
}

#[test]
fn the_blocks_log_dets_add_up_to_the_whole_and_the_inverse_gives_minus_each() {
    let (t, x) = trained(40, 300);
    let taps = t.forward_taps(&x, Padding::Zero);
    let whole = t
        .net()
        .forward_logdet(t.sampling_weights(), &taps.stages[0], taps.rows);
    let back = t
        .net()
        .inverse_taps(t.sampling_weights(), taps.stages.last().unwrap(), taps.rows);
    let mut largest: f32 = 0.0;
    for (r, w) in whole.iter().enumerate() {
        let sum: f32 = taps.block_logdets.iter().map(|b| b[r]).sum();
        assert!(
            (sum - w).abs() <= 1e-5 * (1.0 + w.abs()),
            "row {r}: {sum} vs {w}"
        );
        largest = largest.max(w.abs());
        for (f, i) in taps.block_logdets.iter().zip(&back.block_logdets) {
            assert!((f[r] + i[r]).abs() <= 1e-4, "row {r}: {} vs {}", f[r], i[r]);
        }
    }
    assert!(
        largest > 0.05,
        "log-dets too small to test anything: {largest}"
    );
}

#[test]
fn every_stage_of_the_forward_pass_is_reached_again_by_the_inverse() {
    let (t, x) = trained(40, 300);
    let fwd = t.forward_taps(&x, Padding::Noise(7));
    let back = t
        .net()
        .inverse_taps(t.sampling_weights(), fwd.stages.last().unwrap(), fwd.rows);
    let max_diff = |a: &[f32], b: &[f32]| {
        a.iter()
            .zip(b)
            .map(|(p, q)| (p - q).abs())
            .fold(0.0, f32::max)
    };
    for (k, (a, b)) in fwd.stages.iter().zip(&back.stages).enumerate() {
        assert!(max_diff(a, b) <= 1e-4, "stage {k}: {}", max_diff(a, b));
    }
    // Each block moves the points.
    for k in (1..fwd.stages.len()).step_by(2) {
        assert!(
            max_diff(&fwd.stages[k], &fwd.stages[k - 1]) > 0.1,
            "block stage {k}"
        );
    }
}

#[test]
fn a_blocks_live_values_give_its_output_bit_for_bit() {
    let (t, x) = trained(40, 50);
    let taps = t.forward_taps(&x, Padding::Noise(99));
    let dim = t.config().ndim_tot;
    let blocks = (taps.stages.len() - 1) / 2;
    for b in 0..blocks {
        for row in [0, 17, 49] {
            let tr = t.block_trace(&x, Padding::Noise(99), b, row).unwrap();
            assert!(!tr.inverse);
            let d1 = tr.u1.len();
            let u = &taps.stages[2 * b][row * dim..(row + 1) * dim];
            let v = &taps.stages[2 * b + 1][row * dim..(row + 1) * dim];
            assert_eq!(bits(&[tr.u1.clone(), tr.u2.clone()].concat()), bits(u));
            assert_eq!(bits(&[tr.v1.clone(), tr.v2.clone()].concat()), bits(v));
            for j in 0..d1 {
                let v1 = tr.u1[j] * tr.s2[j].scale_exp() + tr.t2[j];
                assert_eq!(v1.to_bits(), tr.v1[j].to_bits(), "block {b}, v1[{j}]");
            }
            for j in 0..tr.u2.len() {
                let v2 = tr.u2[j] * tr.s1[j].scale_exp() + tr.t1[j];
                assert_eq!(v2.to_bits(), tr.v2[j].to_bits(), "block {b}, v2[{j}]");
            }
            assert_eq!(tr.logdet.to_bits(), taps.block_logdets[b][row].to_bits());
            let c = tr.clamp as f32;
            assert!(tr.s1.iter().chain(&tr.s2).all(|s| s.abs() < c));
            assert!(
                tr.s2.iter().zip(&tr.s2_raw).any(|(a, r)| a != r),
                "the clamp acts"
            );
        }
    }
    assert!(t.block_trace(&x, Padding::Zero, blocks, 0).is_none());
    assert!(t.block_trace(&x, Padding::Zero, 0, 50).is_none());
}

/// The soft clamp a(s) = clamp * 0.636 * atan(s / clamp), written as the
/// block writes it.
fn soft_clamp(clamp: f64, s: f32) -> f32 {
    let c = clamp as f32;
    c * SOFT_CLAMP_SLOPE as f32 * (s / c).clamp_atan()
}

#[test]
fn a_blocks_live_values_in_the_inverse_pass_are_that_passs_bit_for_bit() {
    let (t, _) = trained(40, 0);
    let (n, seed, noise) = (60, 21, SampleNoise(1.0));
    let y_star = t.problem().label_observation(2).unwrap();
    let taps = t.posterior_taps(&y_star, n, seed, noise).unwrap();
    let dim = t.config().ndim_tot;
    let blocks = (taps.stages.len() - 1) / 2;
    let trace = |b, row| {
        t.posterior_block_trace(&y_star, n, seed, noise, b, row)
            .unwrap()
    };
    for b in 0..blocks {
        for row in [0, 31, n - 1] {
            let tr = trace(b, row).unwrap();
            assert!(tr.inverse);
            // Inverse block b takes stage 2b + 1 (v) to stage 2b (u).
            let v = &taps.stages[2 * b + 1][row * dim..(row + 1) * dim];
            let u = &taps.stages[2 * b][row * dim..(row + 1) * dim];
            assert_eq!(bits(&[tr.v1.clone(), tr.v2.clone()].concat()), bits(v));
            assert_eq!(bits(&[tr.u1.clone(), tr.u2.clone()].concat()), bits(u));
            // u2 = (v2 - t1) * exp(-s1), then u1 = (v1 - t2) * exp(-s2).
            for j in 0..tr.u2.len() {
                let u2 = (tr.v2[j] - tr.t1[j]) * (-tr.s1[j]).scale_exp();
                assert_eq!(u2.to_bits(), tr.u2[j].to_bits(), "block {b}, u2[{j}]");
                let s1 = soft_clamp(tr.clamp, tr.s1_raw[j]);
                assert_eq!(s1.to_bits(), tr.s1[j].to_bits(), "block {b}, s1[{j}]");
            }
            for j in 0..tr.u1.len() {
                let u1 = (tr.v1[j] - tr.t2[j]) * (-tr.s2[j]).scale_exp();
                assert_eq!(u1.to_bits(), tr.u1[j].to_bits(), "block {b}, u1[{j}]");
                let s2 = soft_clamp(tr.clamp, tr.s2_raw[j]);
                assert_eq!(s2.to_bits(), tr.s2[j].to_bits(), "block {b}, s2[{j}]");
            }
            // log|det J| of the inverse: -sum s1 - sum s2, in that order.
            let sum = |s: &[f32]| s.iter().fold(0.0f32, |acc, s| acc + s);
            let ld = (0.0 - sum(&tr.s1)) - sum(&tr.s2);
            assert_eq!(ld.to_bits(), tr.logdet.to_bits(), "block {b}");
            assert_eq!(tr.logdet.to_bits(), taps.block_logdets[b][row].to_bits());
        }
    }
    assert!(trace(blocks, 0).is_none());
    assert!(trace(0, n).is_none());
    assert!(t
        .posterior_block_trace(&y_star, n, seed, SampleNoise(2.0), 0, 0)
        .is_err());
}

#[test]
fn the_block_shown_at_a_stage_is_the_one_last_passed_in_the_passs_direction() {
    let (t, _) = trained(0, 0);
    let net = t.net();
    let last = net.n_stages() - 1;
    let blocks = last / 2;
    assert!(blocks >= 2, "{blocks} blocks");
    // Forward, stage 2k + 1 is after block k and 2k + 2 after permutation k.
    let fwd: Vec<_> = (0..=last).map(|k| net.block_passed(k, false)).collect();
    let want: Vec<_> = (0..=last).map(|k| Some(k.max(1).div_ceil(2) - 1)).collect();
    assert_eq!(fwd, want);
    // Back from the output, block k takes stage 2k + 1 to stage 2k.
    for k in 0..blocks {
        assert_eq!(net.block_passed(2 * k, true), Some(k));
    }
    // Before the first inverse block, it is the one met first.
    assert_eq!(net.block_passed(last, true), Some(blocks - 1));
    assert_eq!(net.block_passed(last - 1, true), Some(blocks - 1));
    assert_eq!(net.block_passed(1, true), Some(1));
    assert_eq!(net.block_passed(last + 1, false), None);
    assert_eq!(net.block_passed(last + 1, true), None);
}

#[test]
fn the_shown_columns_follow_x_through_the_permutations() {
    let (t, x) = trained(5, 100);
    let taps = t.forward_taps(&x, Padding::Noise(1));
    let shown = t.shown_columns();
    assert_eq!(shown.len(), taps.stages.len());
    assert_eq!(shown[0], [0, 1]);
    let p = taps.project(&shown);
    let per = 2 * taps.rows;
    // A permutation moves the values; the shown columns move with them.
    for k in (2..taps.stages.len()).step_by(2) {
        assert_eq!(
            bits(&p[k * per..(k + 1) * per]),
            bits(&p[(k - 1) * per..k * per]),
            "stage {k}"
        );
    }
    assert_eq!(bits(&p[..per]), bits(&x));
    let names: Vec<String> = (0..t.config().ndim_tot)
        .map(|c| t.output_column_name(c))
        .collect();
    let nz = t.config().ndim_z;
    assert_eq!(names[0], "z1");
    assert_eq!(names[nz - 1], format!("z{nz}"));
    assert_eq!(names[nz], "pad1");
    assert_eq!(names.last().unwrap(), &format!("y{}", t.config().ndim_y));
}

#[test]
fn the_log_det_grid_is_the_whole_maps_at_the_cell_centres_from_the_top_row() {
    let (t, _) = trained(40, 0);
    let res = 6;
    let grid = t.logdet_grid(-3.0, 3.0, res);
    assert_eq!(grid.len(), res * res);
    // The top-left cell's centre is (-2.5, 2.5), the bottom-right's (2.5, -2.5).
    for (cell, x) in [
        (0, [-2.5f32, 2.5]),
        (res * res - 1, [2.5, -2.5]),
        (res + 2, [-0.5, 1.5]),
    ] {
        let taps = t.forward_taps(&x, Padding::Zero);
        let whole = t
            .net()
            .forward_logdet(t.sampling_weights(), &taps.stages[0], 1)[0];
        assert_eq!(grid[cell].to_bits(), whole.to_bits(), "cell {cell}");
    }
    assert!(
        grid.iter().any(|v| (v - grid[0]).abs() > 1e-3),
        "log|det J| varies over the plane"
    );
}
