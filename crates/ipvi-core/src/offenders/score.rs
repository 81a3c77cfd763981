//! Scores: the ranking score (RFGV extended) and harm, each shown as its components.
//!
//! RFGV follows Northumbria's MATAC approach: recency, frequency, gravity and victims, summed.
//! MATAC scores each from coarse bands; ours are continuous (a half-life for recency, a log
//! scale for counts and days), so that two offenders tie only when their histories do, and the
//! ranking adds four components the IPVI asks for: other offending weighed by the harm table,
//! strangulation, weapons and protective-order violations. Each component's points are
//! `weight × transform(value / unit)`; the weights, transforms, units and the basis of each
//! are data (`data/score_weights.csv`), design choices the analyst can edit — MATAC's weights
//! are not published. docs/ranking.md gives the reasoning and the validation.

use super::features::Features;
use super::PersonIx;
use serde::{Deserialize, Serialize};

const DEFAULT_WEIGHTS: &str = include_str!("../../data/score_weights.csv");

/// One component of the score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    /// Days since the last IPV incident.
    Recency,
    /// IPV incidents in the window.
    Frequency,
    /// Gravity days of the IPV incidents.
    Gravity,
    /// Distinct intimate-partner victims.
    Victims,
    /// Harm days of offending that is not IPV.
    OtherHarm,
    /// Incidents with strangulation.
    Strangulation,
    /// Incidents with a weapon or firearm.
    Weapons,
    /// Protective-order violations.
    OrderViolations,
}

impl Component {
    /// Every component, in the order they are shown.
    pub const ALL: [Component; 8] = [
        Component::Recency,
        Component::Frequency,
        Component::Gravity,
        Component::Victims,
        Component::OtherHarm,
        Component::Strangulation,
        Component::Weapons,
        Component::OrderViolations,
    ];

    /// The name used in the weights table and in explanations.
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Recency => "recency",
            Component::Frequency => "frequency",
            Component::Gravity => "gravity",
            Component::Victims => "victims",
            Component::OtherHarm => "other_harm",
            Component::Strangulation => "strangulation",
            Component::Weapons => "weapons",
            Component::OrderViolations => "order_violations",
        }
    }

    /// Parse a name of the weights table.
    pub fn parse(s: &str) -> Option<Component> {
        Component::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    /// The raw value this component reads from the features (`None`: no IPV incident dated,
    /// for recency).
    pub fn value(self, f: &Features) -> Option<f64> {
        Some(match self {
            Component::Recency => f.recency_days? as f64,
            Component::Frequency => f.frequency as f64,
            Component::Gravity => f.gravity_days,
            Component::Victims => f.victims as f64,
            Component::OtherHarm => f.other_harm_days,
            Component::Strangulation => f.strangulation_incidents.len() as f64,
            Component::Weapons => f.weapon_incidents.len() as f64,
            Component::OrderViolations => f.order_violations.len() as f64,
        })
    }
}

/// How a value becomes points (before the weight).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transform {
    /// `2^(-value/unit)`: 1 for today, ½ after one unit, ¼ after two (recency).
    HalfLife,
    /// `log2(value/unit)` for values of at least one unit, else 0: 0 for one, 1 for two.
    Log2,
    /// `log2(1 + value/unit)`: 0 for none, 1 for one unit, 2 for three units.
    Log2OnePlus,
}

impl Transform {
    /// The name used in the weights table.
    pub fn as_str(self) -> &'static str {
        match self {
            Transform::HalfLife => "half_life",
            Transform::Log2 => "log2",
            Transform::Log2OnePlus => "log2_1p",
        }
    }

    /// Parse a name of the weights table.
    pub fn parse(s: &str) -> Option<Transform> {
        [Transform::HalfLife, Transform::Log2, Transform::Log2OnePlus]
            .into_iter()
            .find(|t| t.as_str() == s.trim())
    }

    /// Apply to a value (`None` scores 0).
    pub fn apply(self, value: Option<f64>, unit: f64) -> f64 {
        let Some(v) = value else {
            return 0.0;
        };
        let x = (v / unit).max(0.0);
        match self {
            Transform::HalfLife => libm::exp2(-x),
            Transform::Log2 => libm::log2(x.max(1.0)),
            Transform::Log2OnePlus => libm::log2(1.0 + x),
        }
    }
}

/// One row of the weights table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComponentWeight {
    pub component: Component,
    /// Points per unit of the transformed value (0 switches the component off).
    pub weight: f64,
    pub transform: Transform,
    /// The unit the value is divided by before the transform (days, incidents, ...).
    pub unit: f64,
    /// Why this weight: shown beside the score.
    pub basis: String,
}

/// The score configuration: one row per component, every component listed once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RfgvConfig {
    pub version: u32,
    pub components: Vec<ComponentWeight>,
}

/// Why a weights table could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScoreWeightsError {
    #[error("score weights, row {row}, column {column}, value {value:?}: {message}")]
    Cell {
        row: u64,
        column: &'static str,
        value: String,
        message: String,
    },
    #[error("score weights: component {0:?} is missing; list every component (weight 0 switches one off)")]
    Missing(&'static str),
}

impl Default for RfgvConfig {
    fn default() -> Self {
        // The embedded table is tested; an error here would be a build defect, so fall back to
        // an empty configuration (every offender scores 0, ranked by harm) rather than panic.
        Self::from_csv(DEFAULT_WEIGHTS).unwrap_or(RfgvConfig {
            version: 2,
            components: Vec::new(),
        })
    }
}

impl RfgvConfig {
    /// Read `component,weight,transform,unit,basis` CSV. Every component must appear once.
    pub fn from_csv(text: &str) -> Result<RfgvConfig, ScoreWeightsError> {
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut components: Vec<ComponentWeight> = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let row = i as u64 + 2;
            let cell_err = |column: &'static str, value: &str, message: &str| ScoreWeightsError::Cell {
                row,
                column,
                value: value.to_string(),
                message: message.to_string(),
            };
            let rec = rec.map_err(|e| cell_err("", "", &format!("unreadable row ({e})")))?;
            let get = |k: usize| rec.get(k).unwrap_or("");
            let component = Component::parse(get(0)).ok_or_else(|| {
                cell_err(
                    "component",
                    get(0),
                    "unknown component: use recency, frequency, gravity, victims, other_harm, strangulation, weapons or order_violations",
                )
            })?;
            if components.iter().any(|c| c.component == component) {
                return Err(cell_err("component", get(0), "listed twice: keep one row"));
            }
            let weight: f64 = get(1)
                .parse()
                .ok()
                .filter(|w: &f64| w.is_finite() && *w >= 0.0)
                .ok_or_else(|| cell_err("weight", get(1), "needs a number of points, 0 or more"))?;
            let transform = Transform::parse(get(2))
                .ok_or_else(|| cell_err("transform", get(2), "use half_life, log2 or log2_1p"))?;
            let unit: f64 = get(3)
                .parse()
                .ok()
                .filter(|u: &f64| u.is_finite() && *u > 0.0)
                .ok_or_else(|| cell_err("unit", get(3), "needs a positive number"))?;
            components.push(ComponentWeight {
                component,
                weight,
                transform,
                unit,
                basis: get(4).to_string(),
            });
        }
        if let Some(c) = Component::ALL
            .into_iter()
            .find(|c| !components.iter().any(|w| w.component == *c))
        {
            return Err(ScoreWeightsError::Missing(c.as_str()));
        }
        components.sort_by_key(|c| c.component);
        Ok(RfgvConfig { version: 2, components })
    }

    /// The points of one component for a value.
    pub fn points(&self, component: Component, value: Option<f64>) -> f64 {
        self.components
            .iter()
            .find(|c| c.component == component)
            .map(|c| c.weight * c.transform.apply(value, c.unit))
            .unwrap_or(0.0)
    }
}

/// One offender's scores, with their components (points).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub person: PersonIx,
    pub recency: f64,
    pub frequency: f64,
    pub gravity: f64,
    pub victims: f64,
    pub other_harm: f64,
    pub strangulation: f64,
    pub weapons: f64,
    pub order_violations: f64,
    /// The ranking score: the sum of every component.
    pub rfgv: f64,
    /// Crime Harm Index (days), all crime types in the window.
    pub harm: f64,
    /// 1 = highest; ties broken by harm, then recency, then the person index.
    pub rank: u32,
}

impl Score {
    /// The points of one component.
    pub fn points(&self, c: Component) -> f64 {
        match c {
            Component::Recency => self.recency,
            Component::Frequency => self.frequency,
            Component::Gravity => self.gravity,
            Component::Victims => self.victims,
            Component::OtherHarm => self.other_harm,
            Component::Strangulation => self.strangulation,
            Component::Weapons => self.weapons,
            Component::OrderViolations => self.order_violations,
        }
    }

    /// Each component with its points, in display order.
    pub fn contributions(&self) -> [(Component, f64); 8] {
        Component::ALL.map(|c| (c, self.points(c)))
    }

    /// The score as a sum of its components, e.g. `14.2 = recency 0.8 + frequency 6.0 + …`.
    pub fn explain(&self) -> String {
        let parts: Vec<String> = self
            .contributions()
            .iter()
            .map(|(c, p)| format!("{} {p:.1}", c.as_str().replace('_', " ")))
            .collect();
        format!("{:.1} = {}", self.rfgv, parts.join(" + "))
    }
}

/// Score every offender and rank them.
pub fn score(features: &[Features], cfg: &RfgvConfig) -> Vec<Score> {
    let mut out: Vec<Score> = features
        .iter()
        .map(|f| {
            let p = |c: Component| cfg.points(c, c.value(f));
            let mut s = Score {
                person: f.person,
                recency: p(Component::Recency),
                frequency: p(Component::Frequency),
                gravity: p(Component::Gravity),
                victims: p(Component::Victims),
                other_harm: p(Component::OtherHarm),
                strangulation: p(Component::Strangulation),
                weapons: p(Component::Weapons),
                order_violations: p(Component::OrderViolations),
                rfgv: 0.0,
                harm: f.harm_days,
                rank: 0,
            };
            s.rfgv = s.contributions().iter().map(|(_, p)| p).sum();
            s
        })
        .collect();
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&out[a], &out[b]);
        y.rfgv
            .total_cmp(&x.rfgv)
            .then(y.harm.total_cmp(&x.harm))
            .then(y.recency.total_cmp(&x.recency))
            .then(x.person.cmp(&y.person))
    });
    for (rank, &i) in order.iter().enumerate() {
        out[i].rank = rank as u32 + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(person: PersonIx, recency: i32, frequency: u32, gravity: f64, victims: u32, harm: f64) -> Features {
        Features {
            person,
            recency_days: Some(recency),
            frequency,
            gravity_days: gravity,
            victims,
            harm_days: harm,
            ..Features::default()
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn default_weights_read_and_list_every_component_with_a_basis() {
        let cfg = RfgvConfig::from_csv(DEFAULT_WEIGHTS).unwrap();
        assert_eq!(cfg, RfgvConfig::default());
        assert_eq!(
            cfg.components.iter().map(|c| c.component).collect::<Vec<_>>(),
            Component::ALL.to_vec()
        );
        assert!(
            cfg.components.iter().all(|c| c.basis.len() > 20),
            "every weight has its basis"
        );
    }

    #[test]
    fn components_follow_the_documented_transforms() {
        // Default table: recency 1 × half-life 365 days; frequency 3 × log2(1+n); gravity
        // 1 × log2(1+days/30); victims 1 × log2(n); other harm 1 × log2(1+days/30); markers
        // 0.5 × log2(1+n).
        let mut a = f(0, 365, 3, 90.0, 4, 120.0);
        a.other_harm_days = 30.0;
        a.strangulation_incidents = vec!["i1".into()];
        a.weapon_incidents = vec!["i1".into(), "i2".into(), "i3".into()];
        let s = score(&[a], &RfgvConfig::default());
        let s = &s[0];
        assert!(close(s.recency, 0.5), "{}", s.recency);
        assert!(close(s.frequency, 6.0), "{}", s.frequency);
        assert!(close(s.gravity, 2.0), "{}", s.gravity);
        assert!(close(s.victims, 2.0), "{}", s.victims);
        assert!(close(s.other_harm, 1.0), "{}", s.other_harm);
        assert!(close(s.strangulation, 0.5), "{}", s.strangulation);
        assert!(close(s.weapons, 1.0), "{}", s.weapons);
        assert!(close(s.order_violations, 0.0), "{}", s.order_violations);
        assert!(close(s.rfgv, 13.0), "{}", s.rfgv);
        assert!(s
            .explain()
            .starts_with("13.0 = recency 0.5 + frequency 6.0 + gravity 2.0 + victims 2.0"));
    }

    #[test]
    fn a_longer_history_ranks_higher_and_does_not_saturate() {
        // The old bands gave 6 and 20 incidents the same points; the log scale does not.
        let s = score(
            &[
                f(0, 30, 6, 180.0, 1, 180.0),
                f(1, 30, 20, 180.0, 1, 180.0),
                f(2, 30, 1, 30.0, 1, 30.0),
            ],
            &RfgvConfig::default(),
        );
        assert_eq!(s.iter().map(|x| x.rank).collect::<Vec<_>>(), vec![2, 1, 3]);
        assert!(s[1].frequency > s[0].frequency);
    }

    #[test]
    fn a_single_victim_and_no_dated_incident_score_nothing_for_those_components() {
        let mut x = f(0, 0, 1, 0.0, 1, 0.0);
        x.recency_days = None;
        let s = score(&[x], &RfgvConfig::default());
        assert_eq!((s[0].recency, s[0].victims), (0.0, 0.0));
    }

    #[test]
    fn ties_break_on_harm_then_person() {
        let s = score(
            &[
                f(0, 10, 1, 10.0, 1, 5.0),
                f(1, 10, 1, 10.0, 1, 50.0),
                f(2, 10, 1, 10.0, 1, 5.0),
            ],
            &RfgvConfig::default(),
        );
        assert_eq!(s.iter().map(|x| x.rank).collect::<Vec<_>>(), vec![2, 1, 3]);
    }

    #[test]
    fn edited_weights_change_the_ranking() {
        // Frequency switched off and gravity weighted up: the graver single incident wins.
        let text = DEFAULT_WEIGHTS
            .replace("frequency,3,", "frequency,0,")
            .replace("gravity,1,", "gravity,5,");
        let cfg = RfgvConfig::from_csv(&text).unwrap();
        let feats = [f(0, 30, 5, 150.0, 1, 150.0), f(1, 30, 1, 545.0, 1, 545.0)];
        assert_eq!(score(&feats, &RfgvConfig::default())[0].rank, 1);
        assert_eq!(score(&feats, &cfg)[1].rank, 1);
    }

    #[test]
    fn bad_weight_tables_are_refused_with_row_column_and_value() {
        let head = "component,weight,transform,unit,basis\n";
        let e = RfgvConfig::from_csv(&format!("{head}recency,lots,half_life,365,x\n")).unwrap_err();
        assert_eq!(
            e,
            ScoreWeightsError::Cell {
                row: 2,
                column: "weight",
                value: "lots".into(),
                message: "needs a number of points, 0 or more".into()
            }
        );
        let e = RfgvConfig::from_csv(&format!("{head}recency,1,half_life,365,x\nspeed,1,log2,1,x\n")).unwrap_err();
        assert!(
            matches!(
                e,
                ScoreWeightsError::Cell {
                    row: 3,
                    column: "component",
                    ..
                }
            ),
            "{e}"
        );
        let e = RfgvConfig::from_csv(&format!("{head}recency,1,cube,365,x\n")).unwrap_err();
        assert!(
            matches!(
                e,
                ScoreWeightsError::Cell {
                    column: "transform",
                    ..
                }
            ),
            "{e}"
        );
        let e = RfgvConfig::from_csv(&format!("{head}recency,1,half_life,0,x\n")).unwrap_err();
        assert!(matches!(e, ScoreWeightsError::Cell { column: "unit", .. }), "{e}");
        let e = RfgvConfig::from_csv(&format!("{head}recency,1,half_life,365,x\n")).unwrap_err();
        assert_eq!(e, ScoreWeightsError::Missing("frequency"));
        assert!(e.to_string().contains("frequency"));
    }
}
