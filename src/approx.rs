//! exp and atan for f32 as branch-free polynomials (the Cephes single
//! precision ones). The coupling blocks take both of every scale they
//! compute; the library functions are calls the compiler cannot vectorise,
//! and with them these two are a large part of a training step
//! (docs/kernels.md). These inline and vectorise, and stay within a few
//! units in the last place.

use std::f32::consts::{FRAC_PI_2, FRAC_PI_4, LOG2_E};

/// e^x within ~2 ulp for |x| < 87 (the soft clamp keeps every scale's
/// exponent far inside that); saturates beyond.
#[inline(always)]
pub fn exp_f32(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    // x = n ln2 + r, |r| <= ln2 / 2, with ln2 split in two for exactness.
    // Adding 1.5 * 2^23 rounds to an integer in the low mantissa bits (no
    // floor instruction needed, which baseline x86-64 lacks).
    const SHIFT: f32 = 12_582_912.0;
    let shifted = x * LOG2_E + SHIFT;
    let n = shifted - SHIFT;
    let r = x - n * 0.693_359_4 + n * 2.121_944_4e-4;
    let p = 1.987_569_1e-4;
    let p = p * r + 1.398_199_9e-3;
    let p = p * r + 8.333_452e-3;
    let p = p * r + 4.166_579_6e-2;
    let p = p * r + 1.666_666_5e-1;
    let p = p * r + 0.5;
    let e = p * r * r + r + 1.0;
    // 2^n by building the exponent bits from n's bits in `shifted`.
    let n_bits = shifted.to_bits().wrapping_sub(SHIFT.to_bits());
    e * f32::from_bits(n_bits.wrapping_add(127) << 23)
}

/// atan(x) within ~2 ulp for every finite x; NaN stays NaN.
#[inline(always)]
pub fn atan_f32(x: f32) -> f32 {
    let ax = x.abs();
    // Reduce to |x| <= tan(pi/8): atan(x) = pi/2 + atan(-1/x) above
    // tan(3pi/8), pi/4 + atan((x-1)/(x+1)) between.
    let big = ax > 2.414_213_6;
    let mid = ax > 0.414_213_57;
    let (num, den, base) = if big {
        (-1.0, ax, FRAC_PI_2)
    } else if mid {
        (ax - 1.0, ax + 1.0, FRAC_PI_4)
    } else {
        (ax, 1.0, 0.0)
    };
    let t = num / den;
    let z = t * t;
    let p = 8.053_744_5e-2;
    let p = p * z - 1.387_768_6e-1;
    let p = p * z + 1.997_771_1e-1;
    let p = p * z - 3.333_295e-1;
    let y = base + (p * z * t + t);
    y.copysign(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(a: f32, b: f64) -> f64 {
        ((a as f64 - b) / (b.abs() * f32::EPSILON as f64).max(f32::MIN_POSITIVE as f64)).abs()
    }

    #[test]
    fn exp_is_within_a_few_ulp_over_the_range_the_clamp_allows() {
        let mut worst: f64 = 0.0;
        for i in -200_000..=200_000 {
            let x = i as f32 * 1e-4 * 3.0;
            worst = worst.max(ulps(exp_f32(x), (x as f64).exp()));
        }
        assert!(worst <= 3.0, "worst error {worst} ulp");
        assert_eq!(exp_f32(0.0), 1.0);
        assert!(exp_f32(200.0).is_finite() && exp_f32(-200.0) >= 0.0);
    }

    #[test]
    fn atan_is_within_a_few_ulp_everywhere() {
        let mut worst: f64 = 0.0;
        for i in -400_000..=400_000 {
            let x = (i as f32 * 1e-4).powi(3);
            worst = worst.max(ulps(atan_f32(x), (x as f64).atan()));
        }
        assert!(worst <= 3.0, "worst error {worst} ulp");
        assert_eq!(atan_f32(0.0), 0.0);
        assert!((atan_f32(f32::MAX) - FRAC_PI_2).abs() < 1e-7);
        assert!(atan_f32(f32::NAN).is_nan());
    }
}
