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
/// break the line.
pub fn line_chart(id: &str, title: &str, desc: &str, x: &[String], series: &[(String, Vec<Option<f64>>)]) -> String {
    let (w, h, l, r, t, b) = (720.0, 300.0, 48.0, 16.0, 16.0, 64.0);
    let axis = Axis::new(
        series
            .iter()
            .flat_map(|s| s.1.iter().flatten())
            .fold(0.0f64, |a, &v| a.max(v)),
        4,
    );
    let max = axis.top;
    let n = x.len().max(2) as f64;
    let px = |i: usize| l + (w - l - r) * i as f64 / (n - 1.0);
    let py = |v: f64| t + (h - t - b) * (1.0 - v / max);
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
    for (i, label) in x.iter().enumerate().filter(|(i, _)| i % every == 0) {
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\" class=\"tick\" text-anchor=\"end\" transform=\"rotate(-45 {:.1} {})\">{}</text>",
            px(i),
            h - b + 16.0,
            px(i),
            h - b + 16.0,
            esc(label)
        ));
    }
    for (k, (name, ys)) in series.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let mut d = String::new();
        let mut pen = false;
        for (i, v) in ys.iter().enumerate() {
            match v {
                Some(v) => {
                    d.push_str(&format!("{}{:.1},{:.1} ", if pen { "L" } else { "M" }, px(i), py(*v)));
                    pen = true;
                }
                None => pen = false,
            }
        }
        s.push_str(&format!(
            "<path d=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2.5\" stroke-dasharray=\"{}\"><title>{}</title></path>",
            d.trim_end(),
            DASHES[k % DASHES.len()],
            esc(name)
        ));
        let ly = t + 14.0 * k as f64 + 6.0;
        s.push_str(&format!(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2.5\" stroke-dasharray=\"{}\"/><text x=\"{}\" y=\"{}\" class=\"legend\">{}</text>",
            w - r - 150.0,
            w - r - 126.0,
            DASHES[k % DASHES.len()],
            w - r - 120.0,
            ly + 4.0,
            esc(name)
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
    let mut s = open(id, title, desc, w as u32, h as u32);
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
