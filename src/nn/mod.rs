//! Plain dense networks: the subnetworks inside each coupling block.

mod mlp;

pub use mlp::{Mlp, MlpCache, MlpScratch};
