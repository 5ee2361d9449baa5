//! The one check of a configuration: every setting in its range (from the
//! table), then the rules that join several settings.

use super::{Place, TrainConfig, ValidConfig, MAX_Y_WIDTH, MEMORY_LIMIT_BYTES, SETTINGS};
use crate::error::Error;

impl TrainConfig {
    /// Checks every setting; the error names the setting, the value and the
    /// range.
    pub fn check(&self) -> Result<ValidConfig, Error> {
        for s in SETTINGS {
            let Place::Config { get, .. } = s.place else {
                continue;
            };
            let v = get(self);
            if !s.kind.contains(&v) {
                return Err(Error::InvalidConfig {
                    field: s.key,
                    value: v.text(),
                    allowed: s.kind.describe(),
                });
            }
        }
        let l = &self.losses;
        if [l.y, l.z, l.x, l.rec, l.ml]
            .iter()
            .all(|t| t.active() == 0.0)
        {
            return Err(Error::InvalidConfig {
                field: "losses",
                value: "none".into(),
                allowed: "at least one loss term on with a positive weight".into(),
            });
        }
        let problem = self.problem()?;
        let (ndim_x, own_y) = (problem.ndim_x(), problem.ndim_y());
        if self.y_width != 0 && !(own_y..=MAX_Y_WIDTH).contains(&self.y_width) {
            let why = match problem.n_labels() {
                0 => format!("the {} problem's y has {own_y} entries", problem.name()),
                n if !self.mix.is_empty() => format!("the drawn mixture has {n} labels"),
                n => format!("label map {:?} has {n} labels", self.labels),
            };
            return Err(Error::InvalidConfig {
                field: "y_width",
                value: self.y_width.to_string(),
                allowed: format!("0 (one per label) or in [{own_y}, {MAX_Y_WIDTH}] ({why})"),
            });
        }
        let ndim_y = self.ndim_y();
        let needed = ndim_x.max(ndim_y + self.ndim_z);
        let ndim_tot = if self.ndim_tot == 0 {
            needed
        } else {
            self.ndim_tot
        };
        if ndim_tot < needed {
            return Err(Error::InvalidConfig {
                field: "ndim",
                value: self.ndim_tot.to_string(),
                allowed: format!(
                    "0 (automatic) or at least {needed} (x has {ndim_x} entries, y {ndim_y}, z {})",
                    self.ndim_z
                ),
            });
        }
        let bytes = self.estimated_bytes();
        if bytes > MEMORY_LIMIT_BYTES {
            return Err(Error::InvalidConfig {
                field: "size",
                value: format!(
                    "{} MiB (blocks {}, hidden {}, depth {}, batch {})",
                    bytes >> 20,
                    self.blocks,
                    self.hidden,
                    self.depth,
                    self.batch
                ),
                allowed: format!(
                    "at most {} MiB of training memory",
                    MEMORY_LIMIT_BYTES >> 20
                ),
            });
        }
        Ok(ValidConfig {
            config: self.clone(),
            ndim_x,
            ndim_y,
            ndim_tot,
        })
    }
}
