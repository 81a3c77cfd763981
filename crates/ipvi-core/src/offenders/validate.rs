//! Judging a ranking honestly: AUC and precision among the top of the list, against what
//! happened after the as-of date.

/// Area under the ROC curve of `scores` for the binary `outcome` (Mann–Whitney, ties count
/// half). `None` when one of the two groups is empty.
pub fn auc(scores: &[f64], outcome: &[bool]) -> Option<f64> {
    let mut idx: Vec<usize> = (0..scores.len().min(outcome.len())).collect();
    idx.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let (mut pos, mut neg) = (0u64, 0u64);
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && scores[idx[j + 1]] == scores[idx[i]] {
            j += 1;
        }
        let mid_rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            if outcome[k] {
                pos += 1;
                rank_sum += mid_rank;
            } else {
                neg += 1;
            }
        }
        i = j + 1;
    }
    if pos == 0 || neg == 0 {
        return None;
    }
    Some((rank_sum - pos as f64 * (pos as f64 + 1.0) / 2.0) / (pos as f64 * neg as f64))
}

/// Share of positives among the top `fraction` by score (at least one person; ties at the cut
/// are broken by input order, which callers make deterministic).
pub fn precision_at(scores: &[f64], outcome: &[bool], fraction: f64) -> Option<f64> {
    let n = scores.len().min(outcome.len());
    if n == 0 {
        return None;
    }
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let k = ((n as f64 * fraction).ceil() as usize).clamp(1, n);
    Some(idx[..k].iter().filter(|&&i| outcome[i]).count() as f64 / k as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_matches_hand_counts() {
        assert_eq!(auc(&[1.0, 2.0, 3.0, 4.0], &[false, false, true, true]), Some(1.0));
        assert_eq!(auc(&[1.0, 2.0, 3.0, 4.0], &[true, true, false, false]), Some(0.0));
        assert_eq!(auc(&[1.0, 1.0], &[true, false]), Some(0.5));
        // 3 positives, 2 negatives: pairs won 5 of 6.
        assert_eq!(
            auc(&[0.1, 0.4, 0.35, 0.8, 0.9], &[false, false, true, true, true]),
            Some(5.0 / 6.0)
        );
        assert_eq!(auc(&[1.0], &[true]), None);
    }

    #[test]
    fn precision_at_the_top() {
        let s = [9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0];
        let o = [true, false, true, false, false, false, false, false, false, true];
        assert_eq!(precision_at(&s, &o, 0.1), Some(1.0));
        assert_eq!(precision_at(&s, &o, 0.2), Some(0.5));
        assert_eq!(precision_at(&s, &o, 0.5), Some(0.4));
        assert_eq!(precision_at(&[], &[], 0.1), None);
    }
}
