//! The products against a naive triple loop, the kernel choice of browser
//! arithmetic, epilogues against a pass after the product, and the column
//! copies.

use super::gemm::BROWSER_ARITHMETIC;
use super::*;
use crate::tiled_gemm::Kernel;

fn naive(m: usize, k: usize, n: usize, a: &[f64], b: &[f64]) -> Vec<f64> {
    let mut c = vec![0.0; m * n];
    for i in 0..m {
        for j in 0..n {
            for l in 0..k {
                c[i * n + j] += a[i * k + l] * b[l * n + j];
            }
        }
    }
    c
}

fn transpose(rows: usize, cols: usize, a: &[f64]) -> Vec<f64> {
    let mut t = vec![0.0; a.len()];
    for i in 0..rows {
        for j in 0..cols {
            t[j * rows + i] = a[i * cols + j];
        }
    }
    t
}

/// A product through [`gemm_nn`] in f32.
fn product_f32(m: usize, k: usize, n: usize, a: &[f32], b: &[f32]) -> Vec<f32> {
    let mut c = vec![0.0f32; m * n];
    gemm_nn(m, k, n, a, b, 0.0, &mut c);
    c
}

#[test]
fn browser_arithmetic_runs_every_product_on_the_wasm_lanes_then_stops() {
    // 16 columns is one the host's AVX2 kernel would take, 48 one for
    // matrixmultiply: in browser arithmetic both go to the wasm lanes.
    for (m, k, n) in [(37, 19, 16), (21, 64, 48)] {
        let a: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.11).cos()).collect();
        let mut want = vec![0.0f32; m * n];
        crate::tiled_gemm::sgemm(
            Kernel::Default,
            m,
            k,
            n,
            1.0,
            &a,
            (k, 1),
            &b,
            (n, 1),
            0.0,
            &mut want,
            Then::Nothing,
        );
        let got = with_browser_arithmetic(|| product_f32(m, k, n, &a, &b));
        assert_eq!(got, want, "{m}x{k}x{n}");
        assert!(!BROWSER_ARITHMETIC.get(), "the setting is put back");
        // The host's own kernels agree to rounding (and may be the
        // same bits on a host without AVX2).
        let host = product_f32(m, k, n, &a, &b);
        for (h, w) in host.iter().zip(&want) {
            assert!((h - w).abs() <= 1e-4 * w.abs().max(1.0), "{h} vs {w}");
        }
    }
}

#[test]
fn a_product_with_an_epilogue_gives_the_bits_of_the_two_apart() {
    // 16 columns run on the tiled kernel (fused), 48 natively on
    // matrixmultiply (a pass after it); in browser arithmetic both fuse.
    for (m, k, n) in [(37, 19, 16), (21, 64, 48)] {
        let a: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.11).cos()).collect();
        let bias: Vec<f32> = (0..n).map(|i| (i as f32 * 0.7).sin()).collect();
        let mask: Vec<f32> = (0..m * n).map(|i| (i as f32 * 0.3).cos()).collect();
        for then in [
            Then::AddBias {
                bias: &bias,
                relu: true,
            },
            Then::KeepWherePositive(&mask),
        ] {
            let run = || {
                let mut want = vec![0.0f32; m * n];
                gemm_nn(m, k, n, &a, &b, 0.0, &mut want);
                then.apply(&mut want, n);
                let mut got = vec![0.0f32; m * n];
                gemm_nn_then(m, k, n, &a, &b, &mut got, then);
                assert_eq!(got, want, "{m}x{k}x{n} {then:?}");
                assert!(got.contains(&0.0) && got.iter().any(|v| *v != 0.0));
            };
            run();
            with_browser_arithmetic(run);
        }
    }
}

#[test]
fn products_match_the_naive_triple_loop_in_every_transpose() {
    let (m, k, n) = (7, 5, 3);
    let a: Vec<f64> = (0..m * k).map(|i| (i as f64 * 0.37).sin()).collect();
    let b: Vec<f64> = (0..k * n).map(|i| (i as f64 * 0.11).cos()).collect();
    let want = naive(m, k, n, &a, &b);
    let mut c = vec![1.0; m * n];
    gemm_nn(m, k, n, &a, &b, 0.0, &mut c);
    let bt = transpose(k, n, &b);
    let mut c_nt = vec![0.0; m * n];
    gemm_nt(m, k, n, &a, &bt, 0.0, &mut c_nt);
    let at = transpose(m, k, &a);
    let mut c_tn = vec![2.0; m * n];
    gemm_tn(m, k, n, &at, &b, 1.0, &mut c_tn);
    for i in 0..m * n {
        assert!((c[i] - want[i]).abs() < 1e-12);
        assert!((c_nt[i] - want[i]).abs() < 1e-12);
        assert!((c_tn[i] - 2.0 - want[i]).abs() < 1e-12);
    }
}

#[test]
fn column_copies_round_trip() {
    let src: Vec<f64> = (0..12).map(f64::from).collect();
    let mut mid = vec![0.0; 6];
    copy_cols(&src, 4, 1, 2, &mut mid);
    assert_eq!(mid, vec![1.0, 2.0, 5.0, 6.0, 9.0, 10.0]);
    let mut back = vec![0.0; 12];
    paste_cols(&mid, 2, &mut back, 4, 1);
    assert_eq!(back[1], 1.0);
    assert_eq!(back[10], 10.0);
    assert_eq!(back[0], 0.0);
}
