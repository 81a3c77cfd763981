//! A Kaplan–Meier chart drawn as SVG by our own code: one step line per group (cumulative
//! re-offending, 1 − survival), told apart by colour (Okabe–Ito) and dash pattern, with a
//! `<title>` and `<desc>` for screen readers. Pure, tested natively.

use ipvi_core::evaluate::km::Curve;
use ipvi_core::offenders::outputs::html_escape as esc;
use ipvi_core::report::svg::PALETTE;

const DASHES: [&str; 6] = ["", "6 3", "2 2", "8 3 2 3", "1 3", "4 4"];

/// The chart for `groups` (label, curve) up to `max_days`.
pub fn km_svg(id: &str, title: &str, desc: &str, groups: &[(String, Curve)], max_days: f64) -> String {
    let (w, h, l, r, t, b) = (720.0, 300.0, 52.0, 150.0, 16.0, 40.0);
    let max_days = if max_days > 0.0 { max_days } else { 365.0 };
    let top = groups
        .iter()
        .flat_map(|(_, c)| c.steps.iter().map(|s| 1.0 - s.survival))
        .fold(0.0f64, f64::max);
    let ymax = ((top * 10.0).ceil() / 10.0).clamp(0.1, 1.0);
    let px = |d: f64| l + (w - l - r) * (d.min(max_days) / max_days);
    let py = |v: f64| t + (h - t - b) * (1.0 - v / ymax);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 {w} {h}\" \
         aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(desc)
    );
    for k in 0..=4 {
        let v = ymax * k as f64 / 4.0;
        s.push_str(&format!(
            "<line x1=\"{l}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" class=\"grid\"/><text x=\"{}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"end\">{:.0}%</text>",
            w - r,
            l - 6.0,
            py(v) + 4.0,
            v * 100.0,
            y = py(v)
        ));
    }
    for m in (0..=(max_days / 30.4).floor() as i32).step_by(3) {
        let x = px(m as f64 * 30.4);
        s.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{m} mo</text>",
            h - b + 16.0
        ));
    }
    for (i, (label, curve)) in groups.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let mut d = format!("M{:.1},{:.1}", px(0.0), py(0.0));
        let mut last = 0.0;
        for st in curve.steps.iter().filter(|st| st.days <= max_days) {
            let y = 1.0 - st.survival;
            d.push_str(&format!(" H{:.1} V{:.1}", px(st.days), py(y)));
            last = y;
        }
        d.push_str(&format!(" H{:.1}", px(max_days)));
        s.push_str(&format!(
            "<path d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"{}\"/>",
            DASHES[i % DASHES.len()]
        ));
        let ly = t + 14.0 + 16.0 * i as f64;
        s.push_str(&format!(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{ly:.1}\" y2=\"{ly:.1}\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"{}\"/><text x=\"{}\" y=\"{:.1}\" class=\"legend\">{} ({:.0}%)</text>",
            w - r + 8.0,
            w - r + 30.0,
            DASHES[i % DASHES.len()],
            w - r + 34.0,
            ly + 4.0,
            esc(label),
            last * 100.0
        ));
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use ipvi_core::evaluate::km::{kaplan_meier, Follow};

    #[test]
    fn one_step_path_per_group_with_title_and_legend() {
        let a: Vec<Follow> = (0..10)
            .map(|i| Follow {
                days: 30.0 * (i + 1) as f64,
                event: i % 2 == 0,
            })
            .collect();
        let curve = kaplan_meier(&a);
        let svg = km_svg(
            "km",
            "Re-offending",
            "desc <x>",
            &[("List C".into(), curve.clone()), ("List B".into(), curve)],
            365.0,
        );
        assert_eq!(svg.matches("<path").count(), 2);
        assert!(svg.contains("<title id=\"km-t\">Re-offending</title>") && svg.contains("desc &lt;x&gt;"));
        assert!(svg.contains("List C") && svg.contains("List B"));
        assert!(svg.contains(PALETTE[0]) && svg.contains(PALETTE[1]));
    }
}
