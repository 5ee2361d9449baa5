//! f^-1(f(x)) = x and log|det J| against a numerical Jacobian, with random,
//! non-trivial weights.

mod common;

use common::randn;
use inn_playground::inn::{Invertible, InvertibleNet, Permutation};
use inn_playground::rng::Rng;

fn random_net(rng: &mut Rng, dim: usize, blocks: usize) -> InvertibleNet {
    let perms = (0..blocks)
        .map(|_| Permutation::new(rng.permutation(dim)).unwrap())
        .collect();
    InvertibleNet::new(dim, 32, 2, 2.0, perms)
}

#[test]
fn inverse_undoes_forward_to_1e_4_in_f32_over_1000_inputs() {
    for (dim, blocks) in [(6, 4), (10, 4), (16, 8)] {
        let mut rng = Rng::new(dim as u64);
        let net = random_net(&mut rng, dim, blocks);
        let to_f32 = |v: Vec<f64>| v.into_iter().map(|x| x as f32).collect::<Vec<f32>>();
        let params = to_f32(randn(&mut rng, net.n_params(), 0.12));
        let rows = 1000;
        let x = to_f32(randn(&mut rng, rows * dim, 1.0));
        let r = net.round_trip(&params, &x, rows);
        println!(
            "dim {dim}, {blocks} blocks: max |x - f^-1(f(x))| = {:.2e}, max |y - x| = {:.2}, max |logdet| = {:.2}, max |logdet_f + logdet_inv| = {:.2e}",
            r.max_error, r.max_moved, r.max_logdet, r.max_logdet_sum
        );
        assert!(
            r.max_moved > 0.5 && r.max_logdet > 0.5,
            "weights too trivial to test anything"
        );
        assert!(r.max_error <= 1e-4);
        assert!(r.max_logdet_sum <= 1e-4);
    }
}

#[test]
fn log_det_matches_a_numerical_jacobian() {
    let dim = 6;
    let mut rng = Rng::new(42);
    let net = random_net(&mut rng, dim, 4);
    let params = randn(&mut rng, net.n_params(), 0.3);
    let f = |x: &[f64]| {
        let mut y = vec![0.0; dim];
        let mut ld = vec![0.0];
        net.forward(&params, x, 1, &mut y, &mut ld, &mut Default::default());
        (y, ld[0])
    };
    let mut worst: f64 = 0.0;
    for _ in 0..20 {
        let x = randn(&mut rng, dim, 1.0);
        let (_, logdet) = f(&x);
        let h = 1e-6;
        let mut jac = nalgebra::DMatrix::<f64>::zeros(dim, dim);
        for j in 0..dim {
            let (mut up, mut down) = (x.clone(), x.clone());
            up[j] += h;
            down[j] -= h;
            let (yu, _) = f(&up);
            let (yd, _) = f(&down);
            for i in 0..dim {
                jac[(i, j)] = (yu[i] - yd[i]) / (2.0 * h);
            }
        }
        let numeric = jac.determinant().abs().ln();
        let rel = (numeric - logdet).abs() / logdet.abs().max(1e-3);
        worst = worst.max(rel);
        assert!(logdet.abs() > 0.1, "non-trivial log-det");
    }
    println!("log|det J| vs numerical Jacobian: max relative error {worst:.2e}");
    assert!(worst <= 1e-3);
}
