//! What each latent dimension carries. With a network wider than x, part
//! of its input is padding noise, and with more latent dimensions than x
//! has, some of z can only come from that noise: x (of dimension d) can
//! fill at most d of z's unit variances. The page says which.

/// A latent dimension reads as carrying x when the padding explains at
/// most this share of its variance...
const CARRIES_X: f64 = 0.2;
/// ...and as carrying only the padding's noise from this share on.
const PADDING_ONLY: f64 = 0.8;

/// The share of each latent dimension's variance that the padding
/// explains, from `draws` forward passes of the same `n` points with fresh
/// padding each: `z[d]` holds draw `d`'s `n x ndim_z` codes. The mean over
/// points of a dimension's variance across the draws, over its variance
/// across everything: near 0 when z_i is a function of x, near 1 when it
/// is the padding's noise alone.
pub fn padding_share(z: &[Vec<f64>], ndim_z: usize) -> Vec<f64> {
    let draws = z.len() as f64;
    let n = z.first().map_or(0, |d| d.len() / ndim_z.max(1));
    (0..ndim_z)
        .map(|j| {
            let (mut within, mut sum, mut sq) = (0.0, 0.0, 0.0);
            for i in 0..n {
                let (mut s, mut q) = (0.0, 0.0);
                for d in z {
                    let v = d[i * ndim_z + j];
                    s += v;
                    q += v * v;
                }
                within += q / draws - (s / draws).powi(2);
                sum += s;
                sq += q;
            }
            let all = n as f64 * draws;
            let total = sq / all - (sum / all).powi(2);
            if total > 0.0 {
                (within / n as f64 / total).clamp(0.0, 1.0)
            } else {
                0.0
            }
        })
        .collect()
}

/// One sentence on what z's dimensions carry, from their padding shares
/// and the dimension of x.
pub fn roles_text(shares: &[f64], ndim_x: usize) -> String {
    let names = |pick: &dyn Fn(f64) -> bool| -> Vec<String> {
        (0..shares.len())
            .filter(|&j| pick(shares[j]))
            .map(|j| format!("z{}", j + 1))
            .collect()
    };
    let carry = names(&|s| s <= CARRIES_X);
    let noise = names(&|s| s >= PADDING_ONLY);
    let mixed = names(&|s| s > CARRIES_X && s < PADDING_ONLY);
    let each = shares
        .iter()
        .enumerate()
        .map(|(j, s)| format!("z{} {:.0}%", j + 1, 100.0 * s))
        .collect::<Vec<_>>()
        .join(", ");
    let parts: Vec<String> = [
        (carry, "x"),
        (noise, "only the padding's noise"),
        (mixed, "a mix of both"),
    ]
    .into_iter()
    .filter(|(names, _)| !names.is_empty())
    .map(|(names, what)| {
        let verb = if names.len() == 1 { "carries" } else { "carry" };
        format!("{} {verb} {what}", names.join(", "))
    })
    .collect();
    let total: f64 = shares.iter().sum();
    format!(
        "{} (the padding's share of each one's variance: {each}). x has {ndim_x} dimensions, so it can fill at most {} of z's {}: the padding's noise fills {total:.1}.",
        parts.join("; "),
        ndim_x.min(shares.len()),
        shares.len(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    /// Codes whose first dimension is a function of the point and whose
    /// second is fresh noise in every draw.
    #[test]
    fn a_function_of_x_has_share_zero_and_fresh_noise_share_one() {
        let mut rng = Rng::new(5);
        let x: Vec<f64> = (0..500).map(|_| rng.normal()).collect();
        let z: Vec<Vec<f64>> = (0..6)
            .map(|_| x.iter().flat_map(|&v| [v, rng.normal()]).collect())
            .collect();
        let s = padding_share(&z, 2);
        assert!(s[0] < 1e-12, "{s:?}");
        assert!((s[1] - 1.0).abs() < 0.25, "{s:?}");
        let text = roles_text(&s, 1);
        assert!(
            text.starts_with("z1 carries x; z2 carries only the padding's noise"),
            "{text}"
        );
    }

    #[test]
    fn half_and_half_reads_as_a_mix() {
        let mut rng = Rng::new(6);
        let x: Vec<f64> = (0..2000).map(|_| rng.normal()).collect();
        let z: Vec<Vec<f64>> = (0..8)
            .map(|_| x.iter().map(|&v| v + rng.normal()).collect())
            .collect();
        let s = padding_share(&z, 1);
        assert!((s[0] - 0.5).abs() < 0.1, "{s:?}");
        assert!(roles_text(&s, 2).starts_with("z1 carries a mix of both"));
    }
}
