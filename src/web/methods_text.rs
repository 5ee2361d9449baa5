//! What the page says of the line-up: each method's caption, built from the
//! scores of the answer it sits under (so that it says what the panel
//! shows), the cost chart's lines and crossing points, and the cGAN's
//! loss chart in words.

use crate::metrics::LabelScore;
use crate::problem::Problem;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The methods of the methods worker: key, name, short name (for the
/// cost chart's legend), and whether it trains.
const LINEUP: [(&str, &str, &str, bool); 4] = [
    ("mcmc", "MCMC (Metropolis–Hastings)", "MCMC", false),
    (
        "mean-variance",
        "Mean–variance network",
        "Mean–variance",
        true,
    ),
    ("variational", "Variational weights", "Variational", true),
    ("cgan", "Conditional GAN", "cGAN", true),
];

/// A method of [`LINEUP`], as the page reads it.
#[derive(Serialize)]
struct Entry {
    key: &'static str,
    name: &'static str,
    short: &'static str,
    trains: bool,
}

/// [`LINEUP`] as JSON.
pub fn lineup_json() -> String {
    let rows = LINEUP.map(|(key, name, short, trains)| Entry {
        key,
        name,
        short,
        trains,
    });
    serde_json::to_string(&rows).unwrap_or_default()
}

/// What a caption is built from.
pub struct Facts<'a> {
    pub problem: &'a dyn Problem,
    pub label: usize,
    pub score: &'a LabelScore,
    /// MCMC: the number of chains and the largest R-hat.
    pub chains: Option<(usize, f64)>,
}

fn percent(v: f64) -> String {
    format!("{:.1}%", 100.0 * v)
}

/// A mode counts as dropped when it gets less than this share of the mass
/// the exact posterior gives it.
const DROPPED: f64 = 0.25;

/// The caption of `method`'s answer: what the method does, then what this
/// answer shows of it.
pub fn caption(method: &str, f: &Facts) -> String {
    let s = f.score;
    let k = f
        .problem
        .modes()
        .iter()
        .filter(|m| m.label == f.label)
        .count();
    let none = (1.0 - s.in_correct - s.in_wrong).max(0.0);
    let reached = s
        .modes
        .iter()
        .filter(|m| m.mass >= DROPPED * m.expected_mass)
        .count();
    let shares = format!(
        "{} in a correct mode, {} in a wrong one, {} in none",
        percent(s.in_correct),
        percent(s.in_wrong),
        percent(none)
    );
    let shape = shape(s);
    let modes = if k == 1 {
        "This colour has one mode".to_string()
    } else {
        format!("This colour has {k} modes")
    };
    match method {
        "mcmc" => {
            let (chains, r_hat) = f.chains.unwrap_or((1, f64::NAN));
            let what = format!(
                "{chains} random-walk chain{} on p(x | y*), each from a prior draw, its step tuned during burn-in; every new observation is paid for again in density evaluations.",
                if chains == 1 { "" } else { "s" }
            );
            let shares_off = (100.0 * s.max_mass_error).round();
            let seen = if k == 1 {
                format!("{modes}, and the chains find it ({}).", percent(s.in_correct))
            } else if chains == 1 {
                format!(
                    "{modes}; the one chain visits {reached} of them, so the shares are off by up to {shares_off} points: a random walk rarely crosses the empty space between modes."
                )
            } else if r_hat.is_nan() || r_hat > 1.1 {
                format!(
                    "{modes}; the chains reach {reached} of them and disagree (R-hat {r_hat:.1}): a chain rarely leaves the mode it finds first, so each mode's share is about that of the chains that found it, off by up to {shares_off} points here. Many chains even the shares out, at more evaluations."
                )
            } else {
                format!(
                    "{modes}; the chains agree (R-hat {r_hat:.2}) and the shares are off by up to {shares_off} points."
                )
            };
            format!("{what} {seen}{shape}")
        }
        "mean-variance" => {
            let what = "One axis-aligned Gaussian per observation, fitted by maximum likelihood.";
            let seen = if k == 1 {
                format!("{modes}, which one Gaussian can hold: {shares}.")
            } else {
                format!("{modes}; one Gaussian stretches over them: {shares}.")
            };
            format!("{what} {seen}{shape}")
        }
        "variational" => format!(
            "A network with a Gaussian over each weight and a learned output noise; each sample draws new weights and noise. {modes}: {shares}.{shape}"
        ),
        _ => {
            let what = "A generator G(z, y*) trained against a discriminator; each sample is one pass with a fresh z.";
            let seen = if k == 1 {
                format!("{modes}: {shares}.")
            } else {
                format!(
                    "{modes}; it reaches {reached} of them with at least {} of its share: {shares}.",
                    percent(DROPPED)
                )
            };
            format!("{what} {seen}{shape}")
        }
    }
}

/// A sentence on the widths of the modes the samples reach (a spread
/// ratio outside [0.8, 1.25]) and on MMD² far above its floor; empty when
/// neither applies.
fn shape(s: &LabelScore) -> String {
    let ratios: Vec<f64> = s
        .modes
        .iter()
        .filter(|m| m.mass >= DROPPED * m.expected_mass && m.spread_ratio.is_finite())
        .map(|m| m.spread_ratio)
        .collect();
    let (lo, hi) = ratios.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &r| {
        (lo.min(r), hi.max(r))
    });
    let mut out = String::new();
    if lo < 0.8 {
        out += &format!(" A mode it reaches is too narrow ({lo:.2} times the exact width).");
    }
    if hi > 1.25 {
        out += &format!(" A mode it reaches is too wide ({hi:.2} times the exact width).");
    }
    if let (Some(m), Some(f)) = (s.mmd2, s.mmd2_floor) {
        if m > 3.0 * f {
            out += &format!(" MMD² is {:.0} times its floor.", m / f);
        }
    }
    out
}

/// A method's measured cost, as the page sends it to [`cost_chart`].
struct Measured<'a> {
    name: &'a str,
    /// Seconds paid once, before the first query (0 for a method that
    /// pays per query).
    training_seconds: f64,
    seconds_per_query: f64,
}

/// A line of the cost chart.
#[derive(Serialize)]
struct Line {
    name: String,
    /// `[K, seconds]` pairs.
    points: Vec<[f64; 2]>,
}

/// What [`cost_chart`] gives the page.
#[derive(Serialize)]
struct Chart {
    lines: Vec<Line>,
    crossings: Vec<Crossing>,
}

/// Where a method that pays once meets one that pays per query.
#[derive(Serialize)]
struct Crossing {
    paid_once: String,
    per_query: String,
    k: f64,
    seconds: f64,
}

/// Total seconds of answering K different observations, for K from 1 to
/// `k_max` (log-spaced), of each method (`names`, one per line, with its
/// training seconds and seconds per query at the same index): training
/// once, then each query. Returns `{lines, crossings}` as JSON, the
/// crossings of a line that pays once with one that pays per query inside
/// [1, k_max].
#[wasm_bindgen(js_name = costChart)]
pub fn cost_chart(
    names: &str,
    training_seconds: &[f64],
    seconds_per_query: &[f64],
    k_max: f64,
) -> Result<String, JsError> {
    let names: Vec<&str> = names.lines().collect();
    if names.len() != training_seconds.len() || names.len() != seconds_per_query.len() {
        return Err(JsError::new(&format!(
            "{} names, {} training times and {} query times do not match",
            names.len(),
            training_seconds.len(),
            seconds_per_query.len()
        )));
    }
    let ms: Vec<Measured> = names
        .iter()
        .zip(training_seconds.iter().zip(seconds_per_query))
        .map(|(&name, (&t, &q))| Measured {
            name,
            training_seconds: t,
            seconds_per_query: q,
        })
        .collect();
    let total = |m: &Measured, k: f64| m.training_seconds + k * m.seconds_per_query;
    let ks: Vec<f64> = (0..=60).map(|i| k_max.powf(f64::from(i) / 60.0)).collect();
    let lines: Vec<Line> = ms
        .iter()
        .map(|m| Line {
            name: m.name.to_string(),
            points: ks.iter().map(|&k| [k, total(m, k)]).collect(),
        })
        .collect();
    let mut crossings = Vec::new();
    for a in ms.iter().filter(|m| m.training_seconds > 0.0) {
        for b in ms.iter().filter(|m| m.training_seconds == 0.0) {
            let slower = b.seconds_per_query - a.seconds_per_query;
            if slower <= 0.0 {
                continue;
            }
            let k = a.training_seconds / slower;
            if (1.0..=k_max).contains(&k) {
                crossings.push(Crossing {
                    paid_once: a.name.to_string(),
                    per_query: b.name.to_string(),
                    k,
                    seconds: total(a, k),
                });
            }
        }
    }
    serde_json::to_string(&Chart { lines, crossings }).map_err(|e| JsError::new(&e.to_string()))
}

/// The cGAN's loss chart in words: the steps trained of `planned` in
/// `seconds` (`done` once they all are) and the generator's and
/// discriminator's losses at the last step. `rows`: `[step, generator,
/// discriminator]` per step, as the training gives them.
#[wasm_bindgen(js_name = ganLossesText)]
pub fn gan_losses_text(rows: &[f32], planned: f64, seconds: f64, done: bool) -> String {
    let Some([step, generator, discriminator]) =
        rows.rchunks_exact(3).next().map(|r| [r[0], r[1], r[2]])
    else {
        return "No training steps yet.".into();
    };
    let when = if done { "Trained" } else { "Training" };
    format!(
        "{when}: step {step} of {planned} in {seconds:.1} s; the last step's losses: generator {generator:.3}, discriminator {discriminator:.3}. When the generator's answers match the data, the best discriminator says 1/2 everywhere: its loss is then 2 ln 2 = 1.386 and the generator's ln 2 = 0.693."
    )
}
