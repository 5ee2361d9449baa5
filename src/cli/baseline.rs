//! `inn abc` and `inn baseline`: the methods other than the INN from the
//! command line. Samples go to stdout as CSV, what they cost to stderr.

use super::flags::{number, observation, parse_flags, problem, required};
use super::write_csv;
use crate::baseline::{abc_rejection, AbcSettings, Acceptance};
use crate::method::{
    ask, Abc, Answer, Cgan, CganSettings, Mcmc, MeanVariance, MeanVarianceSettings, Method, Query,
    Variational, VariationalSettings,
};
use serde_json::json;
use std::io::Write;
use std::time::Instant;

pub fn abc(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Result<(), String> {
    let f = parse_flags(
        args,
        &[
            "problem", "labels", "label", "y", "n", "eps", "budget", "seed", "noise",
        ],
        &["nearest"],
    )?;
    let problem = problem(&f)?;
    let y_star = observation(problem.as_ref(), &f)?;
    let n: usize = number(&f, "n", None)?;
    let budget: usize = number(&f, "budget", Some(10_000_000))?;
    if n == 0 || budget == 0 || budget > 1_000_000_000 {
        return Err("--n and --budget must be positive (budget at most 1e9)".into());
    }
    let acceptance = if f.contains_key("nearest") {
        if f.contains_key("eps") {
            return Err("give either --eps or --nearest, not both".into());
        }
        if budget > 20_000_000 {
            return Err("--nearest keeps every simulation: --budget must be at most 2e7".into());
        }
        Acceptance::Nearest
    } else {
        Acceptance::Tolerance(number(&f, "eps", Some(0.5))?)
    };
    let settings = AbcSettings {
        n,
        acceptance,
        budget,
        // The mixture's labels carry no noise of their own; the arm's
        // simulator adds its observation noise already.
        obs_noise: number(
            &f,
            "noise",
            Some(if problem.n_labels() > 0 { 0.1 } else { 0.0 }),
        )?,
        seed: number(&f, "seed", Some(1))?,
    };
    let start = Instant::now();
    let r = abc_rejection(problem.as_ref(), &y_star, &settings).map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    write_csv(out, &r.samples, problem.ndim_x())?;
    let _ = writeln!(
        err,
        "abc: {} simulations, {} accepted, acceptance rate {:.4}, {:.3} s",
        r.simulations, r.accepted, r.acceptance_rate, secs
    );
    Ok(())
}

/// Trains `steps` steps of a network method with `step`, timing them.
fn train(steps: u64, mut step: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..steps {
        step();
    }
    start.elapsed().as_secs_f64()
}

/// `inn baseline --method M ...`: one query of method M for the label's
/// observation; the samples as CSV on `out`, one JSON line of the cost
/// record (and, for MCMC, its diagnostics) on `err`.
pub fn baseline(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Result<(), String> {
    let f = parse_flags(
        args,
        &[
            "method", "problem", "labels", "label", "y", "n", "seed", "budget", "chains", "steps",
            "eps",
        ],
        &[],
    )?;
    let method = required(&f, "method")?;
    let problem = problem(&f)?;
    let problem = problem.as_ref();
    let y_star = observation(problem, &f)?;
    let n: usize = number(&f, "n", Some(2000))?;
    if !(1..=1_000_000).contains(&n) {
        return Err(format!("--n must be in 1..=1000000, got {n}"));
    }
    let seed: u64 = number(&f, "seed", Some(1))?;
    let trained = ["mean-variance", "variational", "cgan"].contains(&method);
    let steps: u64 = number(&f, "steps", Some(default_steps(method)))?;
    if trained && !(1..=1_000_000).contains(&steps) {
        return Err(format!("--steps must be in 1..=1000000, got {steps}"));
    }
    let budget: u64 = number(
        &f,
        "budget",
        Some(if method == "abc" {
            10_000_000
        } else {
            1_000_000
        }),
    )?;
    if !(1..=1_000_000_000).contains(&budget) {
        return Err(format!("--budget must be in 1..=1000000000, got {budget}"));
    }
    let q = Query {
        y_star: &y_star,
        n,
        seed,
        budget,
    };
    let start = Instant::now();
    let clock = move || start.elapsed().as_secs_f64();
    let run = |m: &mut dyn Method| ask(m, problem, &q, &clock).map_err(|e| e.to_string());
    let mut extra = serde_json::Map::new();
    let (answer, train_s): (Answer, f64) = match method {
        "abc" => {
            let mut abc = Abc {
                acceptance: Acceptance::Tolerance(number(&f, "eps", Some(0.5))?),
                obs_noise: 0.1,
            };
            (run(&mut abc)?, 0.0)
        }
        "mcmc" => {
            let mcmc = Mcmc {
                chains: number(&f, "chains", Some(Mcmc::default().chains))?,
                ..Mcmc::default()
            };
            let started = clock();
            let chains = mcmc.run(problem, &q).map_err(|e| e.to_string())?;
            let mut answer = chains.answer(n, 2);
            answer.cost.seconds_per_query = clock() - started;
            extra.insert("acceptance_rate".into(), json!(chains.acceptance_rate));
            extra.insert("r_hat".into(), json!(chains.r_hat));
            extra.insert("ess".into(), json!(chains.ess));
            (answer, 0.0)
        }
        "mean-variance" => {
            let settings = MeanVarianceSettings {
                seed,
                ..MeanVarianceSettings::default()
            };
            let mut net: MeanVariance =
                MeanVariance::new(problem, settings).map_err(|e| e.to_string())?;
            let secs = train(steps, || {
                net.step(problem);
            });
            (run(&mut net)?, secs)
        }
        "variational" => {
            let settings = VariationalSettings {
                seed,
                steps,
                ..VariationalSettings::default()
            };
            let mut net: Variational =
                Variational::new(problem, settings).map_err(|e| e.to_string())?;
            let secs = train(steps, || {
                net.step(problem);
            });
            (run(&mut net)?, secs)
        }
        "cgan" => {
            let settings = CganSettings {
                seed,
                ..CganSettings::default()
            };
            let mut gan: Cgan = Cgan::new(problem, settings).map_err(|e| e.to_string())?;
            let secs = train(steps, || {
                gan.step(problem);
            });
            (run(&mut gan)?, secs)
        }
        other => {
            return Err(format!(
                "--method must be abc, mcmc, mean-variance, variational or cgan, got '{other}'"
            ))
        }
    };
    write_csv(out, &answer.samples, problem.ndim_x())?;
    let c = answer.cost;
    let mut record = json!({
        "method": method,
        "samples": answer.samples.len() / problem.ndim_x(),
        "simulations": c.simulations,
        "density_evals": c.density_evaluations,
        "network_evals": c.network_evaluations,
        "train_steps": c.training_steps,
        "train_s": train_s,
        "query_s": c.seconds_per_query,
        "amortised": c.paid_once,
    });
    if let Some(map) = record.as_object_mut() {
        map.extend(extra);
    }
    let _ = writeln!(err, "{record}");
    Ok(())
}

/// Training steps of a method that trains, at its default.
fn default_steps(method: &str) -> u64 {
    match method {
        "mean-variance" => 1500,
        "variational" => VariationalSettings::default().steps,
        "cgan" => 3000,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use crate::cli::run;

    /// Runs `inn` with `args`: exit code, stdout, stderr.
    fn inn(args: &[&str]) -> (i32, String, String) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(&args, &mut out, &mut err);
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
        (code, text(out), text(err))
    }

    #[test]
    fn each_method_writes_its_samples_and_one_cost_record() {
        for (method, steps) in [
            ("abc", "1"),
            ("mcmc", "1"),
            ("mean-variance", "20"),
            ("variational", "20"),
            ("cgan", "20"),
        ] {
            let args = [
                "baseline", "--method", method, "--labels", "some", "--label", "1", "--n", "50",
                "--seed", "4",
            ];
            let mut args = args.to_vec();
            if !["abc", "mcmc"].contains(&method) {
                args.extend(["--steps", steps]);
            }
            let (code, out, err) = inn(&args);
            assert_eq!(code, 0, "{method}: {err}");
            let lines: Vec<&str> = out.lines().collect();
            assert_eq!((lines[0], lines.len()), ("x0,x1", 51), "{method}");
            let record: serde_json::Value = serde_json::from_str(err.trim()).unwrap();
            assert_eq!(record["method"], method);
            for key in [
                "simulations",
                "density_evals",
                "train_steps",
                "train_s",
                "query_s",
                "amortised",
            ] {
                assert!(!record[key].is_null(), "{method}: {key} missing in {err}");
            }
            let trained = !["abc", "mcmc"].contains(&method);
            assert_eq!(record["amortised"], trained, "{method}");
        }
    }

    #[test]
    fn bad_arguments_name_what_is_wrong() {
        let (code, _, err) = inn(&[
            "baseline", "--method", "magic", "--labels", "some", "--label", "0",
        ]);
        assert_eq!(code, 2);
        assert!(err.contains("--method must be abc, mcmc"), "{err}");
        let (code, _, err) = inn(&[
            "baseline", "--method", "mcmc", "--labels", "all", "--label", "8",
        ]);
        assert_eq!(code, 2);
        assert!(err.contains("label must be in 0..8, got 8"), "{err}");
        let (code, _, err) = inn(&[
            "baseline", "--method", "mcmc", "--labels", "all", "--label", "1", "--budget", "100",
        ]);
        assert_eq!(code, 2);
        assert!(err.contains("does not cover"), "{err}");
    }
}
