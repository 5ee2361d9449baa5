//! The `inn` command line as a user runs it: every command, and bad input
//! answered with one message and exit code 2.

use std::process::{Command, Output};

fn inn(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_inn"))
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn temp(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("inn-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).to_string_lossy().into_owned()
}

#[test]
fn train_sample_eval_and_abc() {
    let model = temp("model.json");
    let out = inn(&[
        "train", "--preset", "fast", "--labels", "some", "--seed", "1", "--steps", "40", "--out",
        &model,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("step 40/40") && err.contains("steps/s"),
        "{err}"
    );

    let out = inn(&[
        "sample", "--model", &model, "--label", "0", "--n", "25", "--seed", "3",
    ]);
    assert!(out.status.success());
    let csv = text(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "x0,x1");
    assert_eq!(lines.len(), 26);
    assert!(lines[1..].iter().all(|l| l
        .split(',')
        .all(|v| v.parse::<f64>().is_ok_and(f64::is_finite))));
    let again = inn(&[
        "sample", "--model", &model, "--label", "0", "--n", "25", "--seed", "3",
    ]);
    assert_eq!(again.stdout, out.stdout, "same seed, same samples");

    let out = inn(&["eval", "--model", &model]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["labels"].as_array().unwrap().len(), 4);
    assert!(v["labels"][0]["in_correct"].as_f64().is_some());
    let cov = v["latent"]["covariance"].as_array().unwrap().len();
    let nz = v["latent"]["mean"].as_array().unwrap().len();
    assert!(nz >= 2 && cov == nz * nz, "{nz} {cov}");

    let out = inn(&[
        "abc", "--labels", "some", "--label", "1", "--n", "300", "--eps", "0.5",
    ]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout).lines().count(), 301);
    assert!(text(&out.stderr).contains("acceptance rate"));
}

/// The model file of `steps` steps of the link `hash`, trained here in the
/// arithmetic of the page (`browser`) or of this host.
fn model_of_link(hash: &str, steps: usize, browser: bool) -> String {
    let run = || {
        let (state, _) = inn_playground::hash::parse_hash(hash);
        let mut t: inn_playground::Trainer = inn_playground::Trainer::new(&state.config).unwrap();
        for _ in 0..steps {
            t.step().unwrap();
        }
        inn_playground::model_file::ModelFile::from_trainer(&t).to_json()
    };
    if browser {
        inn_playground::linalg::with_browser_arithmetic(run)
    } else {
        run()
    }
}

#[test]
fn train_what_a_page_link_describes_in_either_arithmetic() {
    let link = "preset=fast&labels=all&seed=9&batch=128&lr=0.002";
    for browser in [false, true] {
        let model = temp(&format!("link-{browser}.json"));
        let mut args = vec!["train", "--link", link, "--steps", "6", "--out", &model];
        if browser {
            args.push("--browser-arithmetic");
        }
        let out = inn(&args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let written = std::fs::read_to_string(&model).unwrap();
        let v: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert_eq!(v["config"]["batch"], 128);
        assert_eq!(v["config"]["lr"], 0.002);
        assert_eq!(v["config"]["seed"], 9);
        assert_eq!(v["config"]["labels"], "all");
        assert_eq!(v["step"], 6);
        // The same weights as the same run in this process, to the bit.
        assert_eq!(
            written,
            model_of_link(link, 6, browser),
            "browser arithmetic: {browser}"
        );
    }
    // A setting out of range is adjusted as the page adjusts it, and said.
    let model = temp("link-adjusted.json");
    let out = inn(&[
        "train",
        "--link",
        "preset=fast&seed=2&batch=0",
        "--steps",
        "1",
        "--out",
        &model,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("the link was adjusted"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_bare_lesson_link_trains_its_steps_configuration() {
    // The page reads `lesson=tour&step=9` as that step's link (the arm);
    // so does the CLI.
    let model = temp("lesson-step.json");
    let out = inn(&[
        "train",
        "--link",
        "lesson=tour&step=9",
        "--steps",
        "2",
        "--out",
        &model,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&model).unwrap();
    assert_eq!(written, model_of_link("v=1&preset=arm", 2, false));
    // Read without its step, the link is the default page's: the mixture.
    assert_ne!(written, model_of_link("lesson=tour&step=9", 2, false));
}

#[test]
fn bad_input_gives_one_message_and_exit_code_2() {
    let junk = temp("junk.json");
    std::fs::write(&junk, "{\"format\": \"something else\"}").unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec![], "no command"),
        (vec!["fly"], "unknown command"),
        (
            vec![
                "train", "--preset", "quick", "--labels", "some", "--seed", "1", "--out", "x",
            ],
            "--preset must be",
        ),
        (
            vec![
                "train", "--preset", "fast", "--labels", "many", "--seed", "1", "--out", "x",
            ],
            "--labels must be",
        ),
        (
            vec![
                "train", "--preset", "fast", "--labels", "some", "--seed", "one", "--out", "x",
            ],
            "--seed must be a number",
        ),
        (
            vec![
                "train", "--preset", "fast", "--labels", "some", "--seed", "1",
            ],
            "--out is required",
        ),
        (
            vec![
                "train",
                "--preset",
                "fast",
                "--labels",
                "some",
                "--seed",
                "1",
                "--out",
                "/nonexistent/dir/m.json",
            ],
            "cannot write",
        ),
        (
            vec![
                "train",
                "--link",
                "preset=fast",
                "--seed",
                "3",
                "--out",
                "x",
            ],
            "--link gives the whole configuration: drop --seed",
        ),
        (
            vec![
                "sample",
                "--model",
                "/nonexistent.json",
                "--label",
                "0",
                "--n",
                "5",
            ],
            "cannot read",
        ),
        (
            vec!["sample", "--model", &junk, "--label", "0", "--n", "5"],
            "format is \"something else\"",
        ),
        (
            vec!["eval", "--model", &junk, "--bogus", "1"],
            "unknown option",
        ),
        (
            vec!["abc", "--labels", "some", "--label", "9", "--n", "5"],
            "--label must be in 0..4",
        ),
        (
            vec![
                "abc", "--labels", "some", "--label", "0", "--n", "5", "--eps", "-1",
            ],
            "eps must be > 0",
        ),
    ];
    for (args, want) in cases {
        let out = inn(&args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.starts_with("inn: ") && err.contains(want),
            "{args:?}: {err}"
        );
        assert!(
            !err.contains("panicked") && !err.contains("backtrace"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn the_arm_trains_samples_evaluates_and_runs_abc_from_the_command_line() {
    let model = temp("arm.json");
    let out = inn(&[
        "train",
        "--problem",
        "arm",
        "--preset",
        "arm",
        "--seed",
        "2",
        "--steps",
        "30",
        "--out",
        &model,
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let sample = |seed: &str| {
        inn(&[
            "sample", "--model", &model, "--y", "1.0,0.6", "--n", "20", "--seed", seed,
        ])
    };
    let out = sample("4");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "x0,x1,x2,x3");
    assert_eq!(lines.len(), 21);
    assert!(lines[1..].iter().all(|l| l.split(',').count() == 4));
    assert_eq!(sample("4").stdout, out.stdout, "same seed, same samples");
    assert_ne!(sample("5").stdout, out.stdout);

    // A label means nothing to the arm; a target out of reach is refused.
    let out = inn(&["sample", "--model", &model, "--label", "1", "--n", "5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("give --y"),
        "{}",
        text(&out.stderr)
    );
    let out = inn(&["sample", "--model", &model, "--y", "9,0", "--n", "5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("out of reach"),
        "{}",
        text(&out.stderr)
    );

    let out = inn(&["eval", "--model", &model, "--y", "1.0,0.6"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["samples"], 1500);
    assert_eq!(v["coordinates"].as_array().unwrap().len(), 4);
    let median = v["resimulation"]["median"].as_f64().unwrap();
    let p90 = v["resimulation"]["p90"].as_f64().unwrap();
    assert!(0.0 < median && median <= p90, "{median} {p90}");
    assert!(v["mmd2"].as_f64().unwrap() > v["mmd2_floor"].as_f64().unwrap());

    let out = inn(&[
        "baseline",
        "--method",
        "abc",
        "--problem",
        "arm",
        "--y",
        "1.0,0.6",
        "--eps",
        "0.1",
        "--n",
        "20",
        "--seed",
        "3",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert!(
        csv.starts_with("x0,x1,x2,x3\n") && csv.lines().count() == 21,
        "{csv}"
    );
    let cost: serde_json::Value = serde_json::from_str(text(&out.stderr).trim()).unwrap();
    assert_eq!(cost["samples"], 20);
    // About one simulation in 9000 lands within 0.1 of this target.
    assert!(cost["simulations"].as_u64().unwrap() > 20_000, "{cost}");
}

#[test]
fn help_after_a_command_prints_the_usage() {
    for args in [
        vec!["--help"],
        vec!["baseline", "--help"],
        vec!["train", "-h"],
    ] {
        let out = inn(&args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stdout).starts_with("usage:"), "{args:?}");
    }
}
