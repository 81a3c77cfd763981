//! Charts as SVG text, drawn by our own code: no chart library, nothing fetched.
//!
//! Colours are the Okabe–Ito palette, safe for the common colour-vision deficiencies, and every
//! series is also told apart by its dash pattern or label. Each chart carries a `<title>` and a
//! `<desc>` for screen readers; the report puts the chart's table beside it.

use crate::offenders::outputs::html_escape as esc;

/// Okabe–Ito colours: blue, vermillion, bluish green, orange, reddish purple, sky blue.
pub const PALETTE: [&str; 6] = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9"];
const DASHES: [&str; 6] = ["", "6 3", "2 2", "8 3 2 3", "1 3", "4 4"];

fn open(id: &str, title: &str, desc: &str, w: u32, h: u32) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 {w} {h}\" \
         aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(desc)
    )
}

/// A value axis from 0: ticks every `step` (1, 2 or 5 times a power of ten) up to `top`, the
/// first multiple of the step at or above the largest value, so that every gridline sits on a
/// round value and its label is that value exactly (never 1.25 labelled "1"). The one axis
/// routine of every chart with a value scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    pub top: f64,
    pub step: f64,
    /// Decimals the labels need (0 for a step of 1 or more).
    pub decimals: usize,
}

impl Axis {
    /// The axis for values from 0 to `max` with at most `intervals` gridline intervals.
    pub fn new(max: f64, intervals: usize) -> Axis {
        if !(max.is_finite() && max > 0.0) {
            // Nothing to show: one interval, 0 to 1.
            return Axis {
                top: 1.0,
                step: 1.0,
                decimals: 0,
            };
        }
        let rough = max / intervals.max(1) as f64;
        let mag = 10f64.powf(rough.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|m| m * mag)
            .find(|&st| st >= rough * (1.0 - 1e-9))
            .unwrap_or(10.0 * mag);
        let top = (max / step - 1e-9).ceil().max(1.0) * step;
        let decimals = if step >= 1.0 {
            0
        } else {
            (-step.log10().floor()) as usize
        };
        Axis { top, step, decimals }
    }

    /// The tick values, 0 to `top`.
    pub fn ticks(&self) -> Vec<f64> {
        let n = (self.top / self.step).round() as usize;
        (0..=n).map(|k| k as f64 * self.step).collect()
    }

    /// A tick's label.
    pub fn label(&self, v: f64) -> String {
        format!("{:.*}", self.decimals, v)
    }
}

/// A line chart of several series over the same x labels. Missing values (suppressed cells)
/// break the line; a value with no neighbour is drawn as a dot. The legend sits below the plot
/// (never over a line) and lists exactly the series drawn (`class="series"`, one per legend
/// entry, the same `data-series` index); a series with no value at all is not drawn and the
/// legend says so in words instead.
pub fn line_chart(id: &str, title: &str, desc: &str, x: &[String], series: &[(String, Vec<Option<f64>>)]) -> String {
    let (w, l, r, t, plot_h, x_labels) = (720.0, 48.0, 16.0, 16.0, 220.0, 64.0);
    let axis = Axis::new(
        series
            .iter()
            .flat_map(|s| s.1.iter().flatten())
            .fold(0.0f64, |a, &v| a.max(v)),
        4,
    );
    let drawn: Vec<usize> = (0..series.len())
        .filter(|&k| series[k].1.iter().any(Option::is_some))
        .collect();
    let missing: Vec<usize> = (0..series.len()).filter(|k| !drawn.contains(k)).collect();
    // Legend rows below the x labels: one per drawn series, one more for series not drawn.
    let legend_top = t + plot_h + x_labels;
    let legend_rows = drawn.len() + usize::from(!missing.is_empty());
    let h = legend_top + 16.0 * legend_rows as f64 + 8.0;
    let max = axis.top;
    let n = x.len().max(2) as f64;
    let px = |i: usize| l + (w - l - r) * i as f64 / (n - 1.0);
    let py = |v: f64| t + plot_h * (1.0 - v / max);
    let mut s = open(id, title, desc, w as u32, h as u32);
    for v in axis.ticks() {
        s.push_str(&format!(
            "<line x1=\"{l}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" class=\"grid\"/><text x=\"{}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"end\">{}</text>",
            w - r,
            l - 6.0,
            py(v) + 4.0,
            axis.label(v),
            y = py(v)
        ));
    }
    let every = ((x.len() as f64 / 12.0).ceil() as usize).max(1);
    let xl = t + plot_h + 16.0;
    for (i, label) in x.iter().enumerate().filter(|(i, _)| i % every == 0) {
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{xl}\" class=\"tick\" text-anchor=\"end\" transform=\"rotate(-45 {:.1} {xl})\">{}</text>",
            px(i),
            px(i),
            esc(label)
        ));
    }
    for (row, &k) in drawn.iter().enumerate() {
        let (name, ys) = &series[k];
        let color = PALETTE[k % PALETTE.len()];
        let dash = DASHES[k % DASHES.len()];
        let mut d = String::new();
        let mut dots = String::new();
        for (i, v) in ys.iter().enumerate() {
            let Some(v) = v else { continue };
            let prev = i > 0 && ys[i - 1].is_some();
            let next = ys.get(i + 1).is_some_and(Option::is_some);
            d.push_str(&format!("{}{:.1},{:.1} ", if prev { "L" } else { "M" }, px(i), py(*v)));
            if !prev && !next {
                dots.push_str(&format!(
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{color}\"/>",
                    px(i),
                    py(*v)
                ));
            }
        }
        s.push_str(&format!(
            "<g class=\"series\" data-series=\"{k}\"><path d=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2.5\" stroke-dasharray=\"{dash}\"><title>{}</title></path>{dots}</g>",
            d.trim_end(),
            esc(name)
        ));
        let ly = legend_top + 16.0 * row as f64 + 6.0;
        s.push_str(&format!(
            "<g class=\"legend-entry\" data-series=\"{k}\"><line x1=\"{l}\" x2=\"{}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2.5\" stroke-dasharray=\"{dash}\"/><text x=\"{}\" y=\"{}\" class=\"legend\">{}</text></g>",
            l + 32.0,
            l + 40.0,
            ly + 4.0,
            esc(name)
        ));
    }
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|&k| series[k].0.clone()).collect();
        s.push_str(&format!(
            "<text x=\"{l}\" y=\"{:.1}\" class=\"legend not-drawn\">Not drawn, every value suppressed or missing: {}</text>",
            legend_top + 16.0 * drawn.len() as f64 + 10.0,
            esc(&names.join(", "))
        ));
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars with their values written at the end; a suppressed value draws no bar and
/// says so.
pub fn bar_chart(
    id: &str,
    title: &str,
    desc: &str,
    bars: &[(String, Option<f64>)],
    format: &dyn Fn(f64) -> String,
) -> String {
    let (w, row, l, r) = (720.0, 28.0, 220.0, 90.0);
    let h = row * bars.len().max(1) as f64 + 16.0;
    let max = Axis::new(bars.iter().filter_map(|b| b.1).fold(0.0f64, f64::max), 4).top;
    let mut s = open(id, title, desc, w as u32, h as u32);
    for (i, (label, v)) in bars.iter().enumerate() {
        let y = 8.0 + row * i as f64;
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"end\">{}</text>",
            l - 8.0,
            y + row / 2.0 + 4.0,
            esc(label)
        ));
        match v {
            Some(v) => {
                let bw = (w - l - r) * v / max;
                s.push_str(&format!(
                    "<rect x=\"{l}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"value\">{}</text>",
                    y + 4.0,
                    row - 8.0,
                    PALETTE[0],
                    l + bw + 6.0,
                    y + row / 2.0 + 4.0,
                    esc(&format(*v))
                ));
            }
            None => s.push_str(&format!(
                "<text x=\"{}\" y=\"{:.1}\" class=\"value\">suppressed</text>",
                l + 6.0,
                y + row / 2.0 + 4.0
            )),
        }
    }
    s.push_str("</svg>");
    s
}

/// A Lorenz-style curve: share of offenders (most harmful first) against share of harm, with
/// the line of equal shares for comparison.
pub fn lorenz(id: &str, title: &str, desc: &str, points: &[(f64, f64)]) -> String {
    let (w, h, m) = (360.0, 360.0, 44.0);
    let px = |x: f64| m + (w - 2.0 * m) * x;
    let py = |y: f64| h - m - (h - 2.0 * m) * y;
    // Square: drawn at most half the width of the others (`svg.square`).
    let mut s = open(id, title, desc, w as u32, h as u32).replacen("class=\"chart\"", "class=\"chart square\"", 1);
    for k in 0..=4 {
        let v = k as f64 / 4.0;
        s.push_str(&format!(
            "<line x1=\"{m}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" class=\"grid\"/><text x=\"{}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"end\">{}%</text>\
             <text x=\"{x:.1}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{}%</text>",
            w - m,
            m - 6.0,
            py(v) + 4.0,
            (v * 100.0).round(),
            h - m + 16.0,
            (v * 100.0).round(),
            y = py(v),
            x = px(v)
        ));
    }
    s.push_str(&format!(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#777\" stroke-dasharray=\"4 4\"/>",
        px(0.0),
        py(0.0),
        px(1.0),
        py(1.0)
    ));
    let d: String = points
        .iter()
        .enumerate()
        .map(|(i, (x, y))| format!("{}{:.1},{:.1} ", if i == 0 { "M" } else { "L" }, px(*x), py(*y)))
        .collect();
    s.push_str(&format!(
        "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"3\"/>",
        d.trim_end(),
        PALETTE[1]
    ));
    s.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">share of IPV offenders, most harmful first</text>",
        w / 2.0,
        h - 8.0
    ));
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_labelled_and_escape_text() {
        let l = line_chart(
            "m",
            "Monthly <incidents>",
            "desc",
            &["2024-01".into(), "2024-02".into()],
            &[("IPV".into(), vec![Some(3.0), None])],
        );
        assert!(l.starts_with("<svg") && l.ends_with("</svg>"));
        assert!(l.contains("role=\"img\"") && l.contains("<title id=\"m-t\">Monthly &lt;incidents&gt;</title>"));
        let b = bar_chart("b", "t", "d", &[("A".into(), Some(2.0)), ("B".into(), None)], &|v| {
            format!("{v}")
        });
        assert!(b.contains("suppressed"));
        let top = |v: f64| Axis::new(v, 4).top;
        assert_eq!(top(7.0), 8.0);
        assert_eq!(top(120.0), 150.0);
        assert_eq!(top(0.0), 1.0);
    }

    /// Regression: the report's legend listed an "Other family" line that was not drawn (every
    /// count suppressed) and sat over a dotted line. The legend lists exactly the drawn series,
    /// below the plot; a series with no value is named as not drawn; a lone value is a dot.
    #[test]
    fn legend_entries_are_the_drawn_series_and_sit_below_the_plot() {
        let x: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        let svg = line_chart(
            "m",
            "t",
            "d",
            &x,
            &[
                (
                    "Intimate partner".into(),
                    vec![Some(20.0), Some(25.0), Some(30.0), Some(22.0)],
                ),
                ("Other family".into(), vec![None, None, None, None]),
                ("Other".into(), vec![Some(12.0), None, Some(14.0), None]),
            ],
        );
        let attr = |marker: &str| -> Vec<String> {
            svg.split(marker)
                .skip(1)
                .map(|p| p.split('"').next().unwrap_or("").to_string())
                .collect()
        };
        let drawn = attr("<g class=\"series\" data-series=\"");
        let legend = attr("<g class=\"legend-entry\" data-series=\"");
        assert_eq!(drawn, ["0", "2"]);
        assert_eq!(legend, drawn);
        assert!(svg.contains("Not drawn, every value suppressed or missing: Other family"));
        // Lone values (no neighbour) are dots, so "Other" is visible.
        assert_eq!(svg.matches("<circle").count(), 2);
        // Every legend entry is below the plot area (y of the lowest gridline).
        let plot_bottom = 16.0 + 220.0;
        for p in svg.split("<g class=\"legend-entry\"").skip(1) {
            let y: f64 = p
                .split("y1=\"")
                .nth(1)
                .and_then(|q| q.split('"').next())
                .and_then(|q| q.parse().ok())
                .unwrap_or(0.0);
            assert!(y > plot_bottom, "legend at y {y} overlaps the plot");
        }
    }

    /// Gridlines on round values, each labelled with its exact value: a largest count of 5 used
    /// to draw gridlines at 0, 1.25, 2.5, 3.75 and 5 labelled 0, 1, 3, 4, 5.
    #[test]
    fn axis_ticks_are_round_and_labelled_exactly() {
        let cases: [(f64, &[&str]); 7] = [
            (5.0, &["0", "2", "4", "6"]),
            (4.0, &["0", "1", "2", "3", "4"]),
            (1.0, &["0.0", "0.5", "1.0"]),
            (0.3, &["0.0", "0.1", "0.2", "0.3"]),
            (37.0, &["0", "10", "20", "30", "40"]),
            (1234.0, &["0", "500", "1000", "1500"]),
            (0.0, &["0", "1"]),
        ];
        for (max, want) in cases {
            let a = Axis::new(max, 4);
            let got: Vec<String> = a.ticks().iter().map(|&v| a.label(v)).collect();
            assert_eq!(got, want, "largest value {max}: {a:?}");
            assert!(a.top >= max, "the top covers the largest value {max}");
            for v in a.ticks() {
                assert!(
                    (a.label(v).parse::<f64>().unwrap_or(f64::NAN) - v).abs() < 1e-9,
                    "label of {v}"
                );
            }
        }
        // The chart draws exactly those gridlines and labels.
        let svg = line_chart(
            "e",
            "t",
            "d",
            &["a".into(), "b".into()],
            &[("x".into(), vec![Some(1.0), Some(5.0)])],
        );
        let labels: Vec<&str> = svg
            .split("class=\"tick\" text-anchor=\"end\">")
            .skip(1)
            .map(|p| p.split('<').next().unwrap_or(""))
            .take(4)
            .collect();
        assert_eq!(labels, ["0", "2", "4", "6"]);
    }
}
