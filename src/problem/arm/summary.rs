//! The arm's views in words, for a screen reader: what a fan of arms and
//! each coordinate's marginal show, in numbers. The page puts these texts
//! beside the canvases and refreshes them with each drawing.

use super::{Marginal, RobotArm};
use crate::error::Error;
use std::fmt::Write;

/// A fan's spread is told by its middle 80%: the 10th to 90th percentile.
const MIDDLE: [f64; 2] = [0.1, 0.9];

/// The 10th and 90th percentiles (nearest rank) of column `i` of `arms`.
fn middle(arms: &[f64], i: usize) -> [f64; 2] {
    let mut v: Vec<f64> = arms.chunks_exact(4).map(|x| x[i]).collect();
    crate::metrics::sort_floats(&mut v);
    MIDDLE.map(|p| v[((v.len() - 1) as f64 * p).round() as usize])
}

/// A fan of arms (`arms`: 4 numbers, x1..x4, per arm) named `name`, in
/// words: how many arms, where the middle 80% of their bases sit on the
/// rail and at which angles their first segments leave it, and the mean
/// of their tips.
pub fn fan_text(name: &str, arms: &[f64]) -> Result<String, Error> {
    if !arms.len().is_multiple_of(4) {
        return Err(Error::InvalidArgument(format!(
            "{name}: arms must be whole 4-entry draws, got {} numbers",
            arms.len()
        )));
    }
    let n = arms.len() / 4;
    if n == 0 {
        return Ok(format!("{name}: no arms yet."));
    }
    let [b0, b1] = middle(arms, 0);
    let [a0, a1] = middle(arms, 1);
    let [t0, t1] = arms
        .chunks_exact(4)
        .map(RobotArm::tip)
        .fold([0.0; 2], |t, p| [t[0] + p[0], t[1] + p[1]])
        .map(|s| s / n as f64);
    Ok(format!(
        "{name}: {n} arms; the middle 80% of their bases sit at heights {b0:.2} to {b1:.2} on the rail, and the middle 80% of their first segments leave it at {a0:.2} to {a1:.2} rad from the horizontal; their tips' mean is ({t0:.2}, {t1:.2})."
    ))
}

/// Each coordinate's marginal in words: the mean ± standard deviation of
/// the `draws` exact draws (`exact`: their marginals) against each
/// method's (`series`: a name and its marginals against the exact draws).
pub fn marginals_text(
    exact: &[Marginal],
    draws: usize,
    series: &[(&str, Vec<Marginal>)],
) -> String {
    let mut out = format!(
        "Each coordinate's mean ± standard deviation: the exact posterior's ({draws} draws)"
    );
    out += if series.is_empty() {
        ", and no method's yet."
    } else {
        " against each method's."
    };
    for (i, m) in exact.iter().enumerate() {
        let _ = write!(out, " {}: exact {:.2} ± {:.2}", m.name, m.mean, m.std);
        for (name, ms) in series {
            let _ = write!(out, ", {name} {:.2} ± {:.2}", ms[i].mean, ms[i].std);
        }
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::marginals;
    use super::*;

    /// Arms straight out from the rail at heights 0.00, 0.01, ..., 1.00.
    fn straight() -> Vec<f64> {
        (0..=100)
            .flat_map(|k| [k as f64 / 100.0, 0.0, 0.0, 0.0])
            .collect()
    }

    #[test]
    fn a_fan_is_told_by_its_bases_first_angles_and_tips() {
        let arms = straight();
        assert_eq!(
            fan_text("Exact", &arms).unwrap(),
            "Exact: 101 arms; the middle 80% of their bases sit at heights 0.10 to 0.90 on the \
             rail, and the middle 80% of their first segments leave it at 0.00 to 0.00 rad from \
             the horizontal; their tips' \
             mean is (2.00, 0.50)."
        );
        assert_eq!(fan_text("INN", &[]).unwrap(), "INN: no arms yet.");
        assert!(fan_text("Exact", &arms[..5]).is_err());
    }

    #[test]
    fn the_marginals_give_each_methods_moments_beside_the_exact_ones() {
        let exact = straight();
        let shifted: Vec<f64> = exact.iter().map(|v| v + 1.0).collect();
        let own = marginals(&exact, &exact, 10).unwrap();
        let series = vec![("ABC", marginals(&shifted, &exact, 10).unwrap())];
        let t = marginals_text(&own, 101, &series);
        let std = own[0].std;
        assert!((std - 0.2915).abs() < 1e-3, "{std}");
        assert!(t.starts_with("Each coordinate's mean ± standard deviation: the exact posterior's (101 draws) against each method's. x1 rail height: exact 0.50 ± 0.29, ABC 1.50 ± 0.29."), "{t}");
        assert!(
            t.ends_with("x4 joint 3: exact 0.00 ± 0.00, ABC 1.00 ± 0.00."),
            "{t}"
        );
        assert!(marginals_text(&own, 101, &[])
            .contains("and no method's yet. x1 rail height: exact 0.50"));
    }
}
