//! The report as one self-contained HTML page: text, SVG charts, a table under every chart,
//! a print stylesheet, and no script. The same body is shown in the app.

use super::metrics::SiteMetrics;
use super::suppress::{thousands, Count};
use super::svg::{bar_chart, line_chart, lorenz};
pub use crate::export::SYNTHETIC_NOTE;
use crate::offenders::outputs::html_escape as esc;

/// What goes on the report besides the metrics.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions {
    /// "Prepared on" date, given by the caller (the core reads no clock).
    pub prepared_on: String,
    /// Extra sections already rendered as HTML by their owners (workload, site assessment).
    pub extra_sections: Vec<String>,
}

/// Why the data-quality section's unknown share and the site assessment's "usable relationship
/// code" share differ: shown wherever both appear.
pub const USABLE_NOTE: &str = "The site assessment's share of pairs with a usable relationship code counts \
the code field alone (present, and not RU, relationship unknown), before any text is read; a pair with a \
vague code can still be classified from its text, and a code the table does not know leaves it unknown, so \
the two figures do not add to 100%.";

const STYLE: &str = "
.synthetic{background:#fff0f0;border:2px solid #B00020;color:#5a0010;padding:.5rem .8rem;font-weight:600}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1a1a1a;max-width:60rem;margin:0 auto;padding:1rem 1.5rem;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;border-bottom:2px solid #0072B2;padding-bottom:.2rem;margin-top:2rem}
.meta{color:#444}.note{background:#f3f6fa;border-left:4px solid #0072B2;padding:.5rem .8rem}
.unavailable{background:#fff6e5;border-left:4px solid #E69F00;padding:.5rem .8rem}
.pair{display:flex;flex-direction:column;gap:.6rem;align-items:flex-start}.pair>svg{width:100%;max-width:48rem;height:auto}.pair>svg.square{max-width:24rem}
table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #bbb;padding:.2rem .45rem;text-align:right}th:first-child,td:first-child{text-align:left}
caption{caption-side:top;text-align:left;font-weight:600;padding-bottom:.2rem}
svg .grid{stroke:#ddd}svg .tick,svg .legend,svg .value{font-size:11px;fill:#333}
@media print{body{max-width:none;padding:0}h2{break-after:avoid}.pair,table,svg{break-inside:avoid}a{color:inherit;text-decoration:none}}
";

fn pct(part: f64, whole: f64) -> String {
    if whole <= 0.0 {
        "—".into()
    } else {
        format!("{:.0}%", 100.0 * part / whole)
    }
}

fn show(c: Count, t: u64) -> String {
    c.show(t)
}

fn v(c: Count) -> Option<f64> {
    c.value().map(|x| x as f64)
}

fn table(caption: &str, headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut s = format!("<table><caption>{}</caption><thead><tr>", esc(caption));
    for h in headers {
        s.push_str(&format!("<th scope=\"col\">{}</th>", esc(h)));
    }
    s.push_str("</tr></thead><tbody>");
    for r in rows {
        s.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            if i == 0 {
                s.push_str(&format!("<th scope=\"row\">{}</th>", esc(c)));
            } else {
                s.push_str(&format!("<td>{}</td>", esc(c)));
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

/// The report's body (sections only), for embedding in the app.
pub fn body(m: &SiteMetrics, opts: &ReportOptions) -> String {
    let t = m.suppression_threshold.unwrap_or(0);
    let mut s = String::new();
    let period = match (&m.first_month, &m.last_month) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "no dated incidents".into(),
    };
    s.push_str(&format!(
        "<header><h1>{}IPV problem analysis: {}</h1>{}<p class=\"meta\">Data: {} ({}), {period}. Prepared on {}.{}</p></header>",
        if m.synthetic { "Synthetic data — " } else { "" },
        esc(&m.site),
        if m.synthetic {
            format!("<p class=\"synthetic\" role=\"note\">{SYNTHETIC_NOTE}</p>")
        } else {
            String::new()
        },
        match m.source.as_str() {
            "nibrs" => "NIBRS incident extract",
            "incidents" => "agency incident records, no person rows",
            _ => "agency records",
        },
        esc(&m.source),
        esc(&opts.prepared_on),
        if m.suppression_threshold.is_some() {
            format!(" Shareable version: no names, record ids or victim identifiers; counts under {t} are suppressed (shown as &lt;{t}), with any count that would reveal them.")
        } else {
            " Internal version: not for release outside the agency.".into()
        }
    ));

    // Summary sentences.
    let d = &m.domestic;
    let dom_total: Option<f64> = (|| Some(v(d.ipv_only)? + v(d.other_family_only)? + v(d.both)?))();
    let mut summary = Vec::new();
    if let Some(total) = dom_total {
        let ipv = v(d.ipv_only).unwrap_or(0.0) + v(d.both).unwrap_or(0.0);
        summary.push(format!(
            "Of {} domestic incidents, {} involved an intimate partner and {} only other family members.",
            thousands(total as u64),
            pct(ipv, total),
            pct(v(d.other_family_only).unwrap_or(0.0), total)
        ));
    }
    if let Some(h) = &m.harm {
        summary.push(format!(
            "{} of IPV offenders account for 80% of recorded harm; the most harmful 5% account for {}.",
            pct(h.share_for_80, 1.0),
            pct(h.top5_share, 1.0)
        ));
    }
    if let Some(vs) = &m.versatility {
        if let (Some(a), Some(n)) = (v(vs.any_non_domestic), v(vs.offenders)) {
            summary.push(format!(
                "{} of IPV offenders also have non-domestic records.",
                pct(a, n)
            ));
        }
    }
    if !summary.is_empty() {
        s.push_str(&format!(
            "<section><h2>Summary</h2><ul>{}</ul></section>",
            summary.iter().map(|x| format!("<li>{x}</li>")).collect::<String>()
        ));
    }

    // Monthly incidents by class.
    let months: Vec<String> = m.monthly.iter().map(|r| r.month.clone()).collect();
    let unit = if m.granularity == "quarter" { "quarter" } else { "month" };
    let unspecified = m.monthly.iter().any(|r| r.domestic_unspecified.is_some());
    let mut series = vec![
        (
            "Intimate partner".to_string(),
            m.monthly.iter().map(|r| v(r.ipv)).collect(),
        ),
        (
            "Other family".to_string(),
            m.monthly.iter().map(|r| v(r.other_family)).collect(),
        ),
        (
            "Other victim–offender".to_string(),
            m.monthly.iter().map(|r| v(r.other)).collect(),
        ),
    ];
    if unspecified {
        series.push((
            "Domestic, relationship unspecified".to_string(),
            m.monthly.iter().map(|r| r.domestic_unspecified.and_then(v)).collect(),
        ));
    }
    let rows: Vec<Vec<String>> = m
        .monthly
        .iter()
        .map(|r| {
            let mut row = vec![
                r.month.clone(),
                show(r.ipv, t),
                show(r.other_family, t),
                show(r.other, t),
            ];
            if unspecified {
                row.push(r.domestic_unspecified.map(|c| show(c, t)).unwrap_or_default());
            }
            row
        })
        .collect();
    let mut month_headers = vec![
        if unit == "quarter" { "Quarter" } else { "Month" },
        "Intimate partner",
        "Other family",
        "Other",
    ];
    if unspecified {
        month_headers.push("Domestic, unspecified");
    }
    s.push_str(&format!(
        "<section><h2>Incidents by {unit} and relationship</h2><p>Each incident is counted once: as intimate-partner when any of its victim–offender pairs is, else as other family, else as other. Compare the same {unit} across years for seasonality.{coarse}</p><div class=\"pair\">{}{}</div></section>",
        line_chart("monthly", &format!("Incidents by {unit} and relationship class"), &format!("Counts per {unit} of incidents with an intimate-partner pair, an other-family pair, and other victim–offender pairs; the table under the chart gives every value."), &months, &series),
        table(&format!("Incidents by {unit}"), &month_headers, &rows),
        coarse = if unit == "quarter" { " Counts are shown by quarter because many monthly counts were too small to publish." } else { "" },
    ));

    // Domestic split and pairs by class.
    let bars = vec![
        ("Intimate partner only".to_string(), v(d.ipv_only)),
        ("Other family only".to_string(), v(d.other_family_only)),
        ("Both in one incident".to_string(), v(d.both)),
    ];
    let class_rows: Vec<Vec<String>> = m
        .pairs_by_class
        .iter()
        .map(|(k, c)| vec![k.replace('_', " "), show(*c, t)])
        .collect();
    s.push_str(&format!(
        "<section><h2>Domestic incidents: intimate partner or other family</h2><div class=\"pair\">{}{}</div>{}</section>",
        bar_chart("domestic", "Domestic incidents by kind", "Domestic incidents with only intimate-partner pairs, only other-family pairs, or both.", &bars, &|x| thousands(x as u64)),
        table("Domestic incidents", &["Kind", "Incidents"], &bars.iter().map(|(l, c)| vec![l.clone(), c.map(|x| thousands(x as u64)).unwrap_or_else(|| format!("<{t}"))]).collect::<Vec<_>>()),
        table("Victim–offender pairs by relationship class", &["Class", "Pairs"], &class_rows)
    ));

    if let Some(ic) = &m.incidents_by_class {
        let bars: Vec<(String, Option<f64>)> = ic.iter().map(|(k, c)| (k.replace('_', " "), v(*c))).collect();
        s.push_str(&format!(
            "<section><h2>Incidents by class</h2><p>Every incident once: by its most serious victim–offender pair where it has pairs, else by its offences (a local code or statute naming an intimate partner or other family) and the agency's domestic flag. A flag or a generic offence such as \"domestic battery\" alone cannot tell partners from other family: those incidents are domestic with the relationship unspecified, never counted as IPV.</p><div class=\"pair\">{}{}</div></section>",
            bar_chart("incident_classes", "Incidents by class", "Incidents by relationship class, from pairs, offences and domestic flags.", &bars, &|x| thousands(x as u64)),
            table("Incidents by class", &["Class", "Incidents"], &ic.iter().map(|(k, c)| vec![k.replace('_', " "), show(*c, t)]).collect::<Vec<_>>())
        ));
    }
    for (rows, title, what) in [
        (&m.by_offense, "Domestic incidents by offence", "Offence"),
        (&m.by_place, "Domestic incidents by place", "Place"),
        (&m.by_agency, "Domestic incidents by agency", "Agency"),
    ] {
        if rows.is_empty() {
            continue;
        }
        let body: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.key.clone(),
                    show(r.ipv, t),
                    show(r.other_family, t),
                    show(r.domestic_unspecified, t),
                ]
            })
            .collect();
        s.push_str(&format!(
            "<section><h2>{}</h2>{}</section>",
            esc(title),
            table(
                title,
                &[what, "Intimate partner", "Other family", "Domestic, unspecified"],
                &body
            )
        ));
    }
    if let Some(h) = &m.harm {
        let rows: Vec<Vec<String>> = h
            .lorenz
            .iter()
            .step_by((h.lorenz.len() / 10).max(1))
            .map(|(x, y)| vec![pct(*x, 1.0), pct(*y, 1.0)])
            .collect();
        s.push_str(&format!(
            "<section><h2>Harm concentration</h2><p>{} of IPV offenders account for 80% of harm (Crime Harm Index, days of custody at guideline starting points; proactively found offences weigh nothing).</p><div class=\"pair\">{}{}</div></section>",
            pct(h.share_for_80, 1.0),
            lorenz("lorenz", "Harm concentration among IPV offenders", "Cumulative share of harm against the cumulative share of offenders, most harmful first; the dashed line is equal shares.", &h.lorenz),
            table("Cumulative shares", &["Offenders", "Harm"], &rows)
        ));
    }
    if let Some(vs) = &m.versatility {
        let n = v(vs.offenders).unwrap_or(0.0);
        let bars: Vec<(String, Option<f64>)> = vs
            .by_type
            .iter()
            .map(|(k, c)| (k.clone(), v(*c).map(|x| 100.0 * x / n.max(1.0))))
            .collect();
        s.push_str(&format!(
            "<section><h2>Versatility</h2><p>IPV offenders with non-domestic records, by crime type (share of {} IPV offenders).</p><div class=\"pair\">{}{}</div></section>",
            show(vs.offenders, t),
            bar_chart("versatility", "IPV offenders with non-domestic records, by crime type", "Share of IPV offenders with at least one non-domestic incident of each crime type.", &bars, &|x| format!("{x:.0}%")),
            table("Non-domestic records", &["Crime type", "Offenders"], &vs.by_type.iter().map(|(k, c)| vec![k.clone(), show(*c, t)]).collect::<Vec<_>>())
        ));
    }
    if let Some(r) = &m.repeat_victims {
        s.push_str(&format!(
            "<section><h2>Repeat victimisation</h2><p>{} intimate-partner victims; {} of them in more than one incident.</p></section>",
            show(r.victims, t),
            show(r.repeat, t)
        ));
    }
    if let Some(g) = &m.repeat_gaps {
        let bars: Vec<(String, Option<f64>)> = g.iter().map(|(k, c)| (k.clone(), v(*c))).collect();
        s.push_str(&format!(
            "<section><h2>Time between repeat incidents</h2><p>Days between an offender's consecutive intimate-partner incidents. Repeats that come early argue for fast notification.</p><div class=\"pair\">{}{}</div></section>",
            bar_chart("gaps", "Time between consecutive IPV incidents of the same offender", "Counts of gaps between an offender's consecutive IPV incidents, by length.", &bars, &|x| thousands(x as u64)),
            table("Gaps", &["Gap", "Repeats"], &g.iter().map(|(k, c)| vec![k.clone(), show(*c, t)]).collect::<Vec<_>>())
        ));
    }
    if let Some(l) = &m.lists {
        let bars: Vec<(String, Option<f64>)> = l.sizes.iter().map(|(k, c)| (format!("List {k}"), v(*c))).collect();
        s.push_str(&format!(
            "<section><h2>IPVI lists</h2><div class=\"pair\">{}{}</div>{}</section>",
            bar_chart(
                "lists",
                "People on each IPVI list",
                "Number of offenders on lists A, B, C and D.",
                &bars,
                &|x| thousands(x as u64)
            ),
            table(
                "List sizes",
                &["List", "People"],
                &l.sizes
                    .iter()
                    .map(|(k, c)| vec![k.clone(), show(*c, t)])
                    .collect::<Vec<_>>()
            ),
            table(
                "Changes since the previous run",
                &["List", "Change", "People"],
                &l.changes
                    .iter()
                    .map(|(a, b, c)| vec![a.clone(), b.clone(), show(*c, t)])
                    .collect::<Vec<_>>()
            )
        ));
    }
    let q = &m.quality;
    let mut qrows = vec![
        vec!["Victim–offender pairs".to_string(), show(q.pairs, t)],
        vec![
            "Pairs with an unknown relationship".to_string(),
            show(q.relationship_unknown, t),
        ],
        vec![
            "Incidents without a usable date".to_string(),
            show(q.undated_incidents, t),
        ],
    ];
    if let (Some(a), Some(b)) = (q.missing_dob, q.person_records) {
        qrows.push(vec!["Person records".into(), show(b, t)]);
        qrows.push(vec!["Person records without a date of birth".into(), show(a, t)]);
    }
    let unknown_share = match (v(q.relationship_unknown), v(q.pairs)) {
        (Some(a), Some(b)) => format!(
            "{} of pairs have an unknown relationship after every source was read (the relationship code, \
             free text, narrative and offence). {USABLE_NOTE}",
            pct(a, b)
        ),
        // A suppressed count gives no share; the difference is still explained.
        _ => format!(
            "Pairs with an unknown relationship are those left unknown after every source was read (the \
             relationship code, free text, narrative and offence). {USABLE_NOTE}"
        ),
    };
    s.push_str(&format!(
        "<section><h2>Data quality</h2><p>{unknown_share}</p>{}</section>",
        table("Data quality", &["Measure", "Count"], &qrows)
    ));
    for extra in &opts.extra_sections {
        s.push_str(extra);
    }
    if !m.unavailable.is_empty() {
        s.push_str("<section><h2>What this data cannot show</h2><div class=\"unavailable\"><ul>");
        for u in &m.unavailable {
            s.push_str(&format!(
                "<li><strong>{}</strong>: {}</li>",
                esc(&u.section),
                esc(&u.reason)
            ));
        }
        s.push_str("</ul></div></section>");
    }
    s.push_str("<section><h2>Method</h2><p class=\"note\">Relationship classes come from the victim-to-offender relationship codes (and, in agency data, free text, narratives and offences that name the relationship, such as a local code \"INTIMATE PARTNER - SIMPLE ASSAULT\" or a statute \"battery, former spouse or dating relationship\"). Intimate partner: current or former spouse, common-law spouse, dating partner, child in common, same-sex partners. Counts are of incidents unless stated. Rates are always given with their window and cohort.</p></section>");
    s
}

/// The whole page, self-contained: styles inline, no script, no external resource.
pub fn page(m: &SiteMetrics, opts: &ReportOptions) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}IPV problem analysis: {}</title><style>{STYLE}</style></head>\
<body><main>{}</main></body></html>\n",
        if m.synthetic { "Synthetic data — " } else { "" },
        esc(&m.site),
        body(m, opts)
    )
}

/// The report's stylesheet, for the app to include once.
pub fn stylesheet() -> &'static str {
    STYLE
}
