//! The model file: a versioned JSON document holding the configuration, the
//! fixed permutations and the weights. The CLI writes it, the page loads it.
//! Loading checks everything a bad or foreign file could get wrong and says
//! which; nothing is half-loaded.

use crate::config::{TrainConfig, ENGINE};
use crate::error::Error;
use crate::inn::{CouplingBlock, Permutation};
use crate::json::{self, Json};
use crate::train::Trainer;
use serde::Serialize;

/// The `format` field every model file carries.
pub const FORMAT: &str = "inn-playground-model";
/// The version this build writes and reads.
pub const VERSION: u64 = 1;
/// Larger files are refused before parsing (the paper's model is ~3 MB).
pub const MAX_BYTES: usize = 32 << 20;

/// The document's members; no other is allowed.
const FIELDS: [&str; 7] = [
    "format",
    "version",
    "engine",
    "config",
    "step",
    "permutations",
    "params",
];

/// The permutations of a model file or a helper's opening: one array of
/// indices per block (whether they fit the network is checked later).
pub(crate) fn read_permutations(j: &Json) -> Result<Vec<Vec<usize>>, String> {
    let not = |what: String, j: &Json| format!("{what} is {j}, not an array");
    j.as_array()
        .ok_or_else(|| not("permutations".into(), j))?
        .iter()
        .enumerate()
        .map(|(i, p)| {
            p.as_array()
                .ok_or_else(|| not(format!("permutation {i}"), p))?
                .iter()
                .map(|e| {
                    e.as_u64()
                        .map(|e| usize::try_from(e).unwrap_or(usize::MAX))
                        .ok_or_else(|| format!("permutation {i} holds {e}"))
                })
                .collect()
        })
        .collect()
}

/// The document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelFile {
    pub format: String,
    pub version: u64,
    /// The arithmetic the weights were trained in ([`ENGINE`]); files from
    /// before engines were numbered (which lack it) are engine 1.
    pub engine: u32,
    pub config: TrainConfig,
    /// Steps the weights were trained for.
    pub step: u64,
    /// One permutation per block.
    pub permutations: Vec<Vec<usize>>,
    /// The flat weight vector the network samples with (the running
    /// average where the configuration keeps one); training from a file
    /// goes on from these weights.
    pub params: Vec<f32>,
}

fn bad(why: impl Into<String>) -> Error {
    Error::BadModelFile(why.into())
}

impl ModelFile {
    /// Captures a trainer's model.
    pub fn from_trainer(t: &Trainer<f32>) -> Self {
        ModelFile {
            format: FORMAT.into(),
            version: VERSION,
            engine: ENGINE,
            config: t.config().config().clone(),
            step: t.steps_done(),
            permutations: t
                .net()
                .permutations()
                .iter()
                .map(|p| p.indices().to_vec())
                .collect(),
            params: t.sampling_weights().to_vec(),
        }
    }

    /// A notice if the file was written by another engine than this
    /// build's: the model loads, but training it on differs from the
    /// original run in the last digits.
    pub fn engine_notice(&self) -> Option<String> {
        crate::hash::engine_notice("model file", Some(&self.engine.to_string()), ENGINE)
    }

    /// The JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a model serialises")
    }

    /// Parses and checks a model file's text.
    pub fn parse(text: &str) -> Result<Self, Error> {
        if text.len() > MAX_BYTES {
            return Err(bad(format!(
                "the file is {:.1} MB; model files are at most {} MB",
                text.len() as f64 / 1e6,
                MAX_BYTES >> 20
            )));
        }
        let value = json::parse(text).map_err(|e| {
            if e.eof {
                bad(format!(
                    "the file ends early (truncated?) at line {}, column {}",
                    e.line, e.column
                ))
            } else {
                bad(format!("not JSON: {e}"))
            }
        })?;
        let Json::Obj(members) = &value else {
            return Err(bad("expected a JSON object at the top level"));
        };
        match value.get("format").and_then(Json::as_str) {
            Some(FORMAT) => {}
            Some(other) => {
                return Err(bad(format!("format is \"{other}\", expected \"{FORMAT}\"")))
            }
            None => {
                return Err(bad(format!(
                    "no \"format\" field: not an INN Playground model ({FORMAT})"
                )))
            }
        }
        match value.get("version").and_then(Json::as_u64) {
            Some(VERSION) => {}
            Some(v) => {
                return Err(bad(format!(
                    "version {v} is not supported; this build reads version {VERSION}"
                )))
            }
            None => return Err(bad("no numeric \"version\" field")),
        }
        if let Some((k, _)) = members.iter().find(|(k, _)| !FIELDS.contains(&k.as_str())) {
            return Err(bad(format!(
                "unknown field \"{k}\"; a model file has {}",
                FIELDS.join(", ")
            )));
        }
        let field = |k: &str| value.get(k).ok_or_else(|| bad(format!("no \"{k}\" field")));
        let params = field("params")?;
        let params = params
            .as_array()
            .ok_or_else(|| bad(format!("params is {params}, not an array")))?
            .iter()
            .enumerate()
            .map(|(i, p)| match p.as_f64() {
                Some(x) => Ok(x as f32),
                None => Err(bad(format!("weight {i} is {p}, not a finite number"))),
            })
            .collect::<Result<Vec<f32>, Error>>()?;
        let engine = match value.get("engine") {
            None => 1,
            Some(e) => e
                .as_u64()
                .and_then(|e| u32::try_from(e).ok())
                .ok_or_else(|| bad(format!("engine is {e}, not an engine number")))?,
        };
        let config = TrainConfig::from_json(field("config")?)
            .map_err(|e| bad(format!("configuration: {e}")))?;
        let step = field("step")?;
        let step = step
            .as_u64()
            .ok_or_else(|| bad(format!("step is {step}, not a whole number")))?;
        let permutations = read_permutations(field("permutations")?).map_err(bad)?;
        let file = ModelFile {
            format: FORMAT.into(),
            version: VERSION,
            engine,
            config,
            step,
            permutations,
            params,
        };
        file.check()?;
        Ok(file)
    }

    /// Checks dimensions and values against the configuration.
    fn check(&self) -> Result<(), Error> {
        let cfg = self
            .config
            .check()
            .map_err(|e| bad(format!("configuration: {e}")))?;
        if self.permutations.len() != cfg.blocks {
            return Err(bad(format!(
                "{} permutations for {} blocks",
                self.permutations.len(),
                cfg.blocks
            )));
        }
        for (i, p) in self.permutations.iter().enumerate() {
            if p.len() != cfg.ndim_tot {
                return Err(bad(format!(
                    "permutation {i} has {} entries, the network is {} wide",
                    p.len(),
                    cfg.ndim_tot
                )));
            }
            Permutation::new(p.clone()).map_err(|e| bad(format!("permutation {i}: {e}")))?;
        }
        let mut needed = 0;
        for _ in 0..cfg.blocks {
            CouplingBlock::new(cfg.ndim_tot, cfg.hidden, cfg.depth, cfg.clamp, &mut needed);
        }
        if self.params.len() != needed {
            return Err(bad(format!(
                "the configuration needs {needed} weights, the file has {}",
                self.params.len()
            )));
        }
        if let Some(i) = self.params.iter().position(|p| !p.is_finite()) {
            return Err(bad(format!("weight {i} is {}, not finite", self.params[i])));
        }
        Ok(())
    }

    /// A trainer holding this model (optimiser state starts fresh).
    pub fn into_trainer(self) -> Result<Trainer<f32>, Error> {
        let perms = self
            .permutations
            .into_iter()
            .map(|p| Permutation::new(p).map_err(bad))
            .collect::<Result<Vec<_>, _>>()?;
        Trainer::from_parts(&self.config, perms, self.params, self.step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LabelMap, Preset};

    fn model() -> ModelFile {
        let mut c = Preset::Fast.config(LabelMap::Some, 3);
        c.hidden = 8;
        let mut t = Trainer::new(&c).unwrap();
        t.step().unwrap();
        ModelFile::from_trainer(&t)
    }

    fn refusal(text: &str) -> String {
        match ModelFile::parse(text) {
            Ok(_) => panic!("accepted a bad file: {:.200}", text),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_model_round_trips_and_samples_the_same() {
        let m = model();
        let back = ModelFile::parse(&m.to_json()).unwrap();
        assert_eq!(back, m);
        let mut a = m.into_trainer().unwrap();
        let mut b = back.into_trainer().unwrap();
        let noise = crate::train::SampleNoise::default();
        assert_eq!(
            a.sample_label(0, 50, 1, noise).unwrap(),
            b.sample_label(0, 50, 1, noise).unwrap()
        );
    }

    #[test]
    fn bad_files_are_refused_with_a_specific_reason() {
        let good = model().to_json();
        assert!(refusal(&good[..good.len() / 2]).contains("truncated"));
        assert!(refusal("hello").contains("not JSON"));
        assert!(refusal("[1, 2]").contains("JSON object"));
        assert!(refusal(r#"{"a": 1}"#).contains("no \"format\""));
        assert_eq!(ModelFile::parse(&good).unwrap().engine_notice(), None);
        let newer = good.replace(&format!("\"engine\":{ENGINE},"), "\"engine\":99,");
        let notice = ModelFile::parse(&newer).unwrap().engine_notice().unwrap();
        assert!(
            notice.starts_with("this model file was made with a newer engine (99)"),
            "{notice}"
        );
        // Files from before engines were numbered load as engine 1.
        let old = ModelFile::parse(&good.replace(&format!("\"engine\":{ENGINE},"), "")).unwrap();
        assert_eq!(old.engine, 1);
        assert!(refusal(&good.replace("\"version\":1", "\"version\":7"))
            .contains("version 7 is not supported"));
        assert!(refusal(&good.replace("\"params\":[", "\"params\":[null,"))
            .contains("weight 0 is null"));
        assert!(refusal(&good.replace("\"params\":[", "\"params\":[1e999,")).contains("not JSON"));
        assert!(refusal(&good.replace("\"params\":[", "\"params\":[0.5,")).contains("weights"));
        assert!(refusal(&good.replace("\"hidden\":8", "\"hidden\":9")).contains("weights"));
        let b = model().config.blocks;
        let fewer = good.replace(&format!("\"blocks\":{b}"), &format!("\"blocks\":{}", b - 1));
        assert!(refusal(&fewer).contains(&format!("{b} permutations for {} blocks", b - 1)));
        assert!(refusal(&good.replace("\"batch\":256", "\"batch\":0")).contains("batch must be"));
        let huge = format!(
            "{{\"format\":\"{FORMAT}\",\"pad\":\"{}\"}}",
            "x".repeat(MAX_BYTES)
        );
        assert!(refusal(&huge).contains("at most 32 MB"));
    }
}
