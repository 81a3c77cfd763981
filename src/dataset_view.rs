//! The dataset as the inquiry sees it, for every input: victim–offender pairs and incidents by
//! relationship class (as the pipeline classified them), incidents with both an intimate-partner
//! and an other-family pair, the offences of intimate-partner incidents, intimate-partner
//! victims by sex, and the classified pairs themselves (the pairs table and its CSV download).
//!
//! Built in the worker from the imported [`Dataset`] and the pipeline's pair classes by the core's
//! [`ipvi_core::nibrs::summarize`] (the same as `ipvi classify`'s), so the FBI
//! extract, an agency export and the sample jurisdiction are shown the same way. Pure, so it is
//! tested natively. The counts keep the meaning they had for the FBI extract
//! ([`NibrsSummary`]): an incident counts in every class it holds a pair of.

use ipvi_core::classify::CodeTable;
use ipvi_core::model::{Dataset, RelClass};
use ipvi_core::nibrs::{ClassifiedPair, NibrsAnalysis, NibrsSummary};
use serde::{Deserialize, Serialize};

/// At most this many pairs are sent to the page (the counts always cover every pair).
pub const MAX_PAIRS: usize = 250_000;

/// What the page shows of the dataset's pairs and classes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetView {
    /// The classified pairs, in the dataset's order (at most [`MAX_PAIRS`]).
    pub pairs: Vec<ClassifiedPair>,
    /// Pairs in the dataset (more than `pairs.len()` when the list was cut at [`MAX_PAIRS`]).
    pub pairs_total: u64,
    /// The totals, as for the FBI extract.
    pub summary: NibrsSummary,
    /// Whether people can be identified across incidents (names, dates of birth or person ids).
    /// When they cannot, there is no offender list: one person's incidents cannot be linked.
    pub identifiable: bool,
    /// The records are synthetic (the sample jurisdiction, [`Dataset::synthetic`]): every screen
    /// and export made from them says so.
    #[serde(default)]
    pub synthetic: bool,
}

impl Default for DatasetView {
    fn default() -> Self {
        DatasetView {
            pairs: Vec::new(),
            pairs_total: 0,
            summary: NibrsSummary {
                incidents_total: 0,
                incidents_with_pairs: 0,
                by_class: Vec::new(),
                mixed_ipv_family_incidents: 0,
                victim_was_offender_pairs: 0,
                dv_circumstance_pairs: 0,
                ipv_top_offenses: Vec::new(),
                ipv_victims_by_sex: Vec::new(),
            },
            identifiable: true,
            synthetic: false,
        }
    }
}

impl DatasetView {
    /// The view in the shape the incident-level screens take (report, evaluation, peers and
    /// assessment of data without linkable people). Files and problems are in the import report.
    /// The pairs move out of the view: the page keeps one copy of up to [`MAX_PAIRS`] of them
    /// (copying 250,000 took 38 ms of the page's main thread).
    pub fn take_analysis(&mut self) -> NibrsAnalysis {
        NibrsAnalysis {
            pairs: std::mem::take(&mut self.pairs),
            summary: self.summary.clone(),
            files: Vec::new(),
            diagnostics: Vec::new(),
        }
    }
}

/// Whether people in the dataset can be identified across incidents: the core's one check
/// ([`ipvi_core::pipeline::identifiable`], the same as `ipvi analyze`'s). Record ids alone do not
/// count: in the FBI extract and in many incident exports they number the people within one
/// incident only.
pub fn people_identifiable(data: &Dataset) -> bool {
    ipvi_core::pipeline::identifiable(data).is_ok()
}

/// The view of a dataset whose pairs were classified as `classes` (one per pair, in order).
/// `codes` says which relationship codes mean "the victim was the offender". The counts and
/// pairs are the core's ([`ipvi_core::nibrs::summarize`], the same as `ipvi classify`'s).
pub fn dataset_view(data: &Dataset, classes: &[RelClass], codes: &CodeTable) -> DatasetView {
    let analysis = ipvi_core::nibrs::summarize(data, classes, codes, MAX_PAIRS);
    DatasetView {
        pairs: analysis.pairs,
        pairs_total: data.pairs.len() as u64,
        summary: analysis.summary,
        identifiable: people_identifiable(data),
        synthetic: data.synthetic,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use ipvi_core::model::{Incident, Involvement, Offense, Pair, Role};

    fn person(id: &str, incident: &str, sex: &str) -> Involvement {
        Involvement {
            record_id: id.into(),
            incident_id: incident.into(),
            role: Some(Role::Victim),
            sex: sex.into(),
            ..Default::default()
        }
    }

    fn pair(incident: &str, v: &str, o: &str, code: &str) -> Pair {
        Pair {
            incident_id: incident.into(),
            victim_record_id: v.into(),
            offender_record_id: o.into(),
            relationship_code: Some(code.into()),
            dv_circumstance: code == "BG",
            ..Default::default()
        }
    }

    fn data() -> Dataset {
        let inc = |id: &str| Incident {
            incident_id: id.into(),
            agency: "AZ0070100".into(),
            ..Default::default()
        };
        let off = |incident: &str, code: &str| Offense {
            incident_id: incident.into(),
            offense_id: format!("{incident}-{code}").into(),
            nibrs_code: code.into(),
            ..Default::default()
        };
        Dataset {
            incidents: vec![inc("1"), inc("2"), inc("3")].into(),
            offenses: vec![off("1", "13B"), off("1", "13A"), off("1", "13B"), off("2", "13B")].into(),
            involvements: vec![
                person("V1", "1", "F"),
                person("V2", "1", ""),
                person("O1", "1", "M"),
                person("V3", "2", "F"),
                person("O3", "2", "M"),
            ]
            .into(),
            pairs: vec![
                pair("1", "V1", "O1", "BG"),
                pair("1", "V2", "O1", "CH"),
                pair("1", "V2", "O1", "VO"),
                pair("2", "V3", "O3", "SE"),
                pair("2", "V3", "O3", "AQ"),
            ]
            .into(),
            ..Default::default()
        }
    }

    #[test]
    fn counts_keep_the_meaning_they_had_for_the_fbi_extract() {
        let d = data();
        let codes = CodeTable::nibrs_default();
        let classes = [
            RelClass::IntimatePartner,
            RelClass::OtherFamily,
            RelClass::Unknown,
            RelClass::IntimatePartner,
            RelClass::KnownNonFamily,
        ];
        let v = dataset_view(&d, &classes, &codes);
        let s = &v.summary;
        assert_eq!((s.incidents_total, s.incidents_with_pairs), (3, 2));
        let ip = s
            .by_class
            .iter()
            .find(|c| c.class == RelClass::IntimatePartner)
            .unwrap();
        assert_eq!((ip.pairs, ip.incidents), (2, 2));
        assert_eq!(s.by_class.len(), RelClass::ALL.len());
        assert_eq!(s.by_class.iter().map(|c| c.pairs).sum::<u64>(), 5);
        // Incident 1 holds an intimate-partner and an other-family pair; incident 2 only one.
        assert_eq!(s.mixed_ipv_family_incidents, 1);
        assert_eq!((s.victim_was_offender_pairs, s.dv_circumstance_pairs), (1, 1));
        // 13B counted once per pair whatever its repeats; 13A only in incident 1.
        assert_eq!(
            s.ipv_top_offenses,
            vec![
                ("13B".into(), "Simple assault".into(), 2),
                ("13A".into(), "Aggravated assault".into(), 1)
            ]
        );
        assert_eq!(s.ipv_victims_by_sex, vec![("F".to_string(), 2)]);
        assert_eq!(v.pairs.len(), 5);
        assert_eq!(v.pairs[0].offenses, "13A 13B");
        assert_eq!(
            (v.pairs[0].victim_sex.as_str(), v.pairs[0].offender_sex.as_str()),
            ("F", "M")
        );
        assert!(v.pairs[2].victim_was_offender);
        let csv = ipvi_core::nibrs::pairs_to_csv(&v.clone().take_analysis().pairs);
        assert!(csv.starts_with("incident_id,victim_id,offender_id,relationship_code,class\n"));
        assert!(csv.contains("\n1,V1,O1,BG,intimate_partner\n"), "{csv}");
    }

    #[test]
    fn records_without_names_or_birth_dates_are_not_identifiable() {
        let mut d = data();
        assert!(!people_identifiable(&d));
        let v = dataset_view(&d, &[RelClass::Unknown; 5], &CodeTable::nibrs_default());
        assert!(!v.identifiable);
        d.involvements.update(3, |p| p.last_name = "DOE".into());
        assert!(people_identifiable(&d));
        d.involvements.update(3, |p| p.last_name.clear());
        d.involvements
            .update(4, |p| p.dob = ipvi_core::date::Date::from_ymd(1990, 1, 2));
        assert!(people_identifiable(&d));
    }

    /// The real AZ 2019 extract (`<workspace>/../shared/data/nibrs/AZ_2019`): the one path (the
    /// generic import with the built-in profile, the pipeline's classification) gives the NIBRS
    /// reader's summary, number for number. The data must be there: a missing folder fails.
    #[test]
    fn az2019_through_the_one_path_gives_the_nibrs_readers_summary() {
        use ipvi_core::import::{import_tables, read_csv, Profile};
        use ipvi_core::input::InputFile;
        use ipvi_core::nibrs::analyze_extract;
        use ipvi_core::pipeline::{classify_pairs, PipelineConfig};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = ["../shared", "../../shared"]
            .iter()
            .map(|s| root.join(s).join("data/nibrs/AZ_2019"))
            .find(|d| d.is_dir())
            .expect("the AZ_2019 extract beside the repository (../shared/data/nibrs/AZ_2019)");
        let files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "csv"))
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        let codes = CodeTable::nibrs_default();
        let inputs: Vec<InputFile<'_>> = files.iter().map(|(n, b)| InputFile { name: n, bytes: b }).collect();
        let reader = analyze_extract(&inputs, &codes, &mut |_| true).unwrap();

        let tables: Vec<_> = files.iter().map(|(n, b)| read_csv(n, b).unwrap()).collect();
        let profile = Profile::nibrs_extract();
        assert!(profile.matches(&tables));
        let out = import_tables(&tables, &profile).unwrap();
        let cfg = PipelineConfig {
            codes: codes.clone(),
            ..PipelineConfig::default()
        };
        let (decisions, _) = classify_pairs(&out.dataset, &cfg, &Default::default(), &mut |_, _| true).unwrap();
        let classes: Vec<RelClass> = decisions.iter().map(|d| d.class).collect();
        let v = dataset_view(&out.dataset, &classes, &codes);

        let (a, b) = (&v.summary, &reader.summary);
        assert_eq!(a.by_class, b.by_class);
        assert_eq!(
            (a.incidents_total, a.incidents_with_pairs, a.mixed_ipv_family_incidents),
            (b.incidents_total, b.incidents_with_pairs, b.mixed_ipv_family_incidents)
        );
        assert_eq!(a.victim_was_offender_pairs, b.victim_was_offender_pairs);
        assert_eq!(a.dv_circumstance_pairs, b.dv_circumstance_pairs);
        let codes_only = |t: &[(String, String, u64)]| t.iter().map(|(c, _, n)| (c.clone(), *n)).collect::<Vec<_>>();
        assert_eq!(codes_only(&a.ipv_top_offenses), codes_only(&b.ipv_top_offenses));
        assert_eq!(a.ipv_victims_by_sex, b.ipv_victims_by_sex);
        assert_eq!(v.pairs.len(), reader.pairs.len());
        assert!(!v.identifiable, "the FBI extract has no names or dates of birth");
    }
}
