//! Scoring a classifier against labelled text: per-class precision, recall and F1, the
//! confusion matrix, and intimate-partner precision and recall. Pure: the caller reads files.

use crate::model::RelClass;
use serde::{Deserialize, Serialize};

/// Precision, recall and F1 of one class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassScore {
    pub class: RelClass,
    /// Items labelled with the class.
    pub support: usize,
    /// Items predicted as the class.
    pub predicted: usize,
    pub true_positives: usize,
    /// `None` when nothing was predicted as the class.
    pub precision: Option<f64>,
    /// `None` when nothing is labelled with the class.
    pub recall: Option<f64>,
    pub f1: Option<f64>,
}

/// Scores over a labelled set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub n: usize,
    pub accuracy: f64,
    pub per_class: Vec<ClassScore>,
    /// `confusion[truth][predicted]` in [`RelClass::ALL`] order.
    pub confusion: [[usize; 5]; 5],
}

fn idx(c: RelClass) -> usize {
    RelClass::ALL.iter().position(|&x| x == c).unwrap_or(4)
}

impl Scores {
    /// Score (truth, predicted) pairs.
    pub fn from_pairs(pairs: &[(RelClass, RelClass)]) -> Scores {
        let mut m = [[0usize; 5]; 5];
        for &(t, p) in pairs {
            m[idx(t)][idx(p)] += 1;
        }
        let per_class = RelClass::ALL
            .iter()
            .enumerate()
            .map(|(i, &class)| {
                let support: usize = m[i].iter().sum();
                let predicted: usize = (0..5).map(|t| m[t][i]).sum();
                let tp = m[i][i];
                let precision = (predicted > 0).then(|| tp as f64 / predicted as f64);
                let recall = (support > 0).then(|| tp as f64 / support as f64);
                let f1 = match (precision, recall) {
                    (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
                    (Some(_), Some(_)) => Some(0.0),
                    _ => None,
                };
                ClassScore {
                    class,
                    support,
                    predicted,
                    true_positives: tp,
                    precision,
                    recall,
                    f1,
                }
            })
            .collect();
        let correct: usize = (0..5).map(|i| m[i][i]).sum();
        let n = pairs.len();
        Scores {
            n,
            accuracy: if n > 0 { correct as f64 / n as f64 } else { 0.0 },
            per_class,
            confusion: m,
        }
    }

    /// The score of one class.
    pub fn class(&self, c: RelClass) -> Option<&ClassScore> {
        self.per_class.iter().find(|s| s.class == c)
    }

    /// Intimate-partner precision (0 when nothing was predicted IPV).
    pub fn ipv_precision(&self) -> f64 {
        self.class(RelClass::IntimatePartner)
            .and_then(|s| s.precision)
            .unwrap_or(0.0)
    }

    /// Intimate-partner recall (0 when nothing is labelled IPV).
    pub fn ipv_recall(&self) -> f64 {
        self.class(RelClass::IntimatePartner)
            .and_then(|s| s.recall)
            .unwrap_or(0.0)
    }

    /// A plain-text report: per-class table and confusion matrix.
    pub fn report(&self) -> String {
        let f = |x: Option<f64>| x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into());
        let mut s = format!("n={} accuracy={:.3}\n", self.n, self.accuracy);
        s.push_str(&format!(
            "{:<18}{:>8}{:>10}{:>10}{:>10}{:>10}\n",
            "class", "support", "predicted", "precision", "recall", "f1"
        ));
        for c in &self.per_class {
            s.push_str(&format!(
                "{:<18}{:>8}{:>10}{:>10}{:>10}{:>10}\n",
                c.class.as_str(),
                c.support,
                c.predicted,
                f(c.precision),
                f(c.recall),
                f(c.f1)
            ));
        }
        s.push_str("confusion (rows = truth, columns = predicted; ip of kn st un):\n");
        for (i, row) in self.confusion.iter().enumerate() {
            s.push_str(&format!("{:<18}", RelClass::ALL[i].as_str()));
            for v in row {
                s.push_str(&format!("{v:>6}"));
            }
            s.push('\n');
        }
        s
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use RelClass::*;

    #[test]
    fn precision_and_recall_by_hand() {
        let s = Scores::from_pairs(&[
            (IntimatePartner, IntimatePartner),
            (IntimatePartner, OtherFamily),
            (OtherFamily, IntimatePartner),
            (OtherFamily, OtherFamily),
            (Stranger, Stranger),
        ]);
        assert_eq!(s.ipv_precision(), 0.5);
        assert_eq!(s.ipv_recall(), 0.5);
        assert_eq!(s.class(Stranger).and_then(|c| c.precision), Some(1.0));
        assert_eq!(s.class(Unknown).and_then(|c| c.recall), None);
        assert_eq!(s.confusion[0][1], 1);
        assert!((s.accuracy - 0.6).abs() < 1e-9);
    }
}
