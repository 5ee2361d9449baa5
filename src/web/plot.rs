//! The loss curves, drawn with plotters on the page's canvas.

use plotters::element::DashedPathElement;
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

/// The marker of the step at which every label first cleared the fidelity
/// bar: the green of the page's line that says so.
const BAR_MARKER: RGBColor = RGBColor(27, 110, 58);

/// Draws each loss term against the step on a log scale. `data` holds
/// rows of `1 + names.len()` values: the step, then one value per term.
/// Values that are not positive and finite are skipped, never drawn.
/// `bar_step`: where every label first cleared the fidelity bar, marked
/// with a dashed vertical line, so that the curves can be read against it.
#[wasm_bindgen(js_name = drawLosses)]
pub fn draw_losses(
    canvas: HtmlCanvasElement,
    data: &[f32],
    names: &str,
    bar_step: Option<f32>,
) -> Result<(), JsError> {
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
    // Headroom above the curves for the legend (six rows with the bar's).
    let (lo, hi) = (lo * 0.8, hi * 50.0);
    let last = rows.last().map_or(1.0, |r| r[0]).max(1.0);
    let first = rows.first().map_or(0.0, |r| r[0]).min(last - 1.0);
    // The legend goes in the upper corner above the lower curves: early in
    // training they fall from the left, later L_x climbs on the right. How
    // high the curves run in a stretch: the mean over its steps of the log
    // of the highest term (a mean, so the first steps' spike counts little).
    let height_in = |from: f32, to: f32| {
        let tops: Vec<f32> = rows
            .iter()
            .filter(|r| (from..=to).contains(&r[0]))
            .map(|r| {
                r[1..]
                    .iter()
                    .copied()
                    .filter(|v| usable(*v))
                    .fold(lo, f32::max)
                    .ln()
            })
            .collect();
        tops.iter().sum::<f32>() / tops.len().max(1) as f32
    };
    let span = last - first;
    let legend_at = if height_in(first, first + 0.3 * span) < height_in(last - 0.3 * span, last) {
        SeriesLabelPosition::UpperLeft
    } else {
        SeriesLabelPosition::UpperRight
    };
    let mut chart = ChartBuilder::on(&area)
        .margin(8)
        .margin_right(20)
        .x_label_area_size(40)
        .y_label_area_size(48)
        .build_cartesian_2d(first..last, (lo..hi).log_scale())
        .map_err(|e| JsError::new(&e.to_string()))?;
    chart
        .configure_mesh()
        .x_desc("step")
        // Steps are whole numbers: no more labels than whole steps in the
        // range (before the first step the axis runs 0-1, and ten labels
        // would read 0 0 0 0 0 1 1 1 1 1).
        .x_labels((span as usize + 1).clamp(2, 10))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .label_style(("sans-serif", 12))
        .draw()
        .map_err(|e| JsError::new(&e.to_string()))?;
    // Named in the legend rather than next to the line, where the label
    // would run under the legend whenever the bar was cleared lately.
    if let Some(step) = bar_step.filter(|s| (first..=last).contains(s)) {
        chart
            .draw_series(DashedLineSeries::new(
                [(step, lo), (step, hi)],
                6,
                4,
                BAR_MARKER.stroke_width(2),
            ))
            .map_err(|e| JsError::new(&e.to_string()))?
            .label(format!("bar cleared (step {step:.0})"))
            .legend(|(x, y)| {
                DashedPathElement::new(vec![(x, y), (x + 16, y)], 4, 3, BAR_MARKER.stroke_width(2))
            });
    }
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
    // Before the first step there is nothing to name: no empty box.
    if !rows.is_empty() {
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(("sans-serif", 12))
            .position(legend_at)
            .draw()
            .map_err(|e| JsError::new(&e.to_string()))?;
    }
    area.present().map_err(|e| JsError::new(&e.to_string()))?;
    Ok(())
}
