//! Convergence diagnostics of Markov chains, per coordinate (Gelman et al.,
//! "Bayesian Data Analysis", 3rd ed., section 11.4-11.5): split R-hat and
//! the effective sample size from the chains' autocorrelations.

/// Mean and unbiased variance.
fn moments(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var)
}

/// Within-chain variance W and the pooled estimate var+ of the target's
/// variance, over `chains` of equal length (at least 2).
fn variances(chains: &[&[f64]]) -> (f64, f64) {
    let len = chains[0].len() as f64;
    let stats: Vec<(f64, f64)> = chains.iter().map(|c| moments(c)).collect();
    let w = stats.iter().map(|s| s.1).sum::<f64>() / stats.len() as f64;
    let means: Vec<f64> = stats.iter().map(|s| s.0).collect();
    let b = if means.len() > 1 {
        len * moments(&means).1
    } else {
        0.0
    };
    (w, (len - 1.0) / len * w + b / len)
}

/// Split R-hat: each chain cut in halves, so that one chain that drifts is
/// caught as well as chains that disagree. About 1 when the chains have
/// mixed; NaN when they are too short (fewer than 4 draws) or never moved.
pub fn split_r_hat(chains: &[Vec<f64>]) -> f64 {
    let half = chains.first().map_or(0, |c| c.len() / 2);
    if half < 2 {
        return f64::NAN;
    }
    let halves: Vec<&[f64]> = chains
        .iter()
        .flat_map(|c| [&c[..half], &c[c.len() - half..]])
        .collect();
    let (w, var_plus) = variances(&halves);
    if w > 0.0 {
        (var_plus / w).sqrt()
    } else {
        f64::NAN
    }
}

/// Effective sample size over all chains, from the chains' mean
/// autocorrelation, summed in pairs while the pairs stay positive (Geyer's
/// initial positive sequence). NaN when the chains are too short or never
/// moved.
pub fn effective_sample_size(chains: &[Vec<f64>]) -> f64 {
    let len = chains.first().map_or(0, Vec::len);
    if len < 4 {
        return f64::NAN;
    }
    let refs: Vec<&[f64]> = chains.iter().map(Vec::as_slice).collect();
    let (w, var_plus) = variances(&refs);
    if w.is_nan() || w <= 0.0 {
        return f64::NAN;
    }
    let centred: Vec<Vec<f64>> = chains
        .iter()
        .map(|c| {
            let m = c.iter().sum::<f64>() / len as f64;
            c.iter().map(|x| x - m).collect()
        })
        .collect();
    // rho_t = 1 - (W - mean autocovariance at lag t) / var+.
    let rho = |t: usize| {
        let acov = centred
            .iter()
            .map(|c| (0..len - t).map(|i| c[i] * c[i + t]).sum::<f64>() / len as f64)
            .sum::<f64>()
            / chains.len() as f64;
        1.0 - (w - acov) / var_plus
    };
    let mut tau = -1.0;
    let mut t = 0;
    while t + 1 < len {
        let pair = if t == 0 {
            1.0 + rho(1)
        } else {
            rho(t) + rho(t + 1)
        };
        if pair <= 0.0 {
            break;
        }
        tau += 2.0 * pair;
        t += 2;
    }
    (chains.len() * len) as f64 / tau.max(1e-12)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    /// An AR(1) chain x' = a x + sqrt(1 - a^2) e around `mean`: unit
    /// variance, effective size n (1 - a) / (1 + a).
    fn ar1(seed: u64, n: usize, a: f64, mean: f64) -> Vec<f64> {
        let mut rng = Rng::new(seed);
        let mut x = rng.normal();
        (0..n)
            .map(|_| {
                x = a * x + (1.0 - a * a).sqrt() * rng.normal();
                mean + x
            })
            .collect()
    }

    #[test]
    fn mixed_chains_read_one_and_their_effective_size() {
        let chains: Vec<Vec<f64>> = (0..4).map(|s| ar1(s, 5000, 0.8, 0.0)).collect();
        let r = split_r_hat(&chains);
        assert!((r - 1.0).abs() < 0.01, "{r}");
        // 20 000 draws at a = 0.8: about 20 000 / 9.
        let ess = effective_sample_size(&chains);
        assert!((1700.0..2800.0).contains(&ess), "{ess}");
        let independent: Vec<Vec<f64>> = (0..4).map(|s| ar1(s, 5000, 0.0, 0.0)).collect();
        let ess = effective_sample_size(&independent);
        assert!((17_000.0..23_000.0).contains(&ess), "{ess}");
    }

    #[test]
    fn chains_in_different_places_read_far_above_one() {
        let chains: Vec<Vec<f64>> = (0..4).map(|s| ar1(s, 2000, 0.5, 3.0 * s as f64)).collect();
        assert!(split_r_hat(&chains) > 2.0);
        // One chain that drifts halfway is caught by the split.
        let mut drift = ar1(9, 2000, 0.5, 0.0);
        drift[1000..].iter_mut().for_each(|x| *x += 4.0);
        assert!(split_r_hat(&[drift]) > 1.5);
    }

    #[test]
    fn chains_too_short_or_stuck_have_no_diagnosis() {
        assert!(split_r_hat(&[vec![1.0, 2.0, 3.0]]).is_nan());
        assert!(split_r_hat(&[vec![1.0; 100], vec![1.0; 100]]).is_nan());
        assert!(effective_sample_size(&[vec![0.5; 100]]).is_nan());
    }
}
