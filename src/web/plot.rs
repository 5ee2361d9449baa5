//! The loss curves, drawn with plotters on the page's canvas.

use plotters::coord::Shift;
use plotters::element::{DashedPathElement, MultiLineText};
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
    let legend_left = height_in(first, first + 0.3 * span) < height_in(last - 0.3 * span, last);
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
        .label_style((FontFamily::SansSerif, 12))
        .draw()
        .map_err(|e| JsError::new(&e.to_string()))?;
    // Every line is drawn in the plotting area's own pixels, mapped here
    // as plotters maps a series' points: one drawing function for the
    // curves and the legend's lines.
    let plot = chart.plotting_area();
    let origin = plot.get_base_pixel();
    let pixel = |p: (f32, f32)| {
        let (x, y) = plot.map_coordinate(&p);
        (x - origin.0, y - origin.1)
    };
    let area = plot.strip_coord_spec();
    let drawn = |e: Box<dyn std::error::Error>| JsError::new(&e.to_string());
    // Named in the legend rather than next to the line, where the label
    // would run under the legend whenever the bar was cleared lately.
    let mut legend: Vec<(String, Option<RGBColor>)> = Vec::new();
    if let Some(step) = bar_step.filter(|s| (first..=last).contains(s)) {
        let ends = vec![pixel((step, lo)), pixel((step, hi))];
        draw_line(&area, ends, None, (6, 4)).map_err(drawn)?;
        legend.push((format!("bar cleared (step {step:.0})"), None));
    }
    for (i, name) in names.iter().enumerate() {
        let color = SERIES[i % SERIES.len()];
        let points: Vec<(i32, i32)> = rows
            .iter()
            .map(|r| (r[0], r[1 + i]))
            .filter(|p| usable(p.1))
            .map(pixel)
            .collect();
        if points.is_empty() {
            continue;
        }
        draw_line(&area, points, Some(color), (0, 0)).map_err(drawn)?;
        legend.push((name.to_string(), Some(color)));
    }
    // Before the first step there is nothing to name: no empty box.
    if !rows.is_empty() {
        draw_legend(&area, &legend, legend_left).map_err(drawn)?;
    }
    area.present().map_err(|e| JsError::new(&e.to_string()))?;
    Ok(())
}

/// The legend, in the upper left or right corner of the plotting area, as
/// plotters' series labels draw it there (their default margin of
/// 10 and legend area of 30 pixels, a translucent white box with a black
/// border, 12-pixel sans-serif text), each entry's line a solid `Some`
/// colour or the bar's dashed marker. Drawn here rather than by plotters,
/// whose series labels look their default font up by name, which takes
/// the Unicode case tables into the page's module.
fn draw_legend(
    area: &DrawingArea<CanvasBackend, Shift>,
    entries: &[(String, Option<RGBColor>)],
    left: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    const MARGIN: i32 = 10;
    const LINE_AREA: i32 = 30;
    let font: TextStyle = (FontFamily::SansSerif, 12).into_font().into();
    let mut text = MultiLineText::<_, &str>::new((0, 0), &font);
    for (label, _) in entries {
        text.push_line(label.as_str());
    }
    let (w, h) = text.estimate_dimension()?;
    let (w, h) = (w + LINE_AREA + 2 * MARGIN, h + 2 * MARGIN);
    let (area_w, _) = area.dim_in_pixel();
    let (x, y) = (if left { 5 } else { area_w as i32 - w - 5 }, 5);
    text.relocate((x + LINE_AREA + MARGIN, y + MARGIN));
    let corners = [(x, y), (x + w, y + h)];
    // Filled as plotters fills its legend box: the style of the colour,
    // stroke width 1, then filled.
    let background = ShapeStyle::from(WHITE.mix(0.85)).filled();
    area.draw(&Rectangle::new(corners, background))?;
    area.draw(&Rectangle::new(corners, BLACK))?;
    area.draw(&text)?;
    for (((_, y0), (_, y1)), (_, color)) in text.compute_line_layout()?.into_iter().zip(entries) {
        let (x, y) = (x + MARGIN, (y0 + y1) / 2);
        draw_line(area, vec![(x, y), (x + 16, y)], *color, (4, 3))?;
    }
    Ok(())
}

/// Draws a line through `points` (pixels of `area`), 2 pixels wide: solid
/// in a `Some` colour, or the bar's marker dashed with `dash` (the length
/// of a dash and of a gap).
fn draw_line(
    area: &DrawingArea<CanvasBackend, Shift>,
    points: Vec<(i32, i32)>,
    color: Option<RGBColor>,
    dash: (i32, i32),
) -> Result<(), Box<dyn std::error::Error>> {
    match color {
        Some(c) => area.draw(&PathElement::new(points, c.stroke_width(2)))?,
        None => area.draw(&DashedPathElement::new(
            points,
            dash.0,
            dash.1,
            BAR_MARKER.stroke_width(2),
        ))?,
    }
    Ok(())
}
