//! Every backward pass against central finite differences (f64, the same
//! generic code the f32 trainer runs): max relative error <= 1e-3.

mod common;

use common::{assert_gradients_agree, numeric_gradient, randn};
use inn_playground::config::{LossTerm, Preset};
use inn_playground::inn::{CouplingBlock, Invertible, InvertibleNet, Permutation};
use inn_playground::loss::{max_likelihood, mmd_multiscale, mse, MmdScratch};
use inn_playground::nn::{Mlp, MlpCache, MlpScratch};
use inn_playground::rng::Rng;
use inn_playground::{LabelMap, Trainer};

#[test]
fn mlp_weights_and_inputs() {
    let mut rng = Rng::new(1);
    let mut offset = 0;
    let mlp = Mlp::new(3, 7, 2, 4, &mut offset);
    let rows = 5;
    let mut params = randn(&mut rng, offset, 0.5);
    let mut x = randn(&mut rng, rows * 3, 1.0);
    let r = randn(&mut rng, rows * 4, 1.0);
    let loss = |p: &[f64], x: &[f64]| {
        let mut c = MlpCache::default();
        mlp.forward(p, x, rows, &mut c);
        c.output().iter().zip(&r).map(|(a, b)| a * b).sum::<f64>()
    };
    let mut cache = MlpCache::default();
    mlp.forward(&params, &x, rows, &mut cache);
    let mut grads = vec![0.0; offset];
    let mut gx = vec![0.0; rows * 3];
    mlp.backward(
        &params,
        &mut grads,
        &r,
        &cache,
        &mut MlpScratch::default(),
        &mut gx,
    );
    let xs = x.clone();
    let num_p = numeric_gradient(&mut params, |p| loss(p, &xs));
    assert_gradients_agree("mlp weights", &grads, &num_p);
    let ps = params.clone();
    let num_x = numeric_gradient(&mut x, |x| loss(&ps, x));
    assert_gradients_agree("mlp input", &gx, &num_x);
}

/// Checks an invertible layer in one direction: L = sum(R * out) + sum(r * logdet).
fn check_invertible<L: Invertible<f64>>(
    what: &str,
    layer: &L,
    n_params: usize,
    inverse: bool,
    seed: u64,
) {
    let mut rng = Rng::new(seed);
    let (rows, dim) = (6, layer.dim());
    let mut params = randn(&mut rng, n_params, 0.4);
    let mut x = randn(&mut rng, rows * dim, 1.0);
    let r_out = randn(&mut rng, rows * dim, 1.0);
    let r_ld = randn(&mut rng, rows, 1.0);
    let run = |p: &[f64], x: &[f64], cache: &mut L::Cache| {
        let mut y = vec![0.0; rows * dim];
        let mut ld = vec![0.0; rows];
        if inverse {
            layer.inverse(p, x, rows, &mut y, &mut ld, cache);
        } else {
            layer.forward(p, x, rows, &mut y, &mut ld, cache);
        }
        y.iter().zip(&r_out).map(|(a, b)| a * b).sum::<f64>()
            + ld.iter().zip(&r_ld).map(|(a, b)| a * b).sum::<f64>()
    };
    let mut cache = L::Cache::default();
    run(&params, &x, &mut cache);
    let mut grads = vec![0.0; n_params];
    let mut gx = vec![0.0; rows * dim];
    if inverse {
        layer.backward_inverse(
            &params,
            &mut grads,
            &r_out,
            Some(&r_ld),
            &mut cache,
            &mut Default::default(),
            &mut gx,
        );
    } else {
        layer.backward_forward(
            &params,
            &mut grads,
            &r_out,
            Some(&r_ld),
            &mut cache,
            &mut Default::default(),
            &mut gx,
        );
    }
    let xs = x.clone();
    let num_p = numeric_gradient(&mut params, |p| run(p, &xs, &mut L::Cache::default()));
    assert_gradients_agree(&format!("{what} weights"), &grads, &num_p);
    let ps = params.clone();
    let num_x = numeric_gradient(&mut x, |x| run(&ps, x, &mut L::Cache::default()));
    assert_gradients_agree(&format!("{what} input"), &gx, &num_x);
}

#[test]
fn coupling_block_forward_and_inverse() {
    for dim in [5, 6] {
        let mut offset = 0;
        let block = CouplingBlock::new(dim, 8, 2, 2.0, &mut offset);
        check_invertible(&format!("coupling {dim} forward"), &block, offset, false, 2);
        check_invertible(&format!("coupling {dim} inverse"), &block, offset, true, 3);
    }
}

#[test]
fn whole_network_forward_and_inverse() {
    let mut rng = Rng::new(4);
    let perms = (0..3)
        .map(|_| Permutation::new(rng.permutation(6)).unwrap())
        .collect();
    let net = InvertibleNet::new(6, 8, 1, 2.0, perms);
    check_invertible("net forward", &net, net.n_params(), false, 5);
    check_invertible("net inverse", &net, net.n_params(), true, 6);
}

#[test]
fn mse_loss() {
    let mut rng = Rng::new(7);
    let (rows, dim) = (4, 5);
    let mut a = randn(&mut rng, rows * dim, 1.0);
    let b = randn(&mut rng, rows * dim, 1.0);
    let mut g = vec![0.0; rows * dim];
    mse(&a, &b, dim, 1..4, 3.0, Some(&mut g));
    let num = numeric_gradient(&mut a, |a| 3.0 * mse(a, &b, dim, 1..4, 1.0, None));
    assert_gradients_agree("mse", &g, &num);
}

#[test]
fn mmd_loss_including_the_partial_gradient_of_l_z() {
    // d = 3 sums distances coordinate by coordinate; d = 10 (as L_z's
    // [z, y]) takes them from dot products, in two blocks of rows.
    for (n, m, d) in [(7, 9, 3), (40, 9, 10)] {
        let mut rng = Rng::new(8);
        let mut x = randn(&mut rng, n * d, 0.5);
        let y = randn(&mut rng, m * d, 0.5);
        // The gradient of every column, or of the first two (z of L_z).
        let gc = if d > 8 { 2 } else { d };
        let mut g = vec![0.0; n * gc];
        mmd_multiscale(
            &mut MmdScratch::default(),
            &x,
            &y,
            d,
            2.0,
            Some((&mut g, gc)),
        );
        let num = numeric_gradient(&mut x, |x| {
            2.0 * mmd_multiscale(&mut MmdScratch::default(), x, &y, d, 1.0, None)
        });
        let num_cols: Vec<f64> = num
            .chunks_exact(d)
            .flat_map(|row| row[..gc].to_vec())
            .collect();
        assert_gradients_agree(&format!("mmd, {d} dimensions"), &g, &num_cols);
        // Only the first column: the entries of the others must be left alone.
        let mut g1 = vec![0.0; n];
        mmd_multiscale(
            &mut MmdScratch::default(),
            &x,
            &y,
            d,
            1.0,
            Some((&mut g1, 1)),
        );
        let first: Vec<f64> = num.iter().step_by(d).map(|v| v / 2.0).collect();
        assert_gradients_agree(&format!("mmd first column, {d} dimensions"), &g1, &first);
    }
}

#[test]
fn max_likelihood_loss() {
    let mut rng = Rng::new(9);
    let (rows, dim, nz) = (5, 6, 2);
    let mut out = randn(&mut rng, rows * dim, 1.0);
    let target = randn(&mut rng, rows * dim, 1.0);
    let mut logdet = randn(&mut rng, rows, 1.0);
    let (mut go, mut gl) = (vec![0.0; rows * dim], vec![0.0; rows]);
    max_likelihood(&out, &target, &logdet, dim, nz, 0.3, 1.5, &mut go, &mut gl);
    let ld = logdet.clone();
    let num = numeric_gradient(&mut out, |o| {
        1.5 * max_likelihood(
            o,
            &target,
            &ld,
            dim,
            nz,
            0.3,
            1.0,
            &mut vec![0.0; rows * dim],
            &mut vec![0.0; rows],
        )
    });
    assert_gradients_agree("ml output", &go, &num);
    let os = out.clone();
    let num_l = numeric_gradient(&mut logdet, |l| {
        1.5 * max_likelihood(
            &os,
            &target,
            l,
            dim,
            nz,
            0.3,
            1.0,
            &mut vec![0.0; rows * dim],
            &mut vec![0.0; rows],
        )
    });
    assert_gradients_agree("ml logdet", &gl, &num_l);
}

#[test]
fn whole_training_loss_with_every_term() {
    for labels in [LabelMap::Some, LabelMap::All] {
        let mut c = Preset::Paper.config(labels, 11);
        c.blocks = 2;
        c.hidden = 6;
        c.depth = 2;
        // Big enough that both halves of a step reconstruct some rows.
        c.batch = 40;
        c.ndim_tot = 0;
        c.init_scale = 0.3;
        c.ramp_steps = 0;
        c.losses.ml = LossTerm {
            on: true,
            weight: 0.5,
        };
        let mut t: Trainer<f64> = Trainer::new(&c).unwrap();
        assert!((1..c.batch).contains(&t.split_step().forward_rows().len()));
        t.draw_batch();
        let l = t.loss_and_gradient();
        assert!(
            l.y > 0.0 && l.z > 0.0 && l.x > 0.0 && l.rec > 0.0 && l.ml != 0.0,
            "{l:?}"
        );
        let analytic = t.grads().to_vec();
        t.hold_detached(true);
        let mut p = t.optimiser_weights().to_vec();
        let num = numeric_gradient(&mut p, |p| {
            t.optimiser_weights_mut().copy_from_slice(p);
            t.loss_and_gradient().total
        });
        assert_gradients_agree(&format!("training loss ({labels:?})"), &analytic, &num);
    }
}
