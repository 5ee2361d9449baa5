//! The tiled product against a naive one in f64, over every shape class,
//! layout, alpha and beta, and kernel; the epilogues against a pass after
//! the product, bit for bit.

use super::*;

/// `alpha * a * b + beta * c` in f64 with explicit strides.
#[allow(clippy::too_many_arguments)]
fn naive(
    (m, k, n): (usize, usize, usize),
    alpha: f32,
    a: &[f32],
    sa: (usize, usize),
    b: &[f32],
    sb: (usize, usize),
    beta: f32,
    c: &[f32],
) -> Vec<f64> {
    (0..m * n)
        .map(|ij| {
            let (i, j) = (ij / n, ij % n);
            let dot: f64 = (0..k)
                .map(|l| a[i * sa.0 + l * sa.1] as f64 * b[l * sb.0 + j * sb.1] as f64)
                .sum();
            alpha as f64 * dot + beta as f64 * c[ij] as f64
        })
        .collect()
}

/// The kernels to check: this build's default, and AVX2 + FMA where the
/// host has them.
fn kernels() -> Vec<Kernel> {
    #[allow(unused_mut)]
    let mut k = vec![Kernel::Default];
    #[cfg(target_arch = "x86_64")]
    k.extend(Kernel::avx2());
    k
}

fn values(len: usize, seed: f32) -> Vec<f32> {
    (0..len)
        .map(|i| ((i as f32 + seed) * 0.618).sin())
        .collect()
}

#[test]
fn every_shape_and_layout_matches_the_naive_product() {
    let mut checked = 0;
    for m in [1, 3, 4, 5, 9, 17] {
        for k in [0, 1, 2, 7, 8, 33] {
            for n in [1, 2, 3, 4, 5, 8, 9, 12, 13, 16, 17, 30, 33] {
                let a = values(m * k, 1.0);
                let b = values(k * n, 2.0);
                let c0 = values(m * n, 3.0);
                // a row-major or transposed; b row-major, transposed
                // or one column repeated (column stride 0).
                for (sa, sb) in [
                    ((k, 1), (n, 1)),
                    ((1, m), (n, 1)),
                    ((k, 1), (1, k)),
                    ((1, m), (1, k)),
                    ((k, 1), (1, 0)),
                ] {
                    for ((alpha, beta), kernel) in [(1.0, 0.0), (1.0, 1.0), (-0.5, 2.0)]
                        .into_iter()
                        .flat_map(|ab| kernels().into_iter().map(move |kernel| (ab, kernel)))
                    {
                        let mut c = c0.clone();
                        if beta == 0.0 {
                            c.fill(f32::NAN); // must not be read
                        }
                        sgemm(
                            kernel,
                            m,
                            k,
                            n,
                            alpha,
                            &a,
                            sa,
                            &b,
                            sb,
                            beta,
                            &mut c,
                            Then::Nothing,
                        );
                        let want = naive((m, k, n), alpha, &a, sa, &b, sb, beta, &c0);
                        for (got, want) in c.iter().zip(&want) {
                            assert!(
                                (*got as f64 - want).abs() <= 1e-5 * (1.0 + want.abs()),
                                "{kernel:?} {m}x{k}x{n} {sa:?} {sb:?} alpha {alpha} beta {beta}: {got} vs {want}"
                            );
                        }
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 6 * 6 * 13 * 5 * 3 * kernels().len());
}

#[test]
fn a_fused_epilogue_gives_the_bits_of_the_product_then_its_own_pass() {
    let mut checked = 0;
    for m in [1, 4, 5, 9] {
        for k in [1, 8, 33] {
            for n in [1, 3, 4, 8, 13, 16, 32, 33] {
                let a = values(m * k, 1.0);
                let b = values(k * n, 2.0);
                // Values around zero, exact zeros of both signs and a
                // NaN, where a select could differ from the scalar rule.
                let mut bias: Vec<f32> = values(n, 4.0).iter().map(|v| v * 1.5).collect();
                bias[0] = f32::NAN;
                let mut mask = values(m * n, 5.0);
                mask[0] = -0.0;
                if m * n > 2 {
                    mask[1] = f32::NAN;
                    mask[2] = 0.0;
                }
                let thens = [
                    Then::AddBias {
                        bias: &bias,
                        relu: true,
                    },
                    Then::AddBias {
                        bias: &bias,
                        relu: false,
                    },
                    Then::KeepWherePositive(&mask),
                ];
                for (then, kernel) in thens
                    .into_iter()
                    .flat_map(|t| kernels().into_iter().map(move |kernel| (t, kernel)))
                {
                    for (sa, sb) in [((k, 1), (n, 1)), ((1, m), (1, k))] {
                        let mut want = vec![0.0; m * n];
                        sgemm(
                            kernel,
                            m,
                            k,
                            n,
                            1.0,
                            &a,
                            sa,
                            &b,
                            sb,
                            0.0,
                            &mut want,
                            Then::Nothing,
                        );
                        then.apply(&mut want, n);
                        let mut got = vec![f32::NAN; m * n];
                        sgemm(kernel, m, k, n, 1.0, &a, sa, &b, sb, 0.0, &mut got, then);
                        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                        assert_eq!(bits(&got), bits(&want), "{kernel:?} {m}x{k}x{n} {then:?}");
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 4 * 3 * 8 * 3 * 2 * kernels().len());
    // Both rules as the MLP applies them, value by value.
    assert_eq!(Then::relu(-0.5f32).to_bits(), 0.0f32.to_bits());
    assert_eq!(Then::relu(-0.0f32).to_bits(), 0.0f32.to_bits());
    assert!(Then::relu(f32::NAN).is_nan());
    assert_eq!(Then::keep_where_positive(3.0f32, f32::NAN), 0.0);
    assert_eq!(Then::keep_where_positive(3.0f32, 1e-30), 3.0);
}

#[test]
fn a_fused_epilogue_refuses_a_scaled_product() {
    let r = std::panic::catch_unwind(|| {
        let mut c = vec![0.0; 4];
        let bias = [0.0; 2];
        sgemm(
            Kernel::Default,
            2,
            1,
            2,
            2.0,
            &[1.0; 2],
            (1, 1),
            &[1.0; 2],
            (2, 1),
            0.0,
            &mut c,
            Then::AddBias {
                bias: &bias,
                relu: true,
            },
        );
    });
    assert!(r.is_err());
}

#[test]
fn an_operand_too_small_for_its_shape_panics() {
    let r = std::panic::catch_unwind(|| {
        let mut c = vec![0.0; 4];
        sgemm(
            Kernel::Default,
            2,
            3,
            2,
            1.0,
            &[0.0; 5],
            (3, 1),
            &[0.0; 6],
            (2, 1),
            0.0,
            &mut c,
            Then::Nothing,
        );
    });
    assert!(r.is_err());
}
