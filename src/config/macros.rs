//! The macro that turns the rows of `table.rs` into the configuration
//! structs, the table [`SETTINGS`](super::SETTINGS) and the presets'
//! values, so that a setting is declared in one place.

/// Each row: `field: Type = "key", kind, Group, [fast, paper,
/// forward-only, backward-only, arm], "label", "help"` (optionally
/// `, head`), preceded by `@missing(value)` for a setting that model files
/// written before it lack (the value that gives the behaviour from before
/// it) and by any attributes of the field (for its serialisation). `losses`
/// rows name a term and its part (`y.weight`) instead of a field and type.
macro_rules! settings {
    (
        config { $(
            $(@missing($cmiss:expr))?
            $(#[$cattr:meta])*
            $cfield:ident : $cty:ty = $ckey:literal, $ckind:expr, $cgroup:ident,
                [$($cval:expr),+], $clabel:literal, $chelp:literal $(, $chead:ident)?;
        )* }
        losses { $(
            $lterm:ident . $lpart:ident = $lkey:literal, $lkind:expr, $lgroup:ident,
                [$($lval:expr),+], $llabel:literal, $lhelp:literal;
        )* }
        page { $(
            $pfield:ident : $pty:ty = $pkey:literal, $pkind:expr, $pgroup:ident,
                [$($pval:expr),+], $plabel:literal, $phelp:literal;
        )* }
    ) => {
        /// Everything that defines a training run; the same config and seed
        /// give the same run, bit for bit. Its fields are the rows of the
        /// settings table.
        #[derive(Clone, Debug, PartialEq, Serialize)]
        pub struct TrainConfig {
            $( $(#[$cattr])* #[doc = $chelp] pub $cfield: $cty, )*
            /// Which loss terms are used, and their weights.
            pub losses: LossWeights,
        }

        /// Everything a link carries: the preset its values start from, the
        /// training configuration, and the baselines' settings.
        #[derive(Clone, Debug, PartialEq)]
        pub struct PageState {
            /// The preset the link's settings change.
            pub preset: Preset,
            /// The training run.
            pub config: TrainConfig,
            $( #[doc = $phelp] pub $pfield: $pty, )*
        }

        /// Every setting, in the order links are written.
        pub const SETTINGS: &[Setting] = &[
            $( Setting {
                key: $ckey, kind: $ckind, group: Group::$cgroup, label: $clabel, help: $chelp,
                head: settings!(@head $($chead)?),
                place: Place::Config {
                    get: |c| SettingValue::to_value(&c.$cfield),
                    set: |c, v| c.$cfield = SettingValue::from_value(v),
                    field: &[stringify!($cfield)],
                    missing: settings!(@missing $cty $(, $cmiss)?),
                },
            }, )*
            $( Setting {
                key: $lkey, kind: $lkind, group: Group::$lgroup, label: $llabel, help: $lhelp,
                head: false,
                place: Place::Config {
                    get: |c| SettingValue::to_value(&c.losses.$lterm.$lpart),
                    set: |c, v| c.losses.$lterm.$lpart = SettingValue::from_value(v),
                    field: &["losses", stringify!($lterm), stringify!($lpart)],
                    missing: None,
                },
            }, )*
            $( Setting {
                key: $pkey, kind: $pkind, group: Group::$pgroup, label: $plabel, help: $phelp,
                head: false,
                place: Place::Page {
                    get: |s| SettingValue::to_value(&s.$pfield),
                    set: |s, v| s.$pfield = SettingValue::from_value(v),
                },
            }, )*
        ];

        /// The preset's values in the newest link version.
        pub(super) fn newest_values(preset: Preset) -> PageState {
            let i = preset.column();
            let mut losses = LossWeights::default();
            $( losses.$lterm.$lpart = [$($lval),+][i]; )*
            PageState {
                preset,
                config: TrainConfig { $( $cfield: column([$($cval),+], i), )* losses },
                $( $pfield: [$($pval),+][i], )*
            }
        }
    };
    (@missing $ty:ty, $value:expr) => {
        Some(|| {
            let v: $ty = $value;
            SettingValue::to_value(&v)
        })
    };
    (@missing $ty:ty) => { None };
    (@head head) => { true };
    (@head) => { false };
}

pub(super) use settings;

/// The `i`th of a row's values (any type: a mode list is not `Copy`).
pub(super) fn column<T, const N: usize>(values: [T; N], i: usize) -> T {
    values
        .into_iter()
        .nth(i)
        .expect("a row has a value for every preset")
}
