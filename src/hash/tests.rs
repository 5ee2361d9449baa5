use super::*;
use crate::problem::LabelMap;

#[test]
fn a_plain_link_means_what_it_says() {
    for hash in [
        "#preset=fast&labels=some&seed=9",
        "#v=1&engine=1&preset=fast&labels=some&seed=9",
    ] {
        let (s, notes) = parse_hash(hash);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(s, PageState::for_preset(Preset::Fast, LabelMap::Some, 9));
    }
}

#[test]
fn writing_then_reading_gives_the_same_state() {
    let mut s = PageState::for_preset(Preset::Paper, LabelMap::All, 77);
    s.config.lr = 0.0025;
    s.config.losses.x.on = false;
    s.abc_eps = 0.25;
    s.config.average_decay = 0.95;
    s.config.eps = 1e-30;
    let h = to_hash(&s);
    assert!(
        h.starts_with("v=1&engine=1&preset=paper&labels=all&seed=77&")
            && h.contains("lr=0.0025")
            && h.contains("on_x=0")
            && h.contains("abc_eps=0.25")
            && h.contains("average=0.95")
            && h.contains("eps=1e-30"),
        "{h}"
    );
    let (back, notes) = parse_hash(&h);
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(back, s);
    // An average that would never move is held to the allowed range.
    let (clamped, notes) = parse_hash("preset=fast&labels=some&seed=1&average=1");
    assert_eq!(clamped.config.average_decay, 0.9999);
    assert_eq!(notes.len(), 1, "{notes:?}");
}

#[test]
fn changing_one_setting_keeps_the_others() {
    let (s, _) = parse_hash("preset=fast&labels=all&seed=4&lr=0.002");
    let (t, notes) = with_setting(&to_hash(&s), "batch", "128");
    assert!(notes.is_empty());
    assert_eq!(
        (t.config.batch, t.config.lr, t.config.seed),
        (128, 0.002, 4)
    );
    let (u, _) = with_setting(&to_hash(&t), "preset", "paper");
    assert_eq!(
        (u.preset, u.config.batch, u.config.labels, u.config.seed),
        (Preset::Paper, 1600, LabelMap::All, 4)
    );
    let (v, notes) = with_setting(&to_hash(&u), "lr", "1e9");
    assert_eq!(v.config.lr, 10.0);
    assert_eq!(notes, ["lr must be in (0, 10]; 1e9 was set to 10"]);
}

#[test]
fn a_link_from_a_newer_page_loads_with_a_notice() {
    let (s, notes) = parse_hash("v=99&preset=fast&labels=all&seed=3&lr=0.01");
    assert_eq!(
        notes,
        [
            "this link was made by a newer version of the page (link version 99; this page \
             knows versions up to 1): it was read as version 1, so some settings may not be \
             those it was made with"
        ]
    );
    let mut want = PageState::for_preset(Preset::Fast, LabelMap::All, 3);
    want.config.lr = 0.01;
    assert_eq!(s, want);
    let (_, notes) = parse_hash("v=x1&preset=fast");
    assert_eq!(
        notes,
        ["link version 'x1' is unknown; it was read as version 1"]
    );
}

#[test]
fn a_link_from_another_engine_loads_with_a_notice() {
    assert_eq!(engine_notice("link", Some("1"), 1), None);
    assert_eq!(engine_notice("link", None, 1), None);
    assert_eq!(
        engine_notice("link", None, 2).unwrap(),
        "this link was made with engine 1, and this page computes with engine 2: the run will \
         differ from the original in its last digits"
    );
    assert!(engine_notice("link", Some("3"), 2)
        .unwrap()
        .starts_with("this link was made with a newer engine (3)"));
    let (s, notes) = parse_hash("engine=7&preset=paper");
    assert_eq!(s.preset, Preset::Paper);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("engine (7)"), "{notes:?}");
}

#[test]
fn the_arm_and_its_target_travel_in_the_link() {
    let (s, notices) = parse_hash("#v=1&problem=arm&target=1.25,-0.5&seed=4");
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(s.config.problem, crate::problem::ProblemKind::Arm);
    assert_eq!(s.target, [1.25, -0.5]);
    let hash = to_hash(&s);
    assert!(
        hash.contains("preset=arm&") && hash.contains("&target=1.25,-0.5"),
        "{hash}"
    );
    assert_eq!(parse_hash(&hash).0, s);
    // A link naming the arm and no preset means the arm's preset.
    assert_eq!(parse_hash("problem=arm").0.preset, Preset::Arm);
    // The arm preset names the arm itself.
    let (arm, _) = parse_hash("preset=arm");
    assert_eq!(arm.config.problem, crate::problem::ProblemKind::Arm);
    assert!(!to_hash(&arm).contains("problem="));
    // Out of the box: clamped, and said; not a point: the preset's, and said.
    let (far, notices) = parse_hash("problem=arm&target=9,0.5");
    assert_eq!(far.target, [2.5, 0.5]);
    assert!(
        notices[0].starts_with("target must be a point"),
        "{notices:?}"
    );
    let (bad, notices) = parse_hash("problem=arm&target=1;0.5");
    assert_eq!(bad.target, [1.0, 0.6]);
    assert!(notices[0].contains("is not a point"), "{notices:?}");
}

#[test]
fn a_drawn_mixture_travels_in_the_link_and_replaces_the_label_maps_modes() {
    let (s, notices) = parse_hash("#mix=-2,0,0.3,0;2,0,0.3,0;0,2,0.2,1&seed=3");
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(s.config.mix.len(), 3);
    let p = s.config.problem().unwrap();
    assert_eq!((p.n_labels(), p.modes().len()), (2, 3));
    assert_eq!(p.modes()[2].centre, [0.0, 2.0]);
    let hash = to_hash(&s);
    assert!(
        hash.ends_with("&mix=-2,0,0.3,0;2,0,0.3,0;0,2,0.2,1"),
        "{hash}"
    );
    assert_eq!(parse_hash(&hash), (s.clone(), vec![]));
    // Percent-encoded separators read the same.
    let (t, notices) = parse_hash("mix=-2%2C0%2C0.3%2C0%3B2,0,0.3,0%3b0%2c2%2c0.2%2c1&seed=3");
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(t, s);
    // Another preset keeps the drawn mixture, like the label map.
    let (u, _) = with_setting(&hash, "preset", "paper");
    assert_eq!(
        (u.preset, u.config.mix.clone()),
        (Preset::Paper, s.config.mix)
    );
    // Choosing a label map goes back to its modes.
    let (w, _) = with_setting(&to_hash(&u), "labels", "all");
    assert!(w.config.mix.is_empty() && w.config.labels == LabelMap::All);
}

#[test]
fn a_drawn_mixtures_bad_modes_are_dropped_with_a_notice_and_the_rest_used() {
    let (s, notices) = parse_hash("mix=9,0,0.3,0;1,1,0.5,0;x<b>,0,0.3,1;0,0,0.3,3");
    assert_eq!(
        notices,
        [
            "mix mode 1 '9,0,0.3,0' was dropped: x must be in [-4, 4]",
            "mix mode 3 'x<b>,0,0.3,1' was dropped: x is not a number",
            "mix: labels are the colours present, so they were renumbered 0 to 1",
        ]
    );
    let labels: Vec<usize> = s.config.mix.iter().map(|m| m.label).collect();
    assert_eq!(labels, [0, 1]);
    assert!(to_hash(&s).ends_with("&mix=1,1,0.5,0;0,0,0.3,1"));
    // Nothing left: the label map's modes, and said.
    let (t, notices) = parse_hash("labels=all&mix=0,0,9,0");
    assert!(t.config.mix.is_empty());
    assert_eq!(t.config.problem().unwrap().modes().len(), 8);
    assert_eq!(notices.len(), 2, "{notices:?}");
    assert!(
        notices[1].contains("label map's modes are used"),
        "{notices:?}"
    );
    // Sixteen modes fit in a link however written; the seventeenth is dropped.
    let long = vec!["-3.999999999999999%2C3.999999999999999%2C1.4999999999999%2C7"; 17].join("%3B");
    let (v, notices) = parse_hash(&format!("mix={long}"));
    assert_eq!(v.config.mix.len(), 16);
    assert_eq!(notices.len(), 2, "{notices:?}");
    assert!(notices[0].contains("at most 16 modes"), "{notices:?}");
}
