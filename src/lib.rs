//! INN Playground: an invertible neural network (Ardizzone et al., ICLR 2019)
//! that learns the posterior of an inverse problem, small and fast enough to
//! train live in a browser tab.
//!
//! The maths modules know nothing of the browser; only `web` (compiled for
//! wasm32) touches `wasm_bindgen` and `web_sys`.

pub mod approx;
pub mod baseline;
pub mod config;
pub mod error;
pub mod evaluate;
pub mod fidelity;
pub mod hash;
pub mod inn;
pub mod json;
pub mod linalg;
pub mod loss;
pub mod method;
pub mod metrics;
pub mod model_file;
pub mod nn;
pub mod optim;
pub mod problem;
pub mod rng;
pub mod tiled_gemm;
pub mod train;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use config::{LabelMap, Preset, TrainConfig, ValidConfig};
pub use error::Error;
pub use train::{StepReport, Trainer};
