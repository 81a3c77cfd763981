//! The evaluation of notifications on the inquiry's data, as the worker runs it: the analyst's
//! notification records mapped to the people of the last run (by record id, else person id),
//! then [`ipvi_core::evaluate::notified::evaluate`] as of a date. Also the notifications that come
//! with a sample jurisdiction generated with an intervention, relabelled with the run's person ids
//! so that the notification list and the person page name the same people as the offender list.
//!
//! Pure (no browser API), so it is tested natively.

use ipvi_core::date::Date;
use ipvi_core::evaluate::notified::{evaluate, EvalConfig, Evaluation, Outcome};
use ipvi_core::model::Dataset;
use ipvi_core::notify::{to_case_notifications, NotificationRecord};
use ipvi_core::pipeline::PipelineResult;

/// The evaluation of `records` on the run, as of `as_of` (`None`: the last incident date), and
/// how many records matched nobody. An error says what to change.
pub fn evaluate_run(
    data: &Dataset,
    result: &PipelineResult,
    start: Date,
    as_of: Option<Date>,
    outcome: Outcome,
    records: &[NotificationRecord],
) -> (Result<Evaluation, String>, u64) {
    let cf0 = match result.case_file(data, &[]) {
        Ok(cf) => cf,
        Err(e) => return (Err(e.to_string()), 0),
    };
    let (notes, unmatched) = to_case_notifications(records, &cf0, "notifications");
    let unmatched = unmatched.len() as u64;
    drop(cf0);
    let Some(last) = data.incidents.iter().filter_map(|i| i.date).max() else {
        return (Err("the data has no dated incident".into()), unmatched);
    };
    let as_of = as_of.unwrap_or(last);
    if start > as_of {
        return (
            Err(format!(
                "the start {start} is after the as-of date {as_of}: choose an earlier start or a later as-of date"
            )),
            unmatched,
        );
    }
    let cf = match result.case_file(data, &notes) {
        Ok(cf) => cf,
        Err(e) => return (Err(e.to_string()), unmatched),
    };
    (Ok(evaluate(&cf, &EvalConfig::new(start, as_of, outcome))), unmatched)
}

/// Put the run's implementation measures (if any) on the view and into its site metrics; the
/// metrics stay as they are when there are none.
pub fn put_fidelity(view: &mut crate::inquiry::InquiryView, fidelity: Option<ipvi_core::fidelity::Fidelity>) {
    if let Some(f) = &fidelity {
        view.metrics = view.metrics.take().map(|m| m.with_fidelity(f));
    }
    view.fidelity = fidelity;
}

/// The implementation measures of the run ([`ipvi_core::fidelity::measure_run`]) from the
/// notification records and advocates' contacts; `None` when there are neither.
pub fn fidelity_of(
    data: &Dataset,
    result: &PipelineResult,
    records: &[NotificationRecord],
    contacts: &[ipvi_core::contacts::ContactRecord],
) -> Option<ipvi_core::fidelity::Fidelity> {
    if records.is_empty() && contacts.is_empty() {
        return None;
    }
    let cf = result.case_file(data, &result.notifications).ok()?;
    let (f, _) = ipvi_core::fidelity::measure_run(
        records,
        contacts,
        &cf,
        &result.report,
        ("notifications", "advocate_contacts.csv"),
    );
    Some(f)
}

/// The records with `person_id` set to the run's person id of their `record_id` (records whose
/// record is not in the data keep their own id).
pub fn relabel(records: Vec<NotificationRecord>, data: &Dataset, result: &PipelineResult) -> Vec<NotificationRecord> {
    let Ok(cf) = result.case_file(data, &[]) else {
        return records;
    };
    records
        .into_iter()
        .map(|mut r| {
            if let Some(p) = r.record_id.as_deref().and_then(|rid| cf.person_of_record(rid)) {
                if let Some(id) = result.person_ids.get(p as usize) {
                    r.person_id = id.clone();
                }
            }
            r
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::protocol::{decode, encode, FromWorker};
    use ipvi_core::input::InputFile;
    use ipvi_core::notify::read_csv;
    use ipvi_core::pipeline::{run, Kept, PipelineConfig};
    use ipvi_core::synth::{calibration::calibrate, export::export, generate, InterventionConfig, SynthConfig};

    /// A small jurisdiction with an intervention: the dataset, its notifications and the run
    /// with them kept.
    fn with_intervention() -> (Dataset, Vec<NotificationRecord>, PipelineResult, Date) {
        let start = Date::from_ymd(2020, 7, 1).unwrap();
        let cfg = SynthConfig {
            population: 4000,
            years: 3,
            intervention: Some(InterventionConfig {
                start,
                ..InterventionConfig::default()
            }),
            ..SynthConfig::default()
        };
        let j = generate(&cfg, &mut |_| true).unwrap();
        let files = export(&j, &calibrate(&j)).unwrap();
        let notes = files.iter().find(|(n, _)| n == "notifications.csv").unwrap();
        let (records, d) = read_csv("notifications.csv", &notes.1);
        assert!(d.is_empty(), "{d:?}");
        let inputs: Vec<InputFile<'_>> = files
            .iter()
            .filter(|(n, _)| !n.starts_with("truth/"))
            .map(|(n, b)| InputFile { name: n, bytes: b })
            .collect();
        let data = ipvi_core::import::import_files(&inputs, None, None).unwrap().0.dataset;
        let kept = Kept {
            notifications: records.clone(),
            ..Kept::default()
        };
        let r = run(&data, &PipelineConfig::default(), &kept, &[], &mut |_, _| true).unwrap();
        (data, records, r, start)
    }

    #[test]
    fn a_sample_with_an_intervention_is_evaluated_and_the_result_crosses_the_protocol() {
        let (data, records, r, start) = with_intervention();
        assert!(records.len() > 20, "{} notifications", records.len());
        // The run took the kept notifications (failed attempts are not notifications): they are
        // on the timelines.
        let delivered = records
            .iter()
            .filter(|n| n.outcome == ipvi_core::notify::Outcome::Delivered)
            .count();
        assert!(delivered < records.len(), "the sample has failed attempts");
        assert!(r.notifications.len() as f64 >= delivered as f64 * 0.9);
        let relabelled = relabel(records.clone(), &data, &r);
        assert!(relabelled.iter().all(|n| n.person_id.starts_with('P')));
        assert!(relabelled.iter().all(|n| r.person_ids.contains(&n.person_id)));

        let (ev, unmatched) = evaluate_run(&data, &r, start, None, Outcome::IpvIncident, &relabelled);
        let ev = ev.unwrap();
        assert_eq!(unmatched, 0);
        assert_eq!(ev.notifications_used as usize, delivered);
        let all = ev.survival.iter().find(|s| s.group == "all").expect("the all group");
        assert!(all.cohort.people > 10 && !all.curve.steps.is_empty());
        assert!(ev.survival.iter().any(|s| s.group.starts_with("list")));
        assert!(ev.series.iter().any(|s| s.its.is_some()));
        // Every number survives JSON (no NaN turned into null on the way to the page).
        let msg = FromWorker::Evaluated {
            job_id: 1,
            result: Ok(Box::new(ev)),
            unmatched,
        };
        assert_eq!(decode::<FromWorker>(&encode(&msg)), Ok(msg));

        // The implementation measures of the sample's records.
        let f = fidelity_of(&data, &r, &records, &[]).expect("fidelity");
        let all = f.attempts.iter().find(|a| a.group == "all").expect("all");
        assert_eq!(all.attempts as usize, records.len());
        assert!(all.failed > 0 && f.delay_all.n > 0 && f.delay_all.median.is_some());
        assert!(fidelity_of(&data, &r, &[], &[]).is_none());
        // The view keeps its site metrics with or without measures, and carries them when given.
        let mut view = crate::inquiry::build_view(&data, &r, None);
        assert!(view.metrics.is_some());
        put_fidelity(&mut view, None);
        assert!(view.metrics.is_some(), "no measures: the metrics stay");
        assert!(view.metrics.as_ref().is_some_and(|m| m.fidelity.is_none()));
        put_fidelity(&mut view, Some(f.clone()));
        assert!(view.metrics.as_ref().is_some_and(|m| m.fidelity.is_some()));
        assert_eq!(view.fidelity.as_ref(), Some(&f));

        // A start after the as-of date says so.
        let late = Date::from_ymd(2030, 1, 1).unwrap();
        let (e, _) = evaluate_run(&data, &r, late, None, Outcome::IpvArrest, &relabelled);
        assert!(e.unwrap_err().contains("after the as-of date"));
        // Records of nobody are counted, not evaluated.
        let mut stray = relabelled[0].clone();
        stray.person_id = "P-nobody".into();
        stray.record_id = None;
        stray.outcome = ipvi_core::notify::Outcome::Delivered;
        let (e, unmatched) = evaluate_run(&data, &r, start, None, Outcome::IpvArrest, &[stray]);
        assert_eq!(unmatched, 1);
        assert_eq!(e.unwrap().notifications_used, 0);
    }
}
