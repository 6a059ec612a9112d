//! The report's charts, drawn as SVG by plotters: counts over time, and one bar per group.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const WIDTH: u32 = 880;
/// Okabe and Ito's colours, told apart by people with any common colour blindness.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const ORANGE: RGBColor = RGBColor(213, 94, 0);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
const INK: RGBColor = RGBColor(26, 26, 26);
const FONT: &str = "sans-serif";
/// Up to this many steps, each count is also drawn as a point.
const DOTTED_STEPS: usize = 60;

/// One line of a chart over time: a count per step, the steps numbered from 0.
pub struct Line<'a> {
    pub name: &'a str,
    pub colour: RGBColor,
    pub counts: Vec<u64>,
}

fn failed(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("cannot draw a chart: {e}")
}

/// Counts over `steps` steps of time, each line in its colour, with a legend; `step_label`
/// names a step on the axis.
pub fn over_time(
    lines: &[Line<'_>],
    steps: usize,
    step_label: &dyn Fn(usize) -> String,
) -> anyhow::Result<String> {
    let top = lines
        .iter()
        .flat_map(|line| line.counts.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 320)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let last = steps.saturating_sub(1).max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            // Room for the last step's name, centred on the axis's end.
            .margin_right(64)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(0..last, 0..top + top / 10 + 1)
            .map_err(failed)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(8)
            .x_label_formatter(&|step| step_label(*step))
            .label_style((FONT, 17).into_font().color(&INK))
            .draw()
            .map_err(failed)?;
        for line in lines {
            let colour = line.colour;
            chart
                .draw_series(LineSeries::new(
                    line.counts.iter().copied().enumerate(),
                    colour.stroke_width(2),
                ))
                .map_err(failed)?
                .label(line.name)
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(3))
                });
            // A few steps, or one, read better as points than as a line.
            if steps <= DOTTED_STEPS {
                chart
                    .draw_series(
                        line.counts
                            .iter()
                            .enumerate()
                            .map(|(step, count)| Circle::new((step, *count), 4, colour.filled())),
                    )
                    .map_err(failed)?;
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(INK)
            .label_font((FONT, 17).into_font().color(&INK))
            .draw()
            .map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// One bar a row, its length `value` out of `most`, its row named on the left and `note`
/// written beside it.
pub struct Bar {
    pub name: String,
    pub value: f64,
    pub note: String,
    pub colour: RGBColor,
}

/// Bars of `most` at most, the scale's numbers written by `scale`.
pub fn bars(rows: &[Bar], most: f64, scale: &dyn Fn(f64) -> String) -> anyhow::Result<String> {
    let count = rows.len().max(1);
    let height = u32::try_from(60 + 34 * count).unwrap_or(u32::MAX);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(170)
            // Room after the longest bar for its note.
            .build_cartesian_2d(0.0..most * 1.45, (0..count).into_segmented())
            .map_err(failed)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(count)
            .y_label_formatter(&|row| match row {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => count
                    .checked_sub(1 + *i)
                    .and_then(|row| rows.get(row))
                    .map_or_else(String::new, |bar| bar.name.clone()),
                SegmentValue::Last => String::new(),
            })
            .x_labels(6)
            .x_label_formatter(&|value| scale(*value))
            .label_style((FONT, 17).into_font().color(&INK))
            .draw()
            .map_err(failed)?;
        // The first row on top.
        let place = |i: usize| count - 1 - i;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, bar)| {
                let mut rectangle = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(place(i))),
                        (bar.value, SegmentValue::Exact(place(i) + 1)),
                    ],
                    bar.colour.filled(),
                );
                rectangle.set_margin(5, 5, 0, 0);
                rectangle
            }))
            .map_err(failed)?;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, bar)| {
                Text::new(
                    format!(" {}", bar.note),
                    (bar.value, SegmentValue::CenterOf(place(i))),
                    (FONT, 17)
                        .into_font()
                        .color(&INK)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                )
            }))
            .map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_one_svg_with_its_names_and_nothing_fetched() {
        let svg = over_time(
            &[Line {
                name: "signed",
                colour: BLUE,
                counts: vec![1, 5, 2],
            }],
            3,
            &|step| format!("h{step}"),
        )
        .unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        let text = |t: &str| format!("\n{t}\n</text>");
        assert!(
            svg.contains(&text("signed")) && svg.contains(&text("h1")),
            "{svg}"
        );
        assert!(!svg.contains("href") && !svg.contains("url("), "{svg}");
        assert_eq!(svg.matches("http").count(), 1, "its namespace only: {svg}");
        let bars = bars(
            &[Bar {
                name: "uk".into(),
                value: 62.0,
                note: "62 %".into(),
                colour: GREEN,
            }],
            100.0,
            &|value| format!("{value:.0} %"),
        )
        .unwrap();
        assert!(
            bars.contains(&text("uk")) && bars.contains("62 %"),
            "{bars}"
        );
    }
}
