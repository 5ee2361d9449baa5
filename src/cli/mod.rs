//! The `inn` command line: train headless, export a model for the page,
//! sample, evaluate, and run the other methods (`baseline`). Errors are one line on
//! stderr and exit code 2; nothing here panics on user input.

mod baseline;
mod flags;

use crate::evaluate::evaluate_latent;
use crate::fidelity::{self, Verdict};
use crate::hash::{read_link, PageState};
use crate::linalg::with_browser_arithmetic;
use crate::metrics::LatentHealth;
use crate::model_file::ModelFile;
use crate::train::{SampleNoise, Trainer};
use crate::{Preset, TrainConfig};
use flags::{labels, number, observation, parse_flags, problem_kind, required, split_sets, Flags};
use serde::Serialize;
use std::io::Write;
use std::time::Instant;

/// Usage text.
pub const USAGE: &str = "\
usage:
  inn train --preset fast|paper|forward-only|backward-only|arm [--problem mixture|arm] [--labels all|some|none] --seed N [--set key=value ...] [--steps N] --out model.json
  inn train --link 'preset=fast&labels=some&seed=1' [--set key=value ...] [--steps N] [--browser-arithmetic] --out model.json
  inn sample --model model.json (--label L | --y Y1,Y2) --n N [--seed N] [--noise F]
  inn eval --model model.json [--y Y1,Y2]
  inn abc --labels all|some|none --label L --n N [--eps E | --nearest] [--budget N] [--seed N]
  inn baseline --method abc|mcmc|mean-variance|variational|cgan (--labels all|some|none --label L | --problem arm --y Y1,Y2) --n N [--seed N] [--budget N] [--chains K] [--steps N] [--eps E]
The arm's y is the tip's position; the mixture's label is a colour (--labels defaults to some).";

/// Runs the command line `args` (without the program name); returns the
/// exit code.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match dispatch(args, out, err) {
        Ok(()) => 0,
        Err(msg) => {
            let _ = writeln!(err, "inn: {msg}");
            if msg.starts_with("usage") || msg.contains("--help") {
                let _ = writeln!(err, "{USAGE}");
            }
            2
        }
    }
}

fn load_model(f: &Flags, err: &mut dyn Write) -> Result<Trainer, String> {
    let path = required(f, "model")?;
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    if meta.len() > crate::model_file::MAX_BYTES as u64 {
        return Err(format!(
            "{path}: bad model file: {} bytes is too large",
            meta.len()
        ));
    }
    let text = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let text =
        String::from_utf8(text).map_err(|_| format!("{path}: bad model file: not UTF-8 text"))?;
    let file = ModelFile::parse(&text).map_err(|e| format!("{path}: {e}"))?;
    if let Some(notice) = file.engine_notice() {
        let _ = writeln!(err, "inn: {path}: {notice}");
    }
    file.into_trainer().map_err(|e| format!("{path}: {e}"))
}

/// Writes to stdout; a reader that went away (`inn sample | head`) is not
/// an error.
fn emit(out: &mut dyn Write, bytes: &[u8]) -> Result<(), String> {
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write output: {e}"))
        }
        _ => Ok(()),
    }
}

/// Writes samples of `dim` values each as CSV with the header `x0,x1,...`.
fn write_csv(out: &mut dyn Write, samples: &[f64], dim: usize) -> Result<(), String> {
    let mut text = String::with_capacity(samples.len() * 12 + 8);
    let header: Vec<String> = (0..dim).map(|j| format!("x{j}")).collect();
    text.push_str(&header.join(","));
    text.push('\n');
    for p in samples.chunks_exact(dim) {
        let row: Vec<String> = p.iter().map(f64::to_string).collect();
        text.push_str(&row.join(","));
        text.push('\n');
    }
    emit(out, text.as_bytes())
}

fn dispatch(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Result<(), String> {
    let Some((cmd, rest)) = args.split_first() else {
        return Err("usage: no command given (see --help)".into());
    };
    // `inn <command> --help` asks for the usage as `inn --help` does.
    let asks_help = rest.iter().any(|a| a == "--help" || a == "-h");
    match cmd.as_str() {
        _ if asks_help => {
            let _ = writeln!(out, "{USAGE}");
            Ok(())
        }
        "--help" | "-h" | "help" => {
            let _ = writeln!(out, "{USAGE}");
            Ok(())
        }
        "train" => train(rest, err),
        "sample" => {
            let f = parse_flags(rest, &["model", "label", "y", "n", "seed", "noise"], &[])?;
            let mut t = load_model(&f, err)?;
            let y_star = observation(t.problem(), &f)?;
            let n: usize = number(&f, "n", None)?;
            if n == 0 || n > 10_000_000 {
                return Err(format!("--n must be in 1..=10000000, got {n}"));
            }
            let noise = SampleNoise(number(&f, "noise", Some(1.0))?);
            let s = t
                .sample_posterior(&y_star, n, number(&f, "seed", Some(1))?, noise)
                .map_err(|e| e.to_string())?;
            let dim = t.config().ndim_x;
            write_csv(
                out,
                &s.iter().map(|&v| f64::from(v)).collect::<Vec<_>>(),
                dim,
            )
        }
        "eval" => {
            let f = parse_flags(rest, &["model", "y"], &[])?;
            let mut t = load_model(&f, err)?;
            if f.contains_key("y") {
                let y_star = observation(t.problem(), &f)?;
                return eval_observation(&mut t, &y_star, out);
            }
            eval(&mut t, out, err)
        }
        "abc" => baseline::abc(rest, out, err),
        "baseline" => baseline::baseline(rest, out, err),
        other => Err(format!("unknown command '{other}' (see --help)")),
    }
}

/// The fidelity verdict on a trained model, with its scores and the
/// latent space's health, as JSON on `out`; the verdict in words on `err`.
fn eval(t: &mut Trainer, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), String> {
    /// What `inn eval` prints.
    #[derive(Serialize)]
    struct Report {
        #[serde(flatten)]
        verdict: Verdict,
        /// Moments of f_z(x) over prior points.
        latent: Option<LatentHealth>,
    }
    let seed = t.config().seed;
    let verdict = fidelity::verdict(t, seed);
    let latent = evaluate_latent(t, fidelity::SAMPLES_PER_LABEL, fidelity::score_seed(seed));
    let failures = verdict.failures();
    let json =
        serde_json::to_string_pretty(&Report { verdict, latent }).map_err(|e| e.to_string())?;
    emit(out, format!("{json}\n").as_bytes())?;
    let _ = if failures.is_empty() {
        writeln!(err, "inn: the model clears the fidelity bar")
    } else {
        writeln!(
            err,
            "inn: the model misses the fidelity bar: {}",
            failures.join("; ")
        )
    };
    Ok(())
}

/// The scores of a trained model's samples for one observation, as JSON
/// on `out`: [`fidelity::SAMPLES_PER_TARGET`] samples against as many
/// exact ones, drawn as the verdict draws its first target's.
fn eval_observation(t: &mut Trainer, y_star: &[f64], out: &mut dyn Write) -> Result<(), String> {
    let seed = fidelity::score_seed(t.config().seed);
    let score = crate::evaluate::evaluate_observation(
        t,
        y_star,
        fidelity::SAMPLES_PER_TARGET,
        seed,
        SampleNoise::default(),
    )
    .map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(&score).map_err(|e| e.to_string())?;
    emit(out, format!("{json}\n").as_bytes())
}

/// The configuration `inn train` runs: the one a page link describes
/// (`--link`, read as the page reads it: a lesson step's link brings its
/// step's settings, and each adjustment is reported on `err`), or a
/// preset's; then each `--set`, checked
/// strictly against the table of settings.
fn train_config(
    f: &Flags,
    sets: &[(String, String)],
    err: &mut dyn Write,
) -> Result<TrainConfig, String> {
    let mut state = base_state(f, err)?;
    for (k, v) in sets {
        crate::config::set_setting(&mut state, k, v).map_err(|e| format!("--set {k}={v}: {e}"))?;
    }
    Ok(state.config)
}

/// The state `inn train` starts from, before `--set`.
fn base_state(f: &Flags, err: &mut dyn Write) -> Result<PageState, String> {
    if let Some(link) = f.get("link") {
        if let Some(k) = ["preset", "labels", "seed", "problem"]
            .iter()
            .find(|k| f.contains_key(**k))
        {
            return Err(format!("--link gives the whole configuration: drop --{k}"));
        }
        let (state, _, notices) = read_link(link);
        for n in notices {
            let _ = writeln!(err, "inn: the link was adjusted: {n}");
        }
        return Ok(state);
    }
    let name = required(f, "preset")?;
    let preset = Preset::parse(name).ok_or_else(|| {
        format!("--preset must be fast, paper, forward-only, backward-only or arm, got '{name}'")
    })?;
    let mut state = PageState::for_preset(preset, labels(f)?, number(f, "seed", None)?);
    if f.contains_key("problem") {
        state.config.problem = problem_kind(f)?;
    }
    Ok(state)
}

fn train(args: &[String], err: &mut dyn Write) -> Result<(), String> {
    let (args, sets) = split_sets(args)?;
    let f = parse_flags(
        &args,
        &[
            "preset", "problem", "labels", "seed", "link", "steps", "out",
        ],
        &["quiet", "browser-arithmetic"],
    )?;
    let config = train_config(&f, &sets, err)?;
    let steps: u64 = number(&f, "steps", Some(config.steps as u64))?;
    let path = required(&f, "out")?;
    if f.contains_key("browser-arithmetic") {
        with_browser_arithmetic(|| train_steps(&f, &config, steps, path, err))
    } else {
        train_steps(&f, &config, steps, path, err)
    }
}

/// Trains `config` for `steps` steps, reporting progress on `err`, and
/// writes the model file to `path`.
fn train_steps(
    f: &Flags,
    config: &TrainConfig,
    steps: u64,
    path: &str,
    err: &mut dyn Write,
) -> Result<(), String> {
    let mut t: Trainer = Trainer::new(config).map_err(|e| e.to_string())?;
    // Fail on an unwritable path before spending minutes training.
    std::fs::write(path, b"").map_err(|e| format!("cannot write {path}: {e}"))?;
    let quiet = f.contains_key("quiet");
    let start = Instant::now();
    let mut last_print = 0.0;
    for i in 1..=steps {
        let r = t.step().map_err(|e| e.to_string())?;
        let now = start.elapsed().as_secs_f64();
        if !quiet && (now - last_print > 0.5 || i == steps) {
            last_print = now;
            let l = r.losses;
            let _ = writeln!(
                err,
                "step {i}/{steps}  loss {:.4} (y {:.4} z {:.4} x {:.4} rec {:.4} ml {:.4})  {:.0} steps/s",
                l.total,
                l.y,
                l.z,
                l.x,
                l.rec,
                l.ml,
                i as f64 / now.max(1e-9)
            );
        }
    }
    std::fs::write(path, ModelFile::from_trainer(&t).to_json())
        .map_err(|e| format!("cannot write {path}: {e}"))?;
    let _ = writeln!(
        err,
        "wrote {path} after {steps} steps in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LabelMap;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn set_changes_one_setting_through_the_table_and_refuses_bad_values() {
        let (rest, sets) = split_sets(&args(&[
            "--preset", "fast", "--set", "lr=0.005", "--labels", "all", "--set", "on_ml=1",
            "--seed", "3",
        ]))
        .unwrap();
        let f = parse_flags(&rest, &["preset", "labels", "seed"], &[]).unwrap();
        let c = train_config(&f, &sets, &mut Vec::new()).unwrap();
        let mut want = Preset::Fast.config(LabelMap::All, 3);
        want.lr = 0.005;
        want.losses.ml.on = true;
        assert_eq!(c, want);
        let bad = [("lr".to_string(), "-1".to_string())];
        assert_eq!(
            train_config(&f, &bad, &mut Vec::new()).unwrap_err(),
            "--set lr=-1: lr must be in (0, 10], got -1"
        );
        assert!(split_sets(&args(&["--set", "lr"])).is_err());
        assert!(split_sets(&args(&["--set"])).is_err());
    }
}
