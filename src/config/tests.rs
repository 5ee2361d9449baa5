use super::*;

#[test]
fn every_preset_is_valid_for_every_label_map() {
    for p in Preset::ALL {
        for l in [LabelMap::All, LabelMap::Some, LabelMap::None] {
            p.config(l, 1).check().unwrap();
        }
    }
}

#[test]
fn every_row_is_well_formed() {
    let start = PageState::default();
    for (i, s) in SETTINGS.iter().enumerate() {
        assert!(
            SETTINGS[..i].iter().all(|t| t.key != s.key),
            "{} twice",
            s.key
        );
        // Each preset's value is of the row's kind and in its range, and
        // reads back from its own text (a wrong kind for the field panics).
        for p in Preset::ALL {
            let v = s.get(&PageState::for_preset(p, LabelMap::Some, 1));
            assert!(s.kind.contains(&v), "{} = {v} in {}", s.key, p.name());
            let mut t = start.clone();
            s.set(&mut t, s.parse(&v.text()).unwrap());
            assert!(s.get(&t).same(&v), "{}", s.key);
        }
        assert!(!s.label.is_empty() && s.help.ends_with('.'), "{}", s.key);
    }
    for l in [LabelMap::All, LabelMap::Some, LabelMap::None] {
        assert!(
            setting("labels").unwrap().kind.contains(&l.to_value()),
            "{l:?}"
        );
    }
}

#[test]
fn the_paper_preset_keeps_the_notebooks_eight_wide_one_hot_y() {
    for l in [LabelMap::All, LabelMap::Some, LabelMap::None] {
        let v = Preset::Paper.config(l, 1).check().unwrap();
        assert_eq!(
            (v.ndim_y, v.n_labels()),
            (8, l.labels().iter().max().unwrap() + 1)
        );
        let f = Preset::Fast.config(l, 1).check().unwrap();
        assert_eq!(f.ndim_y, f.n_labels());
    }
    let mut c = Preset::Paper.config(LabelMap::All, 1);
    c.y_width = 5;
    assert_eq!(
        c.check().unwrap_err().to_string(),
        "y_width must be 0 (one per label) or in [8, 16] (label map All has 8 labels), got 5"
    );
}

#[test]
fn errors_name_the_setting_the_value_and_the_range() {
    let mut c = Preset::Fast.config(LabelMap::Some, 1);
    c.lr = -1.0;
    assert_eq!(
        c.check().unwrap_err().to_string(),
        "lr must be in (0, 10], got -1"
    );
    let mut c = Preset::Fast.config(LabelMap::Some, 1);
    c.batch = 1_000_000_000;
    assert_eq!(
        c.check().unwrap_err().to_string(),
        "batch must be an integer in [8, 2048], got 1000000000"
    );
    let mut c = Preset::Fast.config(LabelMap::Some, 1);
    c.losses.x.weight = 2e4;
    assert_eq!(
        c.check().unwrap_err().to_string(),
        "w_x must be in [0, 10000], got 20000"
    );
    let mut c = Preset::Fast.config(LabelMap::All, 1);
    c.ndim_tot = 4;
    assert!(c.check().unwrap_err().to_string().contains("at least 12"));
    c.ndim_tot = 0;
    c.lr = f64::NAN;
    assert!(c.check().unwrap_err().to_string().starts_with("lr must be"));
}

#[test]
fn set_setting_is_strict_and_says_why() {
    let mut s = PageState::default();
    set_setting(&mut s, "lr", "0.005").unwrap();
    set_setting(&mut s, "on_ml", "1").unwrap();
    set_setting(&mut s, "labels", "all").unwrap();
    set_setting(&mut s, "abc_budget", "5000").unwrap();
    assert_eq!(
        (
            s.config.lr,
            s.config.losses.ml.on,
            s.config.labels,
            s.abc_budget
        ),
        (0.005, true, LabelMap::All, 5000)
    );
    let err = |k, v| set_setting(&mut s.clone(), k, v).unwrap_err().to_string();
    assert_eq!(err("lr", "-1"), "lr must be in (0, 10], got -1");
    for t in [
        "NaN",
        "inf",
        "-infinity",
        "0x1p-3",
        "1e999",
        "1_0",
        " 1",
        "1.2.3",
    ] {
        assert_eq!(err("lr", t), format!("lr must be in (0, 10], got {t}"));
    }
    assert_eq!(err("on_x", "2"), "on_x must be 0 or 1, got 2");
    assert_eq!(
        err("labels", "many"),
        "labels must be one of all, some, none, got many"
    );
    assert!(err("ynoise", "0.1")
        .starts_with("the setting must be one of problem, labels, arm_noise, seed, blocks"));
}

#[test]
fn the_largest_allowed_sizes_are_refused_by_the_memory_bound() {
    let mut c = Preset::Paper.config(LabelMap::All, 1);
    c.blocks = 16;
    c.hidden = 512;
    c.depth = 3;
    c.batch = 2048;
    c.ndim_tot = 64;
    let e = c.check().unwrap_err().to_string();
    assert!(e.starts_with("size must be at most 256 MiB"), "{e}");
    // The paper's own configuration fits.
    assert!(Preset::Paper.config(LabelMap::All, 1).estimated_bytes() < MEMORY_LIMIT_BYTES);
}

#[test]
fn all_losses_off_is_refused() {
    let mut c = Preset::Fast.config(LabelMap::Some, 1);
    for t in [
        &mut c.losses.y,
        &mut c.losses.z,
        &mut c.losses.x,
        &mut c.losses.rec,
        &mut c.losses.ml,
    ] {
        t.on = false;
    }
    assert!(c
        .check()
        .unwrap_err()
        .to_string()
        .contains("at least one loss term"));
}

#[test]
fn the_exported_table_has_every_row_with_its_help() {
    let t = table_json();
    let rows = t["settings"].as_array().unwrap();
    assert_eq!(rows.len(), SETTINGS.len());
    let lr = rows.iter().find(|r| r["key"] == "lr").unwrap();
    assert_eq!(lr["group"], "Training");
    assert_eq!(lr["allowed"], "in (0, 10]");
    assert_eq!(lr["defaults"]["backward-only"], 0.005);
    assert_eq!(t["groups"][0], "Problem");
    assert_eq!(t["version"], LINK_VERSION);
}

#[test]
fn the_objective_is_named_by_the_terms_that_are_on() {
    assert_eq!(
        Preset::Arm.config(LabelMap::Some, 1).objective_text(),
        "maximum likelihood alone"
    );
    assert_eq!(
        Preset::Fast.config(LabelMap::Some, 1).objective_text(),
        "the losses L_y, L_z, L_x, reconstruction"
    );
    assert_eq!(
        Preset::BackwardOnly
            .config(LabelMap::Some, 1)
            .objective_text(),
        "the losses L_x"
    );
}

#[test]
fn a_drawn_mixture_is_one_setting_strict_on_the_command_line() {
    let mut s = PageState::default();
    set_setting(&mut s, "mix", "-2,0,0.3,0;2,0,0.3,0;0,2,0.2,1,2").unwrap();
    let p = s.config.problem().unwrap();
    assert_eq!((p.n_labels(), p.modes()[2].weight), (2, 2.0));
    assert!((p.label_probability(1) - 0.5).abs() < 1e-12);
    let err = set_setting(&mut s, "mix", "0,0,0.3,0;0,5,0.3,1")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("mix must be modes x,y,std,label[,weight] separated by ';'")
            && err.ends_with("got mode 2 '0,5,0.3,1' (y must be in [-4, 4])"),
        "{err}"
    );
    // The arm ignores a drawn mixture, as it ignores the label map.
    s.config.problem = ProblemKind::Arm;
    assert_eq!(s.config.problem().unwrap().name(), "arm");
}
