//! The mapping proposal reads values, not only headers: one test per problem met with real
//! agency exports tried with no profile (issue 14). The tables are built here, with the real
//! headers and value forms of the exports and made-up values (no real person).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ipvi_core::classify::CodeTable;
use ipvi_core::date::Date;
use ipvi_core::diag::Severity;
use ipvi_core::import::{
    self,
    audit::AuditThresholds,
    mapping::{ColumnProposal, Field, MappingProposal, Side, TableKind, Target},
    profile::Profile,
    ImportOutcome, ProfileChoice,
};
use ipvi_core::input::InputFile;
use ipvi_core::model::RelClass;

/// Import one CSV file with no profile: the outcome, the profile made from the proposal and
/// the proposal.
fn load(name: &str, bytes: &[u8]) -> (ImportOutcome, Profile, MappingProposal) {
    let files = [InputFile { name, bytes }];
    let (out, choice) = import::import_files(&files, None, None).unwrap();
    match choice {
        ProfileChoice::Proposed(p, proposal) => (out, p, proposal),
        other => panic!("expected a proposal, got {other:?}"),
    }
}

fn col<'a>(p: &'a MappingProposal, header: &str) -> &'a ColumnProposal {
    p.tables[0]
        .columns
        .iter()
        .find(|c| c.header == header)
        .unwrap_or_else(|| panic!("no column {header}"))
}

fn target(p: &MappingProposal, header: &str) -> Option<(Field, Side)> {
    col(p, header).target.map(|t| (t.field, t.side))
}

fn evidence(p: &MappingProposal, header: &str) -> String {
    col(p, header).evidence.join("; ")
}

/// Rows in = rows used + rows rejected, file by file.
fn assert_rows_add_up(out: &ImportOutcome) {
    for f in &out.files {
        assert_eq!(f.rows_read, f.rows_used + f.rows_rejected, "{}", f.file);
    }
}

fn classes(out: &ImportOutcome, profile: &Profile) -> Vec<u64> {
    let a = import::audit(out, profile, &CodeTable::nibrs_default(), &AuditThresholds::default());
    RelClass::ALL.iter().map(|c| a.pairs_by_class[c.as_str()]).collect()
}

/// A records-management export with one row per victim–offender pair and offence: local
/// headers, relationships spelled out, victim and suspect numbers within the incident, ages
/// written "23.0", Windows-1252.
fn rms_pairs() -> Vec<u8> {
    let rows = [
        // incident, date, victim no, age, sex, suspect no, age, sex, relationship, offence
        (
            "24-000101",
            "01/03/2024",
            "V1",
            "23.0",
            "F",
            "S1",
            "25.0",
            "M",
            "GIRLFRIEND",
            "ASSAULT 4TH DEGREE",
        ),
        (
            "24-000101",
            "01/03/2024",
            "V1",
            "23.0",
            "F",
            "S1",
            "25.0",
            "M",
            "GIRLFRIEND",
            "INTERFERING WITH A REPORT",
        ),
        (
            "24-000102",
            "01/04/2024",
            "V1",
            "41.0",
            "F",
            "S1",
            "44.0",
            "M",
            "EX WIFE",
            "HARASSMENT",
        ),
        (
            "24-000102",
            "01/04/2024",
            "V2",
            "17.0",
            "M",
            "S1",
            "44.0",
            "M",
            "CHILD",
            "HARASSMENT",
        ),
        (
            "24-000103",
            "01/05/2024",
            "V1",
            "30.0",
            "M",
            "S1",
            "31.0",
            "M",
            "SAME SEX PARTNER",
            "ASSAULT 2ND DEGREE",
        ),
        (
            "24-000104",
            "01/06/2024",
            "V1",
            "52.0",
            "F",
            "S1",
            "27.0",
            "M",
            "PARENT",
            "ASSAULT 4TH DEGREE",
        ),
        (
            "24-000104",
            "01/06/2024",
            "V1",
            "52.0",
            "F",
            "S2",
            "29.0",
            "M",
            "PARENT",
            "ASSAULT 4TH DEGREE",
        ),
        (
            "24-000105",
            "01/07/2024",
            "V1",
            "36.0",
            "F",
            "S1",
            "38.0",
            "M",
            "SPOUSE",
            "ASSAULT 4TH DEGREE",
        ),
        (
            "24-000106",
            "01/08/2024",
            "V1",
            "22.0",
            "F",
            "S1",
            "24.0",
            "M",
            "BOYFRIEND",
            "TELEPHONE HARASSMENT",
        ),
        (
            "24-000107",
            "01/09/2024",
            "V1",
            "45.0",
            "M",
            "S1",
            "40.0",
            "M",
            "STRANGER",
            "ROBBERY",
        ),
        (
            "24-000108",
            "01/10/2024",
            "V1",
            "28.0",
            "F",
            "S1",
            "30.0",
            "M",
            "CHILD IN COMMON",
            "ASSAULT 4TH DEGREE",
        ),
        (
            "24-000109",
            "01/11/2024",
            "V1",
            "19.0",
            "F",
            "S1",
            "20.0",
            "F",
            "SIBLING",
            "ASSAULT 4TH DEGREE",
        ),
    ];
    let mut s = String::from(
        "Case Number,Occurred Date,Victim Seq,Vic Age,Vic Sex,Suspect No,Susp Age,Susp Sex,Relationship,Offense Description\r\n",
    );
    for r in rows {
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\r\n",
            r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9
        ));
    }
    // One Windows-1252 byte (é) in a value, as the export wrote it.
    let mut bytes = s.replace("ROBBERY", "ROBBERY \u{1}").into_bytes();
    if let Some(at) = bytes.iter().position(|b| *b == 1) {
        bytes[at] = 0xE9;
    }
    bytes
}

#[test]
fn relationship_words_are_proposed_as_relationship_text_with_their_evidence() {
    let (out, profile, proposal) = load("rms_pairs.csv", &rms_pairs());
    assert_eq!(
        target(&proposal, "Relationship"),
        Some((Field::RelationshipText, Side::Any))
    );
    let ev = evidence(&proposal, "Relationship");
    assert!(ev.contains("of the values are relationship words (GIRLFRIEND"), "{ev}");
    // Girlfriend, ex-wife, same-sex partner, spouse, boyfriend, child in common: six partner
    // pairs; child, parent (two suspects) and sibling: four family; one stranger.
    assert_eq!(out.dataset.pairs.len(), 11);
    assert_eq!(classes(&out, &profile), [6, 4, 0, 1, 0]);
}

#[test]
fn a_code_column_holding_words_is_read_as_text() {
    // The analyst (or an old profile) maps the words as relationship codes: they are still read.
    let (_, mut profile, _) = load("rms_pairs.csv", &rms_pairs());
    for t in &mut profile.tables {
        for c in &mut t.columns {
            if c.header == "Relationship" {
                c.target = Target::of(Field::RelationshipCode);
            }
        }
    }
    let tables = import::read_tables(
        &[InputFile {
            name: "rms_pairs.csv",
            bytes: &rms_pairs(),
        }],
        None,
    )
    .0;
    let out = import::import_tables(&tables, &profile).unwrap();
    assert_eq!(out.relationship_words_as_text, 11);
    let first = out.dataset.pairs.get(0).expect("a pair");
    assert_eq!(first.relationship_code, None);
    assert_eq!(first.relationship_text, Some("GIRLFRIEND"));
    assert_eq!(classes(&out, &profile), [6, 4, 0, 1, 0]);
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Info && d.message.contains("are words, not codes")));
    // A two-letter local code stays a code (the profile's code table names it).
    let mut p2 = profile.clone();
    p2.relationship_codes.insert("GF".into(), RelClass::IntimatePartner);
    let csv = b"INCIDENT_ID,VICTIM_ID,OFFENDER_ID,REL\r\nI1,P1,P2,GF\r\n";
    let t = import::read_csv("rel.csv", csv).unwrap();
    let proposal = import::propose_mapping(std::slice::from_ref(&t));
    let p3 = Profile::from_proposal("p", &proposal);
    let out = import::import_tables(&[t], &p3).unwrap();
    assert_eq!(out.dataset.pairs.get(0).and_then(|p| p.relationship_code), Some("GF"));
    assert_eq!(out.relationship_words_as_text, 0);
}

#[test]
fn victim_and_suspect_numbers_are_persons_within_their_incident() {
    let (out, _, proposal) = load("rms_pairs.csv", &rms_pairs());
    assert_eq!(
        target(&proposal, "Victim Seq"),
        Some((Field::PersonNumber, Side::Victim))
    );
    assert_eq!(
        target(&proposal, "Suspect No"),
        Some((Field::PersonNumber, Side::Offender))
    );
    let ev = evidence(&proposal, "Victim Seq");
    assert!(ev.contains("repeat from incident to incident"), "{ev}");
    assert!(ev.contains("V1, V2"), "{ev}");
    // V1 of nine incidents are nine people, V2 of 24-000102 a tenth; S1 and S2 of 24-000104 two.
    let ds = &out.dataset;
    let victims: std::collections::BTreeSet<&str> = ds.pairs.iter().map(|p| p.victim_record_id).collect();
    let offenders: std::collections::BTreeSet<&str> = ds.pairs.iter().map(|p| p.offender_record_id).collect();
    assert_eq!(victims.len(), 10);
    assert_eq!(offenders.len(), 10);
    assert_eq!(ds.involvements.len(), 20);
    assert!(
        victims.contains("24-000102#V:V1") && victims.contains("24-000102#V:V2"),
        "{victims:?}"
    );
    // Twelve rows in, all used; the repeated pair row (two offences of one pair) is said.
    assert_rows_add_up(&out);
    assert_eq!(out.files[0].rows_read, 12);
    assert_eq!(out.files[0].rows_used, 12);
    assert_eq!(out.collapsed_pair_rows, 1);
    assert!(out.diagnostics.iter().any(|d| d.severity == Severity::Info
        && d.message
            .contains("1 row(s) repeat the incident, victim and offender of an earlier row")));
    // Both offences of the repeated pair are kept.
    let of_101 = ds.offenses.iter().filter(|o| o.incident_id == "24-000101").count();
    assert_eq!(of_101, 2);
}

#[test]
fn person_numbers_are_found_by_their_values_and_never_taken_for_ids() {
    // Headers nobody lists, and an id header whose values are per-incident numbers.
    let mut s = String::from("INC_NO,OCC_DATE,VICTIM,OFFENDER_ID,REL_TO_SUSPECT\n");
    for i in 0..8 {
        s.push_str(&format!("I{i},2023-05-0{},V1,S1,BF\n", i + 1));
        s.push_str(&format!("I{i},2023-05-0{},V2,S1,BF\n", i + 1));
    }
    let (out, _, proposal) = load("numbers.csv", s.as_bytes());
    assert_eq!(target(&proposal, "VICTIM"), Some((Field::PersonNumber, Side::Victim)));
    assert_eq!(
        target(&proposal, "OFFENDER_ID"),
        Some((Field::PersonNumber, Side::Offender))
    );
    // 8 incidents × (2 victims + 1 offender): never one person called V1.
    assert_eq!(out.dataset.involvements.len(), 24);
    assert_eq!(out.dataset.pairs.len(), 16);
    assert_eq!(out.collapsed_pair_rows, 0);
}

#[test]
fn whole_numbers_written_with_a_zero_fraction_are_whole_numbers() {
    let (out, _, proposal) = load("rms_pairs.csv", &rms_pairs());
    assert_eq!(target(&proposal, "Vic Age"), Some((Field::Age, Side::Victim)));
    assert!(evidence(&proposal, "Vic Age").contains("100% of the values are small whole numbers"));
    let ages: Vec<Option<u16>> = out.dataset.involvements.iter().map(|p| p.age).collect();
    assert!(ages.iter().all(Option::is_some), "{ages:?}");
    assert_eq!(ages[0], Some(23));
    assert!(!out.diagnostics.iter().any(|d| d.message.contains("whole number")));
}

/// An incident-level export as the LAPD publishes it ("Crime Data from 2020 to Present").
fn lapd() -> Vec<u8> {
    let head = "DR_NO,Date Rptd,DATE OCC,TIME OCC,AREA,AREA NAME,Rpt Dist No,Part 1-2,Crm Cd,Crm Cd Desc,Mocodes,\
                Vict Age,Vict Sex,Vict Descent,Premis Cd,Premis Desc,Weapon Used Cd,Weapon Desc,Status,Status Desc,\
                Crm Cd 1,Crm Cd 2,Crm Cd 3,Crm Cd 4,LOCATION,Cross Street,LAT,LON\n";
    let rows = [
        "200604511,01/04/2020 12:00:00 AM,01/03/2020 12:00:00 AM,2130,06,Hollywood,0646,2,626,INTIMATE PARTNER - SIMPLE ASSAULT,0416 2000,31,F,H,502,\"MULTI-UNIT DWELLING (APARTMENT, DUPLEX, ETC)\",400,\"STRONG-ARM (HANDS, FIST, FEET OR BODILY FORCE)\",AO,Adult Other,626,998,,,1500 N VINE ST,,34.0981,-118.3267",
        "200604512,01/05/2020 12:00:00 AM,01/05/2020 12:00:00 AM,0845,06,Hollywood,0636,1,230,\"ASSAULT WITH DEADLY WEAPON, AGGRAVATED ASSAULT\",0416,45,M,W,101,STREET,200,KNIFE WITH BLADE 6INCHES OR LESS,IC,Invest Cont,230,,,,SUNSET BL,VINE ST,34.0980,-118.3268",
        "201104513,02/10/2020 12:00:00 AM,02/09/2020 12:00:00 AM,1200,11,Northeast,1138,2,624,BATTERY - SIMPLE ASSAULT,0400,27,F,B,501,SINGLE FAMILY DWELLING,400,\"STRONG-ARM (HANDS, FIST, FEET OR BODILY FORCE)\",AA,Adult Arrest,624,626,930,,2900 FLETCHER DR,,34.1105,-118.2543",
        "201104514,02/11/2020 12:00:00 AM,02/11/2020 12:00:00 AM,1745,11,Northeast,1139,1,330,BURGLARY FROM VEHICLE,0344,0,X,X,101,STREET,,,IC,Invest Cont,330,,,,3000 GLENDALE BL,,34.1100,-118.2550",
        "201404515,03/01/2020 12:00:00 AM,02/28/2020 12:00:00 AM,0015,14,Pacific,1431,2,626,INTIMATE PARTNER - SIMPLE ASSAULT,2000 0416,38,F,O,502,\"MULTI-UNIT DWELLING (APARTMENT, DUPLEX, ETC)\",400,\"STRONG-ARM (HANDS, FIST, FEET OR BODILY FORCE)\",AO,Adult Other,626,,,,600 MAIN ST,,33.9900,-118.4600",
        "201404516,03/02/2020 12:00:00 AM,03/02/2020 12:00:00 AM,2300,14,Pacific,1432,1,236,INTIMATE PARTNER - AGGRAVATED ASSAULT,0416,29,F,H,501,SINGLE FAMILY DWELLING,500,UNKNOWN WEAPON/OTHER WEAPON,IC,Invest Cont,236,626,,,700 OCEAN AV,,33.9910,-118.4610",
    ];
    let mut s = head.to_string();
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s.into_bytes()
}

#[test]
fn places_are_places_and_offence_categories_are_not_roles_or_names() {
    let (out, _, proposal) = load("Crime_Data_from_2020_to_Present.csv", &lapd());
    assert_eq!(target(&proposal, "AREA NAME"), Some((Field::Place, Side::Any)));
    assert_eq!(target(&proposal, "Cross Street"), None, "one place column is used");
    assert_eq!(target(&proposal, "Crm Cd Desc"), Some((Field::Statute, Side::Any)));
    for c in &proposal.tables[0].columns {
        let f = c.target.map(|t| t.field);
        assert!(
            !matches!(
                f,
                Some(Field::Role | Field::FullName | Field::FirstName | Field::LastName)
            ),
            "{} proposed as {f:?}",
            c.header
        );
    }
    assert_eq!(proposal.tables[0].kind, TableKind::Flat);
    let ds = &out.dataset;
    assert_eq!(ds.incidents.len(), 6);
    assert_eq!(ds.incidents.get(0).map(|i| i.place), Some("Hollywood"));
    assert_eq!(ds.incidents.get(0).and_then(|i| i.hour), Some(21));
    assert_eq!(
        ds.incidents.date(0).map(|d| d.to_string()).as_deref(),
        Some("2020-01-03")
    );
    // The victim's age and sex are a victim's; nobody is made up as an offender.
    assert!(ds.pairs.is_empty());
    assert!(ds
        .involvements
        .iter()
        .all(|p| p.role == Some(ipvi_core::model::Role::Victim)));
    assert_rows_add_up(&out);
    assert_eq!(out.files[0].rows_used, 6);
}

#[test]
fn several_offence_code_columns_are_all_offences_of_the_incident() {
    let (out, _, proposal) = load("Crime_Data_from_2020_to_Present.csv", &lapd());
    for h in ["Crm Cd", "Crm Cd 1", "Crm Cd 2", "Crm Cd 3", "Crm Cd 4"] {
        assert_eq!(target(&proposal, h), Some((Field::LocalOffenseCode, Side::Any)), "{h}");
    }
    let codes = |iid: &str| -> Vec<String> {
        out.dataset
            .offenses
            .iter()
            .filter(|o| o.incident_id == iid)
            .map(|o| o.local_code.unwrap_or_default().to_string())
            .collect()
    };
    // Crm Cd 1 repeats Crm Cd: one offence; Crm Cd 2 and 3 are more offences.
    assert_eq!(codes("200604511"), ["626 INTIMATE PARTNER - SIMPLE ASSAULT", "998"]);
    assert_eq!(codes("201104513"), ["624 BATTERY - SIMPLE ASSAULT", "626", "930"]);
    assert_eq!(codes("201104514").len(), 1);
    // The descriptions reach the statute keywords: aggravated assault, simple assault.
    let nibrs: Vec<&str> = out
        .dataset
        .offenses
        .iter()
        .filter(|o| o.incident_id == "200604512")
        .map(|o| o.nibrs_code)
        .collect();
    assert_eq!(nibrs, ["13A"]);
}

/// Chicago's "Crimes - 2001 to Present", one row per incident.
#[test]
fn chicago_incident_rows_read_types_and_descriptions_as_offences() {
    let mut s = String::from(
        "ID,Case Number,Date,Block,IUCR,Primary Type,Description,Location Description,Arrest,Domestic,Beat,District,\
         Ward,Community Area,FBI Code,X Coordinate,Y Coordinate,Year,Updated On,Latitude,Longitude,Location\n",
    );
    let rows = [
        (
            "0486",
            "BATTERY",
            "DOMESTIC BATTERY SIMPLE",
            "APARTMENT",
            "false",
            "true",
        ),
        ("0460", "BATTERY", "SIMPLE", "STREET", "false", "false"),
        ("0820", "THEFT", "$500 AND UNDER", "RESIDENCE", "false", "false"),
        ("0560", "ASSAULT", "SIMPLE", "RESIDENCE", "false", "true"),
        (
            "0486",
            "BATTERY",
            "DOMESTIC BATTERY SIMPLE",
            "RESIDENCE",
            "true",
            "true",
        ),
        ("1310", "CRIMINAL DAMAGE", "TO PROPERTY", "STREET", "false", "false"),
        (
            "0486",
            "BATTERY",
            "DOMESTIC BATTERY SIMPLE",
            "APARTMENT",
            "false",
            "true",
        ),
        ("0820", "THEFT", "$500 AND UNDER", "STREET", "false", "false"),
    ];
    for (i, r) in rows.iter().enumerate() {
        s.push_str(&format!(
            "{},JD1{i:05},03/0{}/2019 01:45:00 PM,012XX W MADISON ST,{},{},{},{},{},{},1234,012,27,28,08B,1165000,1900000,2019,\
             03/10/2019 03:50:00 PM,41.88,-87.65,\"(41.88, -87.65)\"\n",
            11_600_000 + i,
            i + 1,
            r.0,
            r.1,
            r.2,
            r.3,
            r.4,
            r.5
        ));
    }
    let (out, _, proposal) = load("Crimes_-_2001_to_Present.csv", s.as_bytes());
    assert_eq!(target(&proposal, "Primary Type"), Some((Field::Statute, Side::Any)));
    assert_eq!(target(&proposal, "Description"), Some((Field::Statute, Side::Any)));
    assert_eq!(target(&proposal, "Location Description"), None);
    assert_eq!(target(&proposal, "IUCR"), Some((Field::LocalOffenseCode, Side::Any)));
    assert_eq!(target(&proposal, "Domestic"), Some((Field::DomesticFlag, Side::Any)));
    assert_eq!(target(&proposal, "Case Number"), Some((Field::IncidentId, Side::Any)));
    assert_eq!(target(&proposal, "ID"), None, "{}", evidence(&proposal, "ID"));
    assert_eq!(proposal.tables[0].kind, TableKind::Flat);
    let ds = &out.dataset;
    assert_eq!(ds.incidents.len(), 8);
    assert!(ds.involvements.is_empty(), "no person is made up");
    assert_eq!(ds.offenses.len(), 8);
    assert_eq!(
        ds.offenses.get(0).and_then(|o| o.local_code),
        Some("0486 BATTERY / DOMESTIC BATTERY SIMPLE")
    );
    assert_eq!(ds.incidents.iter().filter(|i| i.domestic_flag == Some(true)).count(), 4);
    // No hour column: the hour comes from the date's time (01:45:00 PM).
    assert_eq!(ds.incidents.get(0).and_then(|i| i.hour), Some(13));
    assert_rows_add_up(&out);
    assert!(!out.diagnostics.iter().any(|d| d.severity == Severity::Error));
}

#[test]
fn dates_in_every_common_form_are_read_per_column() {
    // A year-first slash column (was: "looks like DD/MM/YY") and a column of mixed forms.
    let s = "INCIDENT_ID,REPORT_DATE,OCCURRED\n\
             A1,2018/12/01,2019-03-04T13:45:00.000\n\
             A2,2018/12/13,03/05/2019 01:45:00 PM\n\
             A3,2018/12/25,06-MAR-19\n\
             A4,2019/01/02,\"March 7, 2019\"\n\
             A5,2019/01/31,2019-03-08 13:45:00.000000\n\
             A6,2019/02/01,20190309\n";
    let (out, _, proposal) = load("dates.csv", s.as_bytes());
    assert_eq!(target(&proposal, "REPORT_DATE"), Some((Field::ReportDate, Side::Any)));
    assert_eq!(col(&proposal, "REPORT_DATE").date_format.as_deref(), Some("YYYY/MM/DD"));
    assert_eq!(
        col(&proposal, "REPORT_DATE").date_order,
        Some(ipvi_core::date::SlashOrder::MonthFirst)
    );
    assert_eq!(target(&proposal, "OCCURRED"), Some((Field::IncidentDate, Side::Any)));
    let dates: Vec<String> = out
        .dataset
        .incidents
        .iter()
        .map(|i| i.date.map(|d| d.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(
        dates,
        [
            "2019-03-04",
            "2019-03-05",
            "2019-03-06",
            "2019-03-07",
            "2019-03-08",
            "2019-03-09"
        ]
    );
    assert!(
        !out.diagnostics.iter().any(|d| d.message.contains("not a date")),
        "{:?}",
        out.diagnostics
    );
    // A day-first column is told by the dates that can only be day first.
    let s = "INCIDENT_ID,INCIDENT_DATE\nB1,03/04/2019\nB2,25/04/2019\nB3,30/04/2019\nB4,01/05/2019\n";
    let (out, _, proposal) = load("dmy.csv", s.as_bytes());
    assert_eq!(
        col(&proposal, "INCIDENT_DATE").date_format.as_deref(),
        Some("DD/MM/YYYY")
    );
    assert_eq!(out.dataset.incidents.date(0), Date::from_ymd(2019, 4, 3));
}

#[test]
fn first_time_notes_are_notes_and_every_proposal_has_its_evidence() {
    let (out, _, proposal) = load("Crime_Data_from_2020_to_Present.csv", &lapd());
    for c in &proposal.tables[0].columns {
        assert!(!c.evidence.is_empty(), "{}", c.header);
    }
    assert!(proposal.notes.is_empty(), "{:?}", proposal.notes);
    assert!(
        !out.diagnostics.iter().any(|d| d.severity == Severity::Error),
        "{:?}",
        out.diagnostics
    );
    // A table with no incident number: a note, and the import says it as the error it is.
    let (_, _, proposal) = load("no_key.csv", b"OCCURRED_DATE,ROLE,LAST_NAME\n01/01/2021,victim,SMITH\n");
    assert_eq!(proposal.notes.len(), 1);
    assert!(proposal.notes[0].contains("no column was recognised as"));
}

#[test]
fn a_person_per_row_export_with_a_sequence_and_a_row_per_offence_invents_nobody() {
    let s = "Incident No,Report Date,Person Type,Seq,Last Name,First Name,DOB,Age,Sex,Relationship To Suspect,Offense\n\
             2023-001,2023-01-02 13:45:00.000,VICTIM,1,DOE,JANE,1990-01-01,33.0,F,GIRLFRIEND,ASSAULT 4 DV\n\
             2023-001,2023-01-02 13:45:00.000,SUSPECT,1,ROE,RICHARD,1988-02-02,35.0,M,,ASSAULT 4 DV\n\
             2023-001,2023-01-02 13:45:00.000,VICTIM,1,DOE,JANE,1990-01-01,33.0,F,GIRLFRIEND,MALICIOUS MISCHIEF DV\n\
             2023-001,2023-01-02 13:45:00.000,SUSPECT,1,ROE,RICHARD,1988-02-02,35.0,M,,MALICIOUS MISCHIEF DV\n\
             2023-002,2023-01-03 09:00:00.000,VICTIM,1,SMITH,ANN,1970-03-03,53.0,F,MOTHER,ASSAULT 4 DV\n\
             2023-002,2023-01-03 09:00:00.000,SUSPECT,1,SMITH,TOM,2000-04-04,23.0,M,,ASSAULT 4 DV\n\
             2023-003,2023-01-04 22:10:00.000,VICTIM,1,LEE,KIM,1985-05-05,38.0,F,EX-HUSBAND,VIOLATION OF PROTECTION ORDER\n\
             2023-003,2023-01-04 22:10:00.000,SUSPECT,1,LEE,SAM,1983-06-06,40.0,M,,VIOLATION OF PROTECTION ORDER\n\
             2023-003,2023-01-04 22:10:00.000,VICTIM,2,LEE,MIA,2015-07-07,8.0,F,FATHER,VIOLATION OF PROTECTION ORDER\n";
    let (out, profile, proposal) = load("rms_persons.csv", s.as_bytes());
    assert_eq!(target(&proposal, "Seq"), Some((Field::PersonNumber, Side::Any)));
    assert_eq!(
        target(&proposal, "Relationship To Suspect"),
        Some((Field::RelationshipText, Side::Any))
    );
    assert_eq!(out.dataset.involvements.len(), 7);
    assert_eq!(out.dataset.pairs.len(), 4);
    assert_eq!(out.collapsed_person_rows, 2);
    assert_eq!(out.dataset.offenses.len(), 4);
    assert_rows_add_up(&out);
    // Girlfriend and ex-husband: partners; mother and father: family.
    assert_eq!(classes(&out, &profile), [2, 2, 0, 0, 0]);
}

#[test]
fn a_booking_roster_with_no_person_id_keeps_each_booking_apart() {
    let s =
        "Booking Number,Booking Date,Inmate Name,Age,Race,Sex,Charge Seq,Statute,Charge Description,Charge Degree\n\
             B23-00101,03/04/2023 01:45 PM,\"DOE, JOHN A\",34,W,M,1,784.03(1)(a),BATTERY (DOMESTIC VIOLENCE),M1\n\
             B23-00101,03/04/2023 01:45 PM,\"DOE, JOHN A\",34,W,M,2,843.02,RESISTING OFFICER WITHOUT VIOLENCE,M1\n\
             B23-00102,03/05/2023 11:10 PM,\"ROE, RICHARD\",41,B,M,1,784.045(1)(a)1,AGGRAVATED BATTERY (DOMESTIC),F2\n";
    let (out, _, proposal) = load("bookings.csv", s.as_bytes());
    assert_eq!(proposal.tables[0].kind, TableKind::Arrests);
    assert!(proposal.notes.is_empty(), "{:?}", proposal.notes);
    assert_eq!(target(&proposal, "Charge Degree"), Some((Field::Felony, Side::Any)));
    let a = &out.dataset.arrests;
    assert_eq!(a.len(), 3);
    assert_eq!(a[0].record_id, a[1].record_id);
    assert_ne!(a[0].record_id, a[2].record_id);
    assert_eq!(a[2].felony, Some(true));
    assert_eq!(
        a[0].charge_text.as_deref(),
        Some("784.03(1)(a) / BATTERY (DOMESTIC VIOLENCE)")
    );
    assert_rows_add_up(&out);
}

/// A booking roster with no incident file is an incident-level export: each case (or booking,
/// when the roster has no case number) is an incident, dated by the booking, its charges the
/// offences that class it, its arrestee the offender; numbered charge columns are all charges
/// and their TYPE / CLASS columns are the charge's degree (Chicago's "Arrests").
#[test]
fn a_roster_without_incidents_makes_an_incident_of_each_case_or_booking() {
    let s = "CB_NO,CASE NUMBER,ARREST DATE,CHARGE 1 STATUTE,CHARGE 1 DESCRIPTION,CHARGE 1 TYPE,CHARGE 1 CLASS,CHARGE 2 STATUTE,CHARGE 2 DESCRIPTION,CHARGE 2 TYPE,CHARGE 2 CLASS\n\
             30000001,JF100001,06/02/2021 03:23:00 AM,720 ILCS 5.0/12-3.2-A-1,DOMESTIC BATTERY - BODILY HARM,M,A,,,,\n\
             30000002,,06/03/2021 04:00:00 PM,720 ILCS 570.0/402-C,POSSESSION OF CONTROLLED SUBSTANCE,F,4,720 ILCS 5.0/12-4.4A-A,CRIMINAL ABUSE OR NEGLECT OF AN ELDERLY PERSON,F,3\n\
             30000003,JF100003,06/04/2021 10:00:00 AM,720 ILCS 5.0/16-1-A-1,THEFT,M,A,,,,\n";
    let (out, profile, proposal) = load("Arrests.csv", s.as_bytes());
    assert_eq!(target(&proposal, "CB_NO"), Some((Field::ArrestId, Side::Any)));
    assert_eq!(target(&proposal, "CHARGE 1 TYPE"), Some((Field::Felony, Side::Any)));
    // One degree column is read; the others are degrees too, never charge texts.
    for h in ["CHARGE 1 CLASS", "CHARGE 2 TYPE", "CHARGE 2 CLASS"] {
        assert!(matches!(target(&proposal, h), None | Some((Field::Felony, _))), "{h}");
    }
    assert_eq!(
        target(&proposal, "CHARGE 2 DESCRIPTION"),
        Some((Field::Statute, Side::Any))
    );
    let ids: Vec<&str> = out.dataset.incidents.iter().map(|i| i.incident_id).collect();
    assert_eq!(ids, ["JF100001", "30000002", "JF100003"]);
    assert!(out.dataset.incidents.iter().all(|i| i.date.is_some()));
    assert_eq!(out.dataset.involvements.len(), 3);
    assert_rows_add_up(&out);
    let a = import::audit(&out, &profile, &CodeTable::nibrs_default(), &AuditThresholds::default());
    assert_eq!(a.incidents_by_class["other_family"], 1);
    assert_eq!(a.incidents_by_class["domestic_unspecified"], 1);
    assert_eq!(a.incidents_by_class["not_domestic"], 1);
}

/// Kansas City's "KCPD Crime Data": one row per person involvement, the person's number within
/// the incident (`Invl_No`) beside the involvement (VIC, SUS, ARR).
#[test]
fn involvement_numbers_with_roles_are_persons_of_their_incident() {
    let s = "Report_No,Reported_Date,Reported_Time,From_Date,From_Time,Offense,IBRS,Description,Area,DVFlag,Invl_No,Involvement,Race,Sex,Age\n\
             KC20000101,03/04/2020,15:00,03/04/2020,13:45,1313,13B,Assault (Simple),CPD,TRUE,1,VIC,B,F,28\n\
             KC20000101,03/04/2020,15:00,03/04/2020,13:45,1313,13B,Assault (Simple),CPD,TRUE,1,SUS,B,M,30\n\
             KC20000102,03/05/2020,23:30,03/05/2020,23:00,1315,13A,Aggravated Assault (Domestic),EPD,TRUE,1,VIC,W,F,35\n\
             KC20000102,03/05/2020,23:30,03/05/2020,23:00,1315,13A,Aggravated Assault (Domestic),EPD,TRUE,2,VIC,W,M,10\n\
             KC20000102,03/05/2020,23:30,03/05/2020,23:00,1315,13A,Aggravated Assault (Domestic),EPD,TRUE,1,SUS,W,M,37\n\
             KC20000103,03/06/2020,09:00,03/06/2020,08:00,2305,23F,Stealing from Auto,CPD,FALSE,1,VIC,W,M,44\n";
    let (out, _, proposal) = load("KCPD_Crime_Data_2020.csv", s.as_bytes());
    assert_eq!(target(&proposal, "Invl_No"), Some((Field::PersonNumber, Side::Any)));
    assert_eq!(target(&proposal, "From_Time"), Some((Field::IncidentHour, Side::Any)));
    let ds = &out.dataset;
    assert_eq!(ds.involvements.len(), 6);
    // Victim 1 and suspect 1 of an incident are two people; victim 1 of two incidents too.
    let ids: std::collections::BTreeSet<&str> = ds.involvements.iter().map(|p| p.record_id).collect();
    assert_eq!(ids.len(), 6);
    assert_eq!(ds.pairs.len(), 3);
    assert_eq!(ds.incidents.get(1).and_then(|i| i.hour), Some(23));
    assert_rows_add_up(&out);
}

/// San Francisco's "Police Department Incident Reports: 2018 to Present" (DataSF; its
/// documented columns, made-up values): one row per incident code. "Incident Description"
/// names the relationship ("Battery, Former Spouse or Dating Relationship") but its header only
/// contains the word INCIDENT: it was taken for a second incident id and dropped, so every
/// incident was "not domestic". Found by trying the layout after the corpus was written.
#[test]
fn an_id_whose_values_name_offences_is_read_as_the_offence_text() {
    let head = "Incident Datetime,Incident Date,Incident Time,Incident Year,Incident Day of Week,Report Datetime,\
Row ID,Incident ID,Incident Number,CAD Number,Report Type Code,Report Type Description,Filed Online,Incident Code,\
Incident Category,Incident Subcategory,Incident Description,Resolution,Intersection,CNN,Police District,\
Analysis Neighborhood,Supervisor District,Latitude,Longitude,Point\n";
    let rows = [
        (
            "1200001",
            "230100001",
            "04134",
            "Assault",
            "Simple Assault",
            "\"Battery, Former Spouse or Dating Relationship\"",
        ),
        (
            "1200002",
            "230100002",
            "04136",
            "Assault",
            "Aggravated Assault",
            "Inflict Injury on Cohabitee",
        ),
        (
            "1200003",
            "230100003",
            "15041",
            "Offences Against The Family And Children",
            "Family Offenses",
            "\"Child Abuse, Physical\"",
        ),
        ("1200004", "230100004", "04134", "Assault", "Simple Assault", "Battery"),
        (
            "1200005",
            "230100005",
            "06244",
            "Larceny Theft",
            "Larceny - From Vehicle",
            "\"Theft, From Locked Vehicle, >$950\"",
        ),
        (
            "1200006",
            "230100006",
            "28150",
            "Malicious Mischief",
            "Vandalism",
            "\"Malicious Mischief, Vandalism to Property\"",
        ),
    ];
    let mut text = String::from(head);
    for (k, (id, number, code, cat, sub, desc)) in rows.iter().enumerate() {
        text.push_str(&format!(
            "2021/03/0{d} 01:45:00 PM,2021/03/0{d},13:45,2021,Thursday,2021/03/0{d} 02:10:00 PM,{id}{code},{id},{number},\
210000{k},II,Initial,,{code},{cat},{sub},{desc},Open or Active,MISSION ST \\ 16TH ST,24{k}000,Mission,Mission,9,37.76,-122.41,\
POINT (-122.41 37.76)\n",
            d = k + 1
        ));
    }
    let (out, profile, p) = load(
        "Police_Department_Incident_Reports__2018_to_Present.csv",
        text.as_bytes(),
    );
    assert_rows_add_up(&out);
    assert_eq!(target(&p, "Incident ID"), Some((Field::IncidentId, Side::Any)));
    assert_eq!(
        target(&p, "Incident Description"),
        Some((Field::Statute, Side::Any)),
        "{}",
        evidence(&p, "Incident Description")
    );
    assert!(
        evidence(&p, "Incident Description").contains("not ids"),
        "{}",
        evidence(&p, "Incident Description")
    );
    assert_eq!(target(&p, "Police District"), Some((Field::Place, Side::Any)));
    let a = import::audit(&out, &profile, &CodeTable::nibrs_default(), &AuditThresholds::default());
    assert_eq!(a.incidents, 6);
    assert_eq!(
        a.incidents_by_class["intimate_partner"], 2,
        "{:?}",
        a.incidents_by_class
    );
    assert_eq!(a.incidents_by_class["other_family"], 1, "{:?}", a.incidents_by_class);
    assert_eq!(a.incidents_by_class["not_domestic"], 3, "{:?}", a.incidents_by_class);
}
