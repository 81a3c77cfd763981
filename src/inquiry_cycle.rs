//! The month's cycle on the inquiry's data, as the worker runs it: the analyst's notification
//! records mapped to the people of the last run (by record id, else person id), the lists
//! replayed month by month ([`ipvi_core::cycle`], the same calls `ipvi cycle` makes), and what
//! the "This month" screen shows: list sizes at each month end, the month's moves, due and
//! overdue notifications, the printable agenda, and the sheets to download.
//!
//! Pure (no browser API), so it is tested natively.

use ipvi_core::cycle::due::DueRules;
use ipvi_core::cycle::sheets::{agenda_html, all_sheets};
use ipvi_core::cycle::{first_date, from_run, month_end, Cycle, ThisMonth};
use ipvi_core::date::Date;
use ipvi_core::export::Sheet;
use ipvi_core::model::Dataset;
use ipvi_core::notify::{to_case_notifications, NotificationRecord};
use ipvi_core::offenders::lists::ListRules;
use ipvi_core::offenders::outputs::OffenderConfig;
use ipvi_core::pipeline::PipelineResult;
use serde::{Deserialize, Serialize};

/// The list sizes at one month end.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthSizes {
    /// `YYYY-MM`.
    pub month: String,
    pub as_of: Date,
    /// A, B, C, D.
    pub sizes: [u64; 4],
}

/// What the "This month" screen shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CycleView {
    /// The month's moves and notifications due.
    pub month: ThisMonth,
    /// List sizes at every month end up to the month, oldest first.
    pub months: Vec<MonthSizes>,
    /// Every month that can be picked (`YYYY-MM`), oldest first: from the first month with
    /// records to the data's as-of date.
    pub available: Vec<String>,
    /// The printable agenda (an `<article class="agenda">`, no victim information).
    pub agenda: String,
    /// The tables `ipvi cycle` writes, for CSV and XLSX downloads.
    pub sheets: Vec<Sheet>,
    /// Notification records that matched nobody in the data (left out).
    pub unmatched: u64,
    /// The due rule used, with why (shown beside the tables).
    pub due_rule: String,
}

/// The as-of date of month `key` (`YYYY-MM`): its last day, or `data_as_of` when that is
/// earlier. `None` when the key is not a month.
pub fn as_of_of_month(key: &str, data_as_of: Date) -> Option<Date> {
    let (y, m) = key.split_once('-')?;
    let first = Date::from_ymd(y.parse().ok()?, m.parse().ok()?, 1)?;
    Some(month_end(first).min(data_as_of))
}

/// The cycle as of `as_of` (`None`: the run's as-of date) on the run's people, with the list
/// rules of the run (`None`: the defaults) and the analyst's notification records.
pub fn cycle_run(
    data: &Dataset,
    result: &PipelineResult,
    as_of: Option<Date>,
    list_rules: Option<&ListRules>,
    records: &[NotificationRecord],
    contacts: &[ipvi_core::contacts::ContactRecord],
    progress: &mut dyn FnMut(f32) -> bool,
) -> Result<CycleView, String> {
    // The analyst's records as they stand now, resolved to the run's people (they may have
    // changed since the run).
    let cf = result.case_file(data, &[]).map_err(|e| e.to_string())?;
    let (mut notes, unmatched) = to_case_notifications(records, &cf, "notifications");
    notes.sort_by_key(|n| (n.person, n.date));
    let data_as_of = result.report.window.as_of;
    let as_of = as_of.unwrap_or(data_as_of).min(data_as_of);
    let cfg = OffenderConfig {
        lookback_days: result.report.window.lookback_days,
        rules: list_rules.cloned().unwrap_or_default(),
        ..OffenderConfig::default()
    };
    let available: Vec<String> = first_date(&cf, data_as_of)
        .map(|first| {
            ipvi_core::cycle::month_ends(first, data_as_of)
                .into_iter()
                .map(|d| d.month_key())
                .collect()
        })
        .unwrap_or_default();
    let rules = DueRules::default();
    let Cycle {
        replay: r,
        this_month: month,
    } = from_run(data, result, &notes, &cfg, &rules, as_of, progress)
        .map_err(|e| e.to_string())?
        .ok_or("cancelled")?;
    let months = r
        .months
        .iter()
        .map(|m| MonthSizes {
            month: m.month.clone(),
            as_of: m.as_of,
            sizes: m.sizes,
        })
        .collect();
    // The implementation measures as of the month, with the lists as they stood then: the
    // agenda's last section and one more sheet (shareable, small cells suppressed).
    let fidelity = (!records.is_empty() || !contacts.is_empty())
        .then(|| {
            let (attempts, contacts, _) = ipvi_core::fidelity::resolve(
                records,
                contacts,
                &cf,
                &result.report,
                ("notifications", "advocate_contacts.csv"),
            );
            ipvi_core::cycle::fidelity(&r, &attempts, &contacts)
        })
        .flatten();
    let extra: Vec<_> = fidelity
        .iter()
        .map(ipvi_core::cycle::sheets::fidelity_section)
        .collect();
    let sheets = all_sheets(&r, &month, &result.person_ids)
        .into_iter()
        .chain(
            fidelity
                .iter()
                .map(|f| ipvi_core::fidelity::fidelity_sheet(f, ipvi_core::report::suppress::THRESHOLD)),
        )
        .map(|s| s.synthetic(data.synthetic))
        .collect();
    Ok(CycleView {
        agenda: agenda_html(&month, &extra),
        month,
        months,
        available,
        sheets,
        unmatched: unmatched.len() as u64,
        due_rule: rules.description,
    })
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

    #[test]
    fn cycle_answers_match_their_question_and_new_data_drops_the_cycle() {
        use crate::state::{Action, AppState};
        let key = (Date::from_ymd(2022, 3, 31), 4);
        let answer = |job_id| Action::Worker {
            generation: 0,
            msg: FromWorker::Cycled {
                job_id,
                result: Err("no data".into()),
            },
            decode_ms: 0.0,
        };
        let st = AppState::default();
        assert!(st.apply(answer(1)).is_none(), "nobody asked");
        let st = st.apply(Action::CycleStarted(2, key)).unwrap();
        assert!(st.apply(answer(1)).is_none(), "an older question");
        let st = st.apply(answer(2)).unwrap();
        assert_eq!(st.cycling, None);
        assert_eq!(st.cycle.as_ref().map(|c| c.key), Some(key));
        assert_eq!(st.cycle.as_ref().map(|c| c.result.is_err()), Some(true));
        let st = st
            .apply(Action::Start {
                job_id: 3,
                files: vec!["export.csv".into()],
                skipped: vec![],
            })
            .unwrap();
        assert!(st.cycle.is_none() && st.cycling.is_none());
    }

    #[test]
    fn a_month_key_gives_its_last_day_or_the_data_as_of_date() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(as_of_of_month("2024-02", d("2024-12-31")), Some(d("2024-02-29")));
        assert_eq!(as_of_of_month("2024-12", d("2024-12-15")), Some(d("2024-12-15")));
        assert_eq!(as_of_of_month("2024-13", d("2024-12-15")), None);
        assert_eq!(as_of_of_month("x", d("2024-12-15")), None);
    }

    /// The cycle of a small jurisdiction with an intervention, as the worker sends it: the
    /// months end at the as-of date, notifications take people off the due list, and the
    /// message round-trips.
    #[test]
    fn the_cycle_of_a_sample_with_notifications_round_trips() {
        let cfg = SynthConfig {
            seed: 3,
            population: 3_000,
            years: 3,
            followup_months: 0,
            intervention: Some(InterventionConfig {
                start: Date::from_ymd(2020, 6, 1).unwrap(),
                ..InterventionConfig::default()
            }),
            ..SynthConfig::default()
        };
        let j = generate(&cfg, &mut |_| true).unwrap();
        let files = export(&j, &calibrate(&j)).unwrap();
        let inputs: Vec<InputFile<'_>> = files
            .iter()
            .filter(|(n, _)| !n.starts_with("truth/"))
            .map(|(n, b)| InputFile { name: n, bytes: b })
            .collect();
        let data = ipvi_core::import::import_files(&inputs, None, None).unwrap().0.dataset;
        let notes = &files.iter().find(|(n, _)| n == "notifications.csv").unwrap().1;
        let (records, d) = read_csv("notifications.csv", notes);
        assert!(d.is_empty() && !records.is_empty());
        let result = run(&data, &PipelineConfig::default(), &Kept::default(), &[], &mut |_, _| {
            true
        })
        .unwrap();
        let with = cycle_run(&data, &result, None, None, &records, &[], &mut |_| true).unwrap();
        let without = cycle_run(&data, &result, None, None, &[], &[], &mut |_| true).unwrap();
        assert_eq!(with.months.last().map(|m| m.as_of), Some(result.report.window.as_of));
        assert_eq!(with.available.len(), with.months.len());
        assert_eq!(with.month.sizes, without.month.sizes);
        let pending = |v: &CycleView| v.month.due.len() + v.month.overdue.len();
        assert!(
            pending(&with) < pending(&without),
            "{} {}",
            pending(&with),
            pending(&without)
        );
        // With notification records, the implementation measures are the fifth sheet and the
        // agenda's last section; without, neither.
        assert_eq!(with.sheets.len(), 5);
        assert_eq!(without.sheets.len(), 4);
        assert!(with.agenda.starts_with("<article class=\"agenda\">"));
        assert!(with.agenda.contains("6. Implementation as of"), "{}", with.agenda);
        assert!(!without.agenda.contains("Implementation"));
        // An earlier month: fewer month ends, the same months to pick from.
        let key = &with.available[with.available.len() - 6];
        let earlier = cycle_run(
            &data,
            &result,
            as_of_of_month(key, result.report.window.as_of),
            None,
            &records,
            &[],
            &mut |_| true,
        )
        .unwrap();
        assert_eq!(&earlier.month.month, key);
        assert_eq!(earlier.months.len(), with.months.len() - 5);
        assert_eq!(earlier.available, with.available);
        let msg = FromWorker::Cycled {
            job_id: 2,
            result: Ok(Box::new(with)),
        };
        assert_eq!(decode::<FromWorker>(&encode(&msg)), Ok(msg));
    }
}
