use super::lesson::TOUR;
use super::page_keys::{hidden_except, names, MAX_PROMPT};
use super::*;
use crate::config::{Preset, LINK_VERSION};
use crate::problem::ProblemKind;

fn known(n: &str) -> bool {
    names().any(|(k, _)| k == n)
}

#[test]
fn every_step_of_the_tour_loads_from_its_link_without_a_notice() {
    for (i, s) in TOUR.iter().enumerate() {
        let step = i + 1;
        let (state, page, notes) = read_link(&format!("#lesson=tour&step={step}"));
        assert!(notes.is_empty(), "step {step}: {notes:?}");
        let l = page.lesson.as_ref().expect("a lesson step");
        assert_eq!(
            (l.name, l.step, l.steps, l.title),
            ("tour", step, TOUR.len(), s.title)
        );
        assert_eq!(page.hash, format!("lesson=tour&step={step}"));
        // The step's settings are those of its link.
        let (direct, direct_notes) = parse_hash(&format!("v={LINK_VERSION}&{}", s.link));
        assert!(direct_notes.is_empty(), "step {step}: {direct_notes:?}");
        assert_eq!(state, direct, "step {step}");
        // What it shows and reveals are controls the page knows, and what
        // it reveals is shown.
        for n in s.show.iter().chain(s.reveal) {
            assert!(known(n), "step {step}: unknown control {n}");
        }
        for n in s.reveal {
            assert!(
                s.show.contains(n),
                "step {step}: reveals {n}, which it does not show"
            );
        }
        for n in s.show {
            assert!(
                !page.hide.contains(n),
                "step {step}: hides {n}, which it shows"
            );
        }
        assert!(!page.hide.is_empty(), "step {step} hides nothing");
        assert!(
            s.text.len() > 100 && s.text.len() < 900,
            "step {step}: {} bytes of text",
            s.text.len()
        );
    }
    assert_eq!(
        read_link("lesson=tour&step=9").0.config.problem,
        ProblemKind::Arm
    );
    assert_eq!(read_link("lesson=tour&step=1").1.colour, Some(0));
}

#[test]
fn a_step_hides_what_it_does_not_show_and_no_more() {
    let hidden = hidden_except(&["train", "inn", "lr"]);
    // The panels holding a shown control stay; their other controls go.
    for n in ["posterior", "toolbar", "settings", "train", "inn", "lr"] {
        assert!(!hidden.contains(&n), "{n} hidden: {hidden:?}");
    }
    for n in [
        "data", "latent", "abc", "exact", "reset", "batch", "intro", "maker",
    ] {
        assert!(hidden.contains(&n), "{n} shown: {hidden:?}");
    }
    // A shown panel shows what it holds.
    let hidden = hidden_except(&["data", "posterior"]);
    assert!(hidden.contains(&"settings") && hidden.contains(&"lr") && !hidden.contains(&"abc"));
}

#[test]
fn page_keys_are_not_settings_and_leave_the_run_alone() {
    let plain = parse_hash("preset=fast&labels=some&seed=2").0;
    let link =
        "preset=fast&labels=some&seed=2&hide=lr,data&prompt=Hi&colour=1&ui=min&lesson=tour&step=3";
    let (state, notes) = parse_hash(link);
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(state, plain);
    let (state, page, notes) = read_link(link);
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(
        state, plain,
        "a lesson link that names a preset keeps its own settings"
    );
    assert_eq!(page.hide, ["lr", "data"]);
    assert_eq!(
        (page.prompt.as_deref(), page.colour, page.ui),
        (Some("Hi"), Some(1), Some("min"))
    );
    assert_eq!(
        page.hash,
        "lesson=tour&step=3&hide=lr,data&prompt=Hi&colour=1&ui=min"
    );
    // Changing a setting, or the preset, keeps the page keys.
    let (t, _) = with_setting(link, "preset", "paper");
    assert_eq!(t.preset, Preset::Paper);
    let (_, again, notes) = read_link(&format!("{}&{}", to_hash(&t), page.hash));
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(again, page);
}

#[test]
fn a_setting_changed_on_a_bare_lesson_link_keeps_the_step_s_settings() {
    let (state, page, notes) = change_link("#lesson=tour&step=9", "target", "0.5,0.5");
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(
        (state.preset, state.config.problem),
        (Preset::Arm, ProblemKind::Arm)
    );
    assert_eq!(state.target, [0.5, 0.5]);
    assert_eq!(page.hash, "lesson=tour&step=9");
    let (_, _, notes) = change_link("lesson=tour&step=3&lr=-1", "abc_eps", "0.3");
    assert!(notes.is_empty(), "only the change's notices: {notes:?}");
}

#[test]
fn bad_page_keys_get_notices_that_name_them() {
    let cases = [
        (
            "lesson=nope&step=2",
            "lesson 'nope' is unknown; the lessons are: tour",
        ),
        (
            "lesson=tour&step=99",
            "step must be 1 to 10; 99 was set to 10",
        ),
        ("lesson=tour&step=0", "step must be 1 to 10; 0 was set to 1"),
        (
            "lesson=tour&step=x",
            "step 'x' is not a step number; using 1",
        ),
        (
            "step=3",
            "step is read only with lesson=tour; it was ignored",
        ),
        (
            "hide=data,nope,lr,data",
            "hide: 'nope' names no control; ignored",
        ),
        (
            "labels=some&colour=7",
            "colour must be 0 to 3 (the label map has 4 colours); '7' was ignored",
        ),
        ("ui=max", "ui 'max' is unknown; the page is shown whole"),
    ];
    for (link, notice) in cases {
        let (_, _, notes) = read_link(link);
        assert_eq!(notes, [notice], "{link}");
    }
    let (_, page, _) = read_link("lesson=tour&step=99");
    assert_eq!(page.lesson.map(|l| l.step), Some(10));
    assert_eq!(read_link("lesson=nope&step=2").1.lesson, None);
    assert_eq!(read_link("hide=data,nope,lr,data").1.hide, ["data", "lr"]);
    let (_, _, notes) = read_link("hide=a,b,c,d,e");
    assert_eq!(
        notes,
        ["hide: 'a', 'b', 'c' and 2 more names no control; ignored"]
    );
    // Settings still get their own notices beside the page's.
    let (_, _, notes) = read_link("lesson=tour&step=1&lr=-1&bogus=1");
    assert_eq!(notes.len(), 2, "{notes:?}");
}

#[test]
fn a_prompt_is_decoded_cleaned_capped_and_written_back_the_same() {
    let (_, page, notes) =
        read_link("prompt=Where%20does%20%3Cb%3Ered%3C%2Fb%3E%20go%3F%20%26%20why%0A");
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(
        page.prompt.as_deref(),
        Some("Where does <b>red</b> go? & why")
    );
    let (_, back, _) = read_link(&page.hash);
    assert_eq!(back.prompt, page.prompt);
    let long = "\u{e9}".repeat(MAX_PROMPT + 5);
    let (_, page, notes) = read_link(&format!("prompt={long}"));
    assert_eq!(page.prompt.map(|p| p.chars().count()), Some(MAX_PROMPT));
    assert_eq!(
        notes,
        [format!("prompt was cut to {MAX_PROMPT} characters")]
    );
    let (_, page, _) = read_link("prompt=%E2%80%AEevil%07");
    assert_eq!(page.prompt.as_deref(), Some("evil"));
    assert_eq!(read_link("prompt=%20").1.prompt, None);
}

mod hostile {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed};

    /// Any value of a page key: names, numbers, escapes, controls, long runs.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z_,-]{0,40}",
            "-?[0-9]{1,25}",
            "(%[0-9A-Fa-f]{2}|%|[ -~]|\u{202e}|\u{0}|\u{e9}){0,300}",
        ]
    }

    proptest! {
        #![proptest_config(Config {
            cases: 20_000,
            rng_seed: RngSeed::Fixed(2026),
            failure_persistence: None,
            ..Config::default()
        })]

        #[test]
        fn page_keys_never_panic_and_what_is_written_reads_back(
            lesson in prop_oneof![Just("tour".to_string()), value()],
            step in value(),
            hide in value(),
            prompt in value(),
            colour in value(),
        ) {
            let link = format!("lesson={lesson}&step={step}&hide={hide}&prompt={prompt}&colour={colour}&ui=min");
            let (state, page, notes) = read_link(&link);
            prop_assert!(state.config.check().is_ok());
            for n in &notes {
                prop_assert!(n.chars().count() < 400 && !n.chars().any(char::is_control), "{n:?}");
            }
            if let Some(p) = &page.prompt {
                prop_assert!(p.chars().count() <= MAX_PROMPT && !p.chars().any(char::is_control));
            }
            prop_assert!(page.hide.iter().all(|n| known(n)));
            // The page's written keys read back to the same page, without a notice.
            let (_, again, more) = read_link(&format!("{}&{}", to_hash(&state), page.hash));
            prop_assert!(more.is_empty(), "{link:?}: {more:?}");
            prop_assert_eq!(again, page);
        }
    }
}
