//! The loss curves, drawn with plotters on the page's canvas.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Colour-blind-safe series colours (Okabe-Ito), in the order of `names`.
const SERIES: [RGBColor; 7] = [
    RGBColor(0, 0, 0),
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(213, 94, 0),
    RGBColor(86, 180, 233),
];

/// Draws each loss term against the step on a log scale. `data` holds
/// rows of `1 + names.len()` values: the step, then one value per term.
/// Values that are not positive and finite are skipped, never drawn.
#[wasm_bindgen(js_name = drawLosses)]
pub fn draw_losses(canvas: HtmlCanvasElement, data: &[f32], names: &str) -> Result<(), JsError> {
    let names: Vec<&str> = names.split(',').collect();
    let width = 1 + names.len();
    let rows: Vec<&[f32]> = data.chunks_exact(width).collect();
    let backend =
        CanvasBackend::with_canvas_object(canvas).ok_or_else(|| JsError::new("no 2-D canvas"))?;
    let area = backend.into_drawing_area();
    area.fill(&WHITE)
        .map_err(|e| JsError::new(&e.to_string()))?;
    let usable = |v: f32| v.is_finite() && v > 0.0;
    let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
    for r in &rows {
        for &v in &r[1..] {
            if usable(v) {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    if !lo.is_finite() {
        (lo, hi) = (1e-3, 1.0);
    }
    // Headroom above the curves for the legend.
    let (lo, hi) = (lo * 0.8, hi * 30.0);
    let last = rows.last().map_or(1.0, |r| r[0]).max(1.0);
    let first = rows.first().map_or(0.0, |r| r[0]).min(last - 1.0);
    let mut chart = ChartBuilder::on(&area)
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(48)
        .build_cartesian_2d(first..last, (lo..hi).log_scale())
        .map_err(|e| JsError::new(&e.to_string()))?;
    chart
        .configure_mesh()
        .x_desc("step")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .label_style(("sans-serif", 12))
        .draw()
        .map_err(|e| JsError::new(&e.to_string()))?;
    for (i, name) in names.iter().enumerate() {
        let color = SERIES[i % SERIES.len()];
        let points: Vec<(f32, f32)> = rows
            .iter()
            .map(|r| (r[0], r[1 + i]))
            .filter(|p| usable(p.1))
            .collect();
        if points.is_empty() {
            continue;
        }
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(|e| JsError::new(&e.to_string()))?
            .label(*name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 12))
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(|e| JsError::new(&e.to_string()))?;
    area.present().map_err(|e| JsError::new(&e.to_string()))?;
    Ok(())
}
