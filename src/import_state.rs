//! The generic import as the page sees it: the mapping screen's draft (the worker's proposed
//! mapping, corrected by the analyst, with the local code tables), and the import's report (per
//! file counts, every diagnostic, the rejected rows and the data-quality audit).
//!
//! Pure and tested natively; [`crate::state::AppState`] holds an [`ImportState`] and forwards
//! [`ImportAction`]s to it. The sample values shown on the mapping screen live only in the draft:
//! [`MappingDraft::to_profile`] never copies them into the profile.

use crate::shared::Shared;
use ipvi_core::classify::CodeTable;
use ipvi_core::date::SlashOrder;
use ipvi_core::diag::{Diagnostic, FileSummary};
use ipvi_core::import::mapping::{is_nibrs_offense, required_fields, MappingProposal};
use ipvi_core::import::profile::{OffenseCodeTable, Profile};
use ipvi_core::import::{Audit, Field, RejectedRow, Side, TableKind, Target};
use ipvi_core::model::RelClass;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How the import's profile was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileSource {
    /// A profile the analyst saved or loaded earlier matched the columns.
    Saved,
    /// A built-in profile (NIBRS extract, synthetic export) matched.
    Builtin,
    /// The analyst confirmed it on the mapping screen.
    Confirmed,
}

/// What the worker sends back after an import: enough for the summary and the audit screens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The files, as the analyst chose them.
    pub files: Vec<String>,
    pub profile: Profile,
    pub source: ProfileSource,
    /// Rows read, used and rejected per file (and sheet).
    pub summaries: Vec<FileSummary>,
    /// Every problem, with file, row, column, value and what to do.
    pub diagnostics: Vec<Diagnostic>,
    /// The rows not used, with why (for the download).
    pub rejected: Vec<RejectedRow>,
    pub audit: Audit,
    /// Bytes read; the milliseconds reading and importing them took (both passes of the streamed
    /// import: the files' first rows, then every row into the dataset), and the audit.
    pub bytes: u64,
    pub read_ms: f64,
    pub import_ms: f64,
    /// The analysis worker's WebAssembly memory after the import, in bytes: the peak of the
    /// read, import and audit, as WebAssembly memory only grows (0 where unknown).
    #[serde(default)]
    pub memory_bytes: u64,
}

impl ImportReport {
    /// Reading and importing throughput in MB/s (MB = 2^20 bytes); `None` when too fast to measure.
    pub fn read_mb_per_s(&self) -> Option<f64> {
        (self.read_ms >= 1.0).then(|| self.bytes as f64 / 1_048_576.0 / (self.read_ms / 1000.0))
    }

    /// The audit as JSON, as `ipvi audit --json` writes it.
    pub fn audit_json(&self) -> String {
        serde_json::to_string_pretty(&self.audit).unwrap_or_default()
    }
}

/// The inquiry's relationship code table: the analyst's table with the profile's local
/// relationship codes added (a local code wins over a NIBRS code of the same spelling).
pub fn with_local_codes(base: &CodeTable, local: &BTreeMap<String, RelClass>) -> CodeTable {
    let mut t = base.clone();
    for (k, c) in local {
        t.household_codes.remove(k);
        t.classes.insert(k.clone(), *c);
    }
    t
}

/// A column's target as the value of a `<select>`: `field`, `field@victim`, `field@offender`;
/// the empty string is "not used".
pub fn target_value(t: Option<Target>) -> String {
    match t {
        None => String::new(),
        Some(t) => match t.side {
            Side::Any => t.field.as_str(),
            Side::Victim => format!("{}@victim", t.field.as_str()),
            Side::Offender => format!("{}@offender", t.field.as_str()),
        },
    }
}

/// The inverse of [`target_value`]; `None` for "not used" or anything unknown.
pub fn parse_target(v: &str) -> Option<Target> {
    let (f, side) = match v.split_once('@') {
        Some((f, "victim")) => (f, Side::Victim),
        Some((f, "offender")) => (f, Side::Offender),
        Some(_) => return None,
        None => (v, Side::Any),
    };
    let field = Field::parse(f)?;
    if side != Side::Any && !field.is_person() {
        return None;
    }
    Some(Target { field, side })
}

/// Every choice of the target `<select>`: (value, label), "not used" first.
pub fn target_choices() -> Vec<(String, String)> {
    let mut out = vec![(String::new(), "— not used —".to_string())];
    for f in Field::ALL {
        let name = f.as_str().replace('_', " ");
        out.push((f.as_str(), name.clone()));
        if f.is_person() {
            out.push((format!("{}@victim", f.as_str()), format!("{name} (victim)")));
            out.push((format!("{}@offender", f.as_str()), format!("{name} (offender)")));
        }
    }
    out
}

/// Table kinds for the mapping screen: (value, label).
pub const KINDS: [(TableKind, &str, &str); 10] = [
    (
        TableKind::Flat,
        "flat",
        "flat export (incident columns repeated on each row)",
    ),
    (TableKind::Incidents, "incidents", "incidents"),
    (TableKind::Persons, "persons", "people in incidents"),
    (TableKind::Pairs, "pairs", "victim–offender pairs"),
    (TableKind::Offenses, "offenses", "offences"),
    (TableKind::Arrests, "arrests", "arrests"),
    (TableKind::Orders, "orders", "protective orders"),
    (TableKind::Calls, "calls", "calls for service"),
    (TableKind::Lookup, "lookup", "code lookup table"),
    (TableKind::Ignore, "ignore", "not used"),
];

/// The `<select>` value of a table kind.
pub fn kind_value(k: TableKind) -> &'static str {
    KINDS.iter().find(|x| x.0 == k).map(|x| x.1).unwrap_or("ignore")
}

/// A change to the local code tables of a profile.
#[derive(Clone, Debug, PartialEq)]
pub enum CodeEdit {
    /// A local offence code or statute text → a NIBRS offence code.
    AddOffense(String, String),
    RemoveOffense(String),
    /// A local relationship code or text → a class.
    AddRelationship(String, RelClass),
    RemoveRelationship(String),
}

/// Check and normalise an edit as typed (keys upper case and trimmed; NIBRS codes known).
pub fn check_code_edit(edit: CodeEdit) -> Result<CodeEdit, String> {
    let key = |k: &str| {
        let k = k.trim().to_uppercase();
        if k.is_empty() {
            Err("type the local code or text first".to_string())
        } else {
            Ok(k)
        }
    };
    Ok(match edit {
        CodeEdit::AddOffense(k, code) => {
            let code = code.trim().to_uppercase();
            if !is_nibrs_offense(&code) {
                return Err(format!(
                    "{code:?} is not a NIBRS offence code: type one such as 13A, 13B, 13C, 90Z"
                ));
            }
            CodeEdit::AddOffense(key(&k)?, code)
        }
        CodeEdit::RemoveOffense(k) => CodeEdit::RemoveOffense(key(&k)?),
        CodeEdit::AddRelationship(k, c) => CodeEdit::AddRelationship(key(&k)?, c),
        CodeEdit::RemoveRelationship(k) => CodeEdit::RemoveRelationship(key(&k)?),
    })
}

/// Apply a (checked) edit to a profile's code tables; `false` when nothing changes.
pub fn apply_code_edit(offense: &mut OffenseCodeTable, rel: &mut BTreeMap<String, RelClass>, edit: CodeEdit) -> bool {
    match edit {
        CodeEdit::AddOffense(k, v) => offense.codes.insert(k, v.clone()) != Some(v),
        CodeEdit::RemoveOffense(k) => offense.codes.remove(&k).is_some(),
        CodeEdit::AddRelationship(k, c) => rel.insert(k, c) != Some(c),
        CodeEdit::RemoveRelationship(k) => rel.remove(&k).is_some(),
    }
}

/// The mapping screen's state: the proposal as corrected so far.
#[derive(Clone, Debug, PartialEq)]
pub struct MappingDraft {
    /// The files the proposal is for.
    pub files: Vec<String>,
    pub proposal: MappingProposal,
    /// The profile's name.
    pub name: String,
    pub offense_codes: OffenseCodeTable,
    pub relationship_codes: BTreeMap<String, RelClass>,
    /// Problems reading some of the files (shown above the mapping).
    pub read_problems: Vec<Diagnostic>,
}

/// A change on the mapping screen.
#[derive(Clone, Debug, PartialEq)]
pub enum DraftAction {
    SetTarget {
        table: usize,
        column: usize,
        target: Option<Target>,
    },
    SetKind {
        table: usize,
        kind: TableKind,
    },
    /// The role of every row of a table without a role column (a victims file); `None`: from
    /// the rows.
    SetRole {
        table: usize,
        role: Option<ipvi_core::model::Role>,
    },
    /// Day and month order of the slash dates of a date column.
    SetDateOrder {
        table: usize,
        column: usize,
        order: SlashOrder,
    },
    SetName(String),
    Codes(CodeEdit),
}

fn stem(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    base.rsplit_once('.').map(|(s, _)| s).unwrap_or(base).to_string()
}

impl MappingDraft {
    /// A draft for the worker's proposal.
    pub fn new(files: Vec<String>, proposal: MappingProposal, read_problems: Vec<Diagnostic>) -> MappingDraft {
        let name = match proposal.tables.first() {
            Some(t) if proposal.tables.len() == 1 => format!("{} export", stem(&t.file)),
            Some(t) => format!("{} and {} more", stem(&t.file), proposal.tables.len() - 1),
            None => "agency export".to_string(),
        };
        MappingDraft {
            files,
            proposal,
            name,
            offense_codes: OffenseCodeTable::default(),
            relationship_codes: BTreeMap::new(),
            read_problems,
        }
    }

    /// What each table still lacks: (table index, text), for the screen.
    pub fn missing(&self) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for (i, t) in self.proposal.tables.iter().enumerate() {
            for (field, what) in required_fields(t.kind) {
                if !t.columns.iter().any(|c| c.target.is_some_and(|x| x.field == *field)) {
                    out.push((i, format!("{}: no column is mapped to {what}", t.file)));
                }
            }
        }
        if self.proposal.tables.iter().all(|t| t.kind == TableKind::Ignore) {
            out.push((
                0,
                "every file is set to \"not used\": choose what at least one holds".to_string(),
            ));
        }
        out
    }

    /// The draft after a change; `None` when nothing changes.
    pub fn apply(&self, action: DraftAction) -> Option<MappingDraft> {
        let mut next = self.clone();
        match action {
            DraftAction::SetTarget { table, column, target } => {
                let t = next.proposal.tables.get_mut(table)?;
                if t.columns.get(column)?.target == target {
                    return None;
                }
                // One column per target: the one the analyst chose wins.
                if let Some(tg) = target {
                    for (j, c) in t.columns.iter_mut().enumerate() {
                        if j != column && c.target == Some(tg) {
                            c.target = None;
                        }
                    }
                }
                let c = t.columns.get_mut(column)?;
                c.target = target;
                c.confidence = 1.0;
                let is_date = target.is_some_and(|x| x.field.is_date());
                if !is_date {
                    c.date_order = None;
                } else if c.date_order.is_none() {
                    c.date_order = Some(SlashOrder::MonthFirst);
                }
                c.evidence = vec!["set by the analyst".to_string()];
            }
            DraftAction::SetKind { table, kind } => {
                let t = next.proposal.tables.get_mut(table)?;
                if t.kind == kind {
                    return None;
                }
                t.kind = kind;
            }
            DraftAction::SetRole { table, role } => {
                let t = next.proposal.tables.get_mut(table)?;
                if t.role == role {
                    return None;
                }
                t.role = role;
            }
            DraftAction::SetDateOrder { table, column, order } => {
                let c = next.proposal.tables.get_mut(table)?.columns.get_mut(column)?;
                if !c.target.is_some_and(|t| t.field.is_date()) || c.date_order == Some(order) {
                    return None;
                }
                c.date_order = Some(order);
            }
            DraftAction::SetName(n) => {
                if n == self.name {
                    return None;
                }
                next.name = n;
            }
            DraftAction::Codes(e) => {
                if !apply_code_edit(&mut next.offense_codes, &mut next.relationship_codes, e) {
                    return None;
                }
            }
        }
        Some(next)
    }

    /// The confirmed mapping as a profile: headers, targets, date orders, kinds and the code
    /// tables; never the sample values.
    pub fn to_profile(&self) -> Profile {
        let name = if self.name.trim().is_empty() {
            "agency export".to_string()
        } else {
            self.name.trim().to_string()
        };
        let mut p = Profile::from_proposal(&name, &self.proposal);
        p.offense_codes = self.offense_codes.clone();
        p.relationship_codes = self.relationship_codes.clone();
        p
    }
}

/// The import's part of the app state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportState {
    /// The mapping screen, while the analyst confirms a mapping.
    pub draft: Option<MappingDraft>,
    /// The last import's summary and audit.
    pub report: Option<Shared<ImportReport>>,
}

/// What the analyst did on the import screens.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportAction {
    Draft(DraftAction),
    /// Leave the mapping screen without importing.
    CloseMapping,
}

impl ImportState {
    /// The state after an action; `None` when nothing changes.
    pub fn apply(&self, action: ImportAction) -> Option<ImportState> {
        let mut next = self.clone();
        match action {
            ImportAction::Draft(a) => next.draft = Some(self.draft.as_ref()?.apply(a)?),
            ImportAction::CloseMapping => {
                next.draft.take()?;
            }
        }
        Some(next)
    }

    /// A new job started: the old draft and report go.
    pub fn cleared(&mut self) {
        self.draft = None;
        self.report = None;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use ipvi_core::import::{propose_mapping, read_csv};

    const EXPORT: &str = "Case Number,When,Victim Surname,Victim Given,Victim Born,Suspect Surname,Suspect Given,\
                          Bond,Charge\n\
                          K-1,03/14/2021,SMITHSON,ANNABEL,02/11/1990,JONESWORTH,BARNABY,GF,ARS 13-1203 ASSAULT\n\
                          K-2,04/02/2021,BROWNLEE,CARLOTTA,,BROWNLEE,DANFORTH,XW,THREATS\n";

    fn draft() -> MappingDraft {
        let t = read_csv("k.csv", EXPORT.as_bytes()).unwrap();
        MappingDraft::new(vec!["k.csv".into()], propose_mapping(&[t]), vec![])
    }

    #[test]
    fn target_values_round_trip_and_choices_are_all_parsable() {
        for (v, _) in target_choices() {
            assert_eq!(target_value(parse_target(&v)), v, "{v}");
        }
        assert_eq!(parse_target("incident_id@victim"), None);
        assert_eq!(parse_target("nonsense"), None);
        assert_eq!(
            parse_target("dob@offender"),
            Some(Target {
                field: Field::Dob,
                side: Side::Offender
            })
        );
        for (k, v, _) in KINDS {
            assert_eq!(kind_value(k), v);
        }
    }

    #[test]
    fn the_analyst_corrects_a_column_and_the_profile_keeps_it() {
        let d = draft();
        let col = d.proposal.tables[0]
            .columns
            .iter()
            .position(|c| c.header == "Bond")
            .unwrap();
        let rel = Target::of(Field::RelationshipCode);
        let d = d
            .apply(DraftAction::SetTarget {
                table: 0,
                column: col,
                target: Some(rel),
            })
            .unwrap();
        // The same change again is no change.
        assert!(d
            .apply(DraftAction::SetTarget {
                table: 0,
                column: col,
                target: Some(rel)
            })
            .is_none());
        let p = d.to_profile();
        let rule = p.tables[0].columns.iter().find(|c| c.header == "Bond").unwrap();
        assert_eq!(rule.target, rel);
        // A table-wide role is kept in the profile.
        let victims = d
            .apply(DraftAction::SetRole {
                table: 0,
                role: Some(ipvi_core::model::Role::Victim),
            })
            .unwrap();
        assert_eq!(
            victims.to_profile().tables[0].role,
            Some(ipvi_core::model::Role::Victim)
        );
        // Day-first dates, for a date column only.
        let when = d.proposal.tables[0]
            .columns
            .iter()
            .position(|c| c.target.is_some_and(|t| t.field == Field::IncidentDate))
            .unwrap();
        let day_first = d
            .apply(DraftAction::SetDateOrder {
                table: 0,
                column: when,
                order: SlashOrder::DayFirst,
            })
            .unwrap();
        let rule = day_first.to_profile().tables[0].columns[when].clone();
        assert_eq!(rule.date_order, Some(SlashOrder::DayFirst));
        assert!(d
            .apply(DraftAction::SetDateOrder {
                table: 0,
                column: col,
                order: SlashOrder::DayFirst
            })
            .is_none());
        // Only one column per target.
        let other = (0..d.proposal.tables[0].columns.len()).find(|&i| i != col).unwrap();
        let d2 = d
            .apply(DraftAction::SetTarget {
                table: 0,
                column: other,
                target: Some(rel),
            })
            .unwrap();
        assert_eq!(d2.proposal.tables[0].columns[col].target, None);
        // A table that cannot be used says what it lacks.
        let d3 = d
            .apply(DraftAction::SetKind {
                table: 0,
                kind: TableKind::Orders,
            })
            .unwrap();
        assert!(
            d3.missing().iter().any(|(_, m)| m.contains("order number")),
            "{:?}",
            d3.missing()
        );
    }

    #[test]
    fn a_profile_holds_no_sample_values() {
        let mut d = draft();
        for edit in [
            CodeEdit::AddOffense("threats".into(), "13c".into()),
            CodeEdit::AddRelationship("xw".into(), RelClass::IntimatePartner),
        ] {
            d = d.apply(DraftAction::Codes(check_code_edit(edit).unwrap())).unwrap();
        }
        let json = d.to_profile().to_json();
        for personal in [
            "SMITHSON",
            "ANNABEL",
            "JONESWORTH",
            "BARNABY",
            "CARLOTTA",
            "1990",
            "K-1",
        ] {
            assert!(!json.contains(personal), "{personal} is in the profile:\n{json}");
        }
        // The samples were there to be shown.
        assert!(d.proposal.tables[0]
            .columns
            .iter()
            .any(|c| c.samples.iter().any(|s| s == "SMITHSON")));
        let back = Profile::from_json(&json).unwrap();
        assert_eq!(back.offense_codes.codes.get("THREATS").map(String::as_str), Some("13C"));
        assert_eq!(back.relationship_codes.get("XW"), Some(&RelClass::IntimatePartner));
    }

    #[test]
    fn code_edits_are_checked_and_normalised() {
        assert!(check_code_edit(CodeEdit::AddOffense("x".into(), "99Q".into())).is_err());
        assert!(check_code_edit(CodeEdit::AddRelationship("  ".into(), RelClass::Stranger)).is_err());
        let mut o = OffenseCodeTable::default();
        let mut r = BTreeMap::new();
        let e = check_code_edit(CodeEdit::AddRelationship(" ex-bf ".into(), RelClass::IntimatePartner)).unwrap();
        assert!(apply_code_edit(&mut o, &mut r, e.clone()));
        assert!(!apply_code_edit(&mut o, &mut r, e));
        assert_eq!(r.get("EX-BF"), Some(&RelClass::IntimatePartner));
        assert!(apply_code_edit(
            &mut o,
            &mut r,
            CodeEdit::RemoveRelationship("EX-BF".into())
        ));
        assert!(r.is_empty());
    }

    #[test]
    fn local_relationship_codes_join_the_inquiry_code_table() {
        let mut local = BTreeMap::new();
        local.insert("GF".to_string(), RelClass::IntimatePartner);
        local.insert("FC".to_string(), RelClass::Stranger);
        let base = CodeTable::nibrs_default();
        assert_eq!(base.lookup("GF"), None);
        let t = with_local_codes(&base, &local);
        assert_eq!(t.lookup("gf"), Some(RelClass::IntimatePartner));
        assert_eq!(
            t.lookup("FC"),
            Some(RelClass::Stranger),
            "a local code wins over a household code"
        );
        assert_eq!(t.lookup("BG"), Some(RelClass::IntimatePartner));
    }

    #[test]
    fn closing_the_mapping_and_clearing() {
        let st = ImportState {
            draft: Some(draft()),
            report: None,
        };
        let closed = st.apply(ImportAction::CloseMapping).unwrap();
        assert!(closed.draft.is_none());
        assert!(closed.apply(ImportAction::CloseMapping).is_none());
        assert!(closed
            .apply(ImportAction::Draft(DraftAction::SetName("x".into())))
            .is_none());
        let renamed = st
            .apply(ImportAction::Draft(DraftAction::SetName("Kingsport RMS".into())))
            .unwrap();
        assert_eq!(renamed.draft.unwrap().to_profile().name, "Kingsport RMS");
    }

    fn report() -> ImportReport {
        use ipvi_core::import::{audit, import_tables, AuditThresholds};
        let d = draft();
        let t = read_csv("k.csv", EXPORT.as_bytes()).unwrap();
        let profile = d.to_profile();
        let out = import_tables(&[t], &profile).unwrap();
        let a = audit(
            &out,
            &profile,
            &ipvi_core::classify::CodeTable::nibrs_default(),
            &AuditThresholds::default(),
        );
        ImportReport {
            files: vec!["k.csv".into()],
            profile,
            source: ProfileSource::Confirmed,
            summaries: out.files.clone(),
            diagnostics: out.diagnostics.clone(),
            rejected: out.rejected.clone(),
            audit: a,
            bytes: EXPORT.len() as u64,
            read_ms: 2.0,
            import_ms: 1.0,
            memory_bytes: 0,
        }
    }

    /// A job on `k.csv` starts.
    fn start(job_id: u32) -> crate::state::Action {
        crate::state::Action::Start {
            job_id,
            files: vec!["k.csv".into()],
            skipped: vec![],
        }
    }

    /// A message from the first worker.
    fn msg(msg: crate::protocol::FromWorker) -> crate::state::Action {
        crate::state::Action::Worker {
            generation: 0,
            msg,
            decode_ms: 0.0,
        }
    }

    /// An import that finished, then an analysis that ran out of memory or was cancelled: the
    /// import's summary and audit stay (the results of the job before it do not come back: the
    /// worker held the new import's dataset).
    #[test]
    fn the_audit_of_a_finished_import_outlives_its_analysis() {
        use crate::protocol::FromWorker;
        use crate::state::{Action, AppState};
        let imported = |job_id| FromWorker::Imported {
            job_id,
            report: Box::new(report()),
        };
        let died = Action::WorkerDied {
            generation: 0,
            message: "RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded".into(),
        };
        let run = |actions: Vec<Action>| {
            actions
                .into_iter()
                .fold(AppState::default(), |st, a| st.apply(a).unwrap_or(st))
        };
        // An earlier import set aside by the next job, whose import finishes and whose analysis dies.
        let st = run(vec![start(1), msg(imported(1)), start(2), msg(imported(2)), died]);
        assert!(st.running.is_none() && st.previous.is_none());
        assert!(st.import.report.is_some(), "the second import's audit stays");
        assert!(st.inquiry.loaded.is_none());
        let text = &st.alerts.last().unwrap().text;
        assert!(text.contains("ran out of memory"), "{text}");
        assert!(text.contains("the import's summary and audit"), "{text}");
        // Cancelled after its import: the audit stays.
        let st = run(vec![
            start(1),
            msg(imported(1)),
            start(2),
            msg(imported(2)),
            Action::Cancel,
        ]);
        assert!(st.import.report.is_some() && st.status == "Cancelled.");
        // Died before its import finished: what was shown before comes back.
        let died = Action::WorkerDied {
            generation: 0,
            message: "boom".into(),
        };
        let st = run(vec![start(1), msg(imported(1)), start(2), died]);
        assert!(st.import.report.is_some(), "the first import's audit is back");
        assert!(st.alerts.last().unwrap().text.contains("results shown before it"));
    }

    #[test]
    fn the_worker_messages_round_trip_and_drive_the_app_state() {
        use crate::protocol::{decode, encode, FromWorker};
        use crate::state::AppState;
        let needs = FromWorker::NeedsMapping {
            job_id: 1,
            file_names: vec!["k.csv".into()],
            proposal: Box::new(draft().proposal),
            read_problems: vec![Diagnostic::file(
                ipvi_core::diag::Severity::Error,
                "junk.csv",
                "junk.csv is not a CSV or Excel file",
            )],
        };
        let imported = FromWorker::Imported {
            job_id: 2,
            report: Box::new(report()),
        };
        for m in [&needs, &imported] {
            assert_eq!(decode::<FromWorker>(&encode(m)).as_ref(), Ok(m));
        }
        let st = AppState::default()
            .apply(start(1))
            .unwrap()
            .apply(msg(needs.clone()))
            .unwrap();
        assert!(st.running.is_none(), "the mapping screen ends the job");
        assert!(st.import.draft.is_some());
        let texts: Vec<&str> = st.alerts.iter().map(|a| a.text.as_str()).collect();
        assert!(texts.iter().any(|t| t.contains("junk.csv is not a CSV")), "{texts:?}");
        assert!(
            texts.iter().any(|t| t.contains("k.csv") && t.contains("mapping")),
            "{texts:?}"
        );
        // A stale job's proposal changes nothing.
        assert!(AppState::default().apply(start(5)).unwrap().apply(msg(needs)).is_none());
        let st = st.apply(start(2)).unwrap();
        assert!(st.import.draft.is_none(), "a new job closes the mapping screen");
        let st = st.apply(msg(imported)).unwrap();
        assert!(st.running.is_some(), "the inquiry goes on after the import");
        let r = st.import.report.as_ref().unwrap();
        assert_eq!(r.audit.rows_read, 2);
        assert!(st.status.contains("2 rows read"), "{}", st.status);
        assert!(r.read_mb_per_s().is_some());
        let json: serde_json::Value = serde_json::from_str(&r.audit_json()).unwrap();
        for key in [
            "rows_read",
            "rows_rejected",
            "pairs_by_class",
            "usable_relationship_share",
        ] {
            assert!(json.get(key).is_some(), "{key}");
        }
    }
}
