//! The browser binding: what the page's JavaScript may call. Everything
//! here converts between JS values and the core; the maths stays in the
//! core. Data crosses as flat `Float32Array`s.

mod arm;
mod coupling;
mod methods;
mod methods_text;
mod page;
mod plot;
mod problem_view;
// The core's checks as compiled to wasm: only in the browser tests' build.
#[cfg(feature = "selftest")]
mod selftest;
mod split;
mod trainer;

pub use arm::*;
pub use methods::WasmMethods;
pub use methods_text::cost_chart;
pub use page::*;
pub use plot::draw_losses;
pub use problem_view::*;
pub use split::WasmHelper;
pub use trainer::{
    fidelity_samples, loss_row_keys, loss_row_names, near_bar_in_correct, WasmTrainer,
};

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `self.innPanic(message)`, defined by the page and the worker.
    #[wasm_bindgen(js_namespace = self, js_name = innPanic)]
    fn report_panic(message: &str);
}

/// Routes Rust panics to the page, which shows the message and offers a
/// reload (the configuration is in the link, so nothing is lost).
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        report_panic(&info.to_string());
    }));
}

/// The problem of a page whose views name it by its label map or by its
/// drawn mixture's text (the labelled mixture's views: the page's labels
/// text), as the core's problem interface.
pub(crate) fn labelled_problem(labels: &str) -> Result<Box<dyn crate::problem::Problem>, JsError> {
    match crate::problem::LabelMap::parse(labels) {
        Some(map) => crate::problem::ProblemKind::Mixture.build(map, 0.0),
        None => crate::config::mix::problem(labels).map(|g| Box::new(g) as _),
    }
    .map_err(js_err)
}

/// A core error as a JS exception with the core's message.
pub(crate) fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// Panics with `message`: lets the browser tests (and a curious user at the
/// console) check that a panic reaches the page as a notice.
#[wasm_bindgen(js_name = raisePanic)]
pub fn raise_panic(message: &str) {
    panic!("{message}");
}
