//! Read the synthetic export (the files of `docs/synthetic-export.md`) into a
//! [`Dataset`]. Tolerant: a bad row becomes a [`Diagnostic`] naming the file, row, column and
//! value, and the rest of the file is still read. `truth/` and other files are ignored.

use crate::date::Date;
use crate::diag::{Diagnostic, Severity};
use crate::model::{Arrest, Call, Dataset, Incident, Involvement, Offense, Pair, ProtectiveOrder, Role};

struct Table<'a> {
    file: &'a str,
    headers: Vec<String>,
    rows: csv::StringRecordsIntoIter<&'a [u8]>,
}

impl<'a> Table<'a> {
    fn open(file: &'a str, bytes: &'a [u8], diags: &mut Vec<Diagnostic>) -> Option<Table<'a>> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let headers = match r.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
            Err(e) => {
                diags.push(Diagnostic::file(
                    Severity::Error,
                    file,
                    format!("the header row cannot be read ({e}); check that the file is CSV"),
                ));
                return None;
            }
        };
        Some(Table {
            file,
            headers,
            rows: r.into_records(),
        })
    }

    fn col(&self, name: &str, diags: &mut Vec<Diagnostic>) -> Option<usize> {
        let i = self.headers.iter().position(|h| h == name);
        if i.is_none() {
            diags.push(Diagnostic::file(
                Severity::Warning,
                self.file,
                format!("column {name:?} is missing; its values are left empty. Export the file with all documented columns."),
            ));
        }
        i
    }
}

fn get(rec: &csv::StringRecord, col: Option<usize>) -> &str {
    col.and_then(|c| rec.get(c)).map(str::trim).unwrap_or("")
}

fn opt(s: &str) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s.to_string())
    }
}

struct Ctx<'a> {
    file: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn date(&mut self, row: u64, column: &str, v: &str) -> Option<Date> {
        if v.is_empty() {
            return None;
        }
        let d = Date::parse(v);
        if d.is_none() {
            self.diags.push(Diagnostic::cell(
                Severity::Warning,
                self.file,
                row,
                column,
                v,
                "not a date (expected MM/DD/YYYY); the date is left empty",
            ));
        }
        d
    }
    fn required(&mut self, row: u64, column: &str, v: &str) -> bool {
        if v.is_empty() {
            self.diags.push(Diagnostic::cell(
                Severity::Error,
                self.file,
                row,
                column,
                v,
                "empty id: the row is skipped; fill in the id",
            ));
            false
        } else {
            true
        }
    }
}

/// Read the export's files (names as in the export, e.g. `incidents.csv`; a folder prefix is
/// ignored) into a dataset, with a diagnostic per bad row or cell.
pub fn read_synthetic_export(files: &[(&str, &[u8])]) -> (Dataset, Vec<Diagnostic>) {
    let mut ds = Dataset::default();
    let mut diags = Vec::new();
    let base = |n: &str| n.rsplit(['/', '\\']).next().unwrap_or(n).to_ascii_lowercase();
    for &(name, bytes) in files {
        if name.contains("truth/") || name.contains("truth\\") {
            continue;
        }
        let kind = base(name);
        let Some(mut t) = Table::open(name, bytes, &mut diags) else {
            continue;
        };
        macro_rules! cols {
            ($($c:literal),*) => { [$(t.col($c, &mut diags)),*] };
        }
        let mut row = 1u64;
        match kind.as_str() {
            "incidents.csv" => {
                let [id, ag, _rd, od, hr, _call, dom, narr] = cols!(
                    "incident_id",
                    "agency",
                    "report_date",
                    "occurred_date",
                    "hour",
                    "call_id",
                    "domestic_flag",
                    "narrative"
                );
                for rec in t.rows.by_ref() {
                    row += 1;
                    let Ok(rec) = rec else {
                        diags.push(bad_row(name, row));
                        continue;
                    };
                    let mut cx = Ctx {
                        file: name,
                        diags: &mut diags,
                    };
                    if !cx.required(row, "incident_id", get(&rec, id)) {
                        continue;
                    }
                    let hour = match get(&rec, hr) {
                        "" => None,
                        h => match h.parse::<u8>() {
                            Ok(x) if x < 24 => Some(x),
                            _ => {
                                cx.diags.push(Diagnostic::cell(
                                    Severity::Warning,
                                    name,
                                    row,
                                    "hour",
                                    h,
                                    "not an hour 0–23; left empty",
                                ));
                                None
                            }
                        },
                    };
                    ds.incidents.push(Incident {
                        incident_id: get(&rec, id).to_string(),
                        agency: get(&rec, ag).to_string(),
                        date: cx.date(row, "occurred_date", get(&rec, od)),
                        hour,
                        narrative: opt(get(&rec, narr)),
                        domestic_flag: match get(&rec, dom) {
                            "Y" | "y" => Some(true),
                            "N" | "n" => Some(false),
                            _ => None,
                        },
                        place: String::new(),
                    });
                }
            }
            "offenses.csv" => {
                let [id, seq, local, statute, nibrs, att, weapon] = cols!(
                    "incident_id",
                    "offense_seq",
                    "local_code",
                    "statute",
                    "nibrs_code",
                    "attempted",
                    "weapon"
                );
                for rec in t.rows.by_ref() {
                    row += 1;
                    let Ok(rec) = rec else {
                        diags.push(bad_row(name, row));
                        continue;
                    };
                    let mut cx = Ctx {
                        file: name,
                        diags: &mut diags,
                    };
                    if !cx.required(row, "incident_id", get(&rec, id)) {
                        continue;
                    }
                    let local_code = match (get(&rec, local), get(&rec, statute)) {
                        ("", "") => None,
                        (l, "") => Some(l.to_string()),
                        (l, s) => Some(format!("{l} {s}").trim().to_string()),
                    };
                    ds.offenses.push(Offense {
                        incident_id: get(&rec, id).to_string(),
                        offense_id: format!("{}-{}", get(&rec, id), get(&rec, seq)),
                        nibrs_code: get(&rec, nibrs).to_string(),
                        local_code,
                        attempted: get(&rec, att) == "A",
                        weapons: match get(&rec, weapon) {
                            "" => Vec::new(),
                            w => vec![w.to_string()],
                        },
                    });
                }
            }
            "persons.csv" => {
                let [rid, id, role, last, first, middle, suffix, dob, age, sex, race, addr, city, zip, phone, injury] = cols!(
                    "record_id",
                    "incident_id",
                    "role",
                    "last_name",
                    "first_name",
                    "middle_name",
                    "suffix",
                    "dob",
                    "age",
                    "sex",
                    "race",
                    "address",
                    "city",
                    "zip",
                    "phone",
                    "injury"
                );
                for rec in t.rows.by_ref() {
                    row += 1;
                    let Ok(rec) = rec else {
                        diags.push(bad_row(name, row));
                        continue;
                    };
                    let mut cx = Ctx {
                        file: name,
                        diags: &mut diags,
                    };
                    if !cx.required(row, "record_id", get(&rec, rid)) {
                        continue;
                    }
                    let role_v = get(&rec, role);
                    let parsed_role = Role::parse(role_v);
                    if parsed_role.is_none() && !role_v.is_empty() {
                        cx.diags.push(Diagnostic::cell(
                            Severity::Warning,
                            name,
                            row,
                            "role",
                            role_v,
                            "unknown role; left empty",
                        ));
                    }
                    let age_v = get(&rec, age);
                    let age_n = if age_v.is_empty() {
                        None
                    } else {
                        age_v.parse::<u16>().ok()
                    };
                    if age_n.is_none() && !age_v.is_empty() {
                        cx.diags.push(Diagnostic::cell(
                            Severity::Warning,
                            name,
                            row,
                            "age",
                            age_v,
                            "not a whole number; left empty",
                        ));
                    }
                    ds.involvements.push(Involvement {
                        record_id: get(&rec, rid).to_string(),
                        incident_id: get(&rec, id).to_string(),
                        role: parsed_role,
                        first_name: get(&rec, first).to_string(),
                        middle_name: get(&rec, middle).to_string(),
                        last_name: get(&rec, last).to_string(),
                        suffix: get(&rec, suffix).to_string(),
                        dob: cx.date(row, "dob", get(&rec, dob)),
                        age: age_n,
                        sex: get(&rec, sex).to_string(),
                        race: get(&rec, race).to_string(),
                        address: get(&rec, addr).to_string(),
                        city: get(&rec, city).to_string(),
                        postcode: get(&rec, zip).to_string(),
                        phone: get(&rec, phone).to_string(),
                        injuries: match get(&rec, injury) {
                            "" => Vec::new(),
                            i => vec![i.to_string()],
                        },
                    });
                }
            }
            "relationships.csv" => {
                let [id, v, o, code, text] = cols!(
                    "incident_id",
                    "victim_record_id",
                    "offender_record_id",
                    "relationship_code",
                    "relationship_text"
                );
                for rec in t.rows.by_ref() {
                    row += 1;
                    let Ok(rec) = rec else {
                        diags.push(bad_row(name, row));
                        continue;
                    };
                    let mut cx = Ctx {
                        file: name,
                        diags: &mut diags,
                    };
                    if !cx.required(row, "victim_record_id", get(&rec, v))
                        || !cx.required(row, "offender_record_id", get(&rec, o))
                    {
                        continue;
                    }
                    ds.pairs.push(Pair {
                        incident_id: get(&rec, id).to_string(),
                        victim_record_id: get(&rec, v).to_string(),
                        offender_record_id: get(&rec, o).to_string(),
                        relationship_code: opt(get(&rec, code)),
                        relationship_text: opt(get(&rec, text)),
                        dv_circumstance: false,
                    });
                }
            }
            "arrests.csv" => {
                let [aid, id, rid, date, seq, charge, nibrs, felony, dom] = cols!(
                    "arrest_id",
                    "incident_id",
                    "record_id",
                    "arrest_date",
                    "charge_seq",
                    "charge",
                    "nibrs_code",
                    "felony",
                    "domestic"
                );
                for rec in t.rows.by_ref() {
                    row += 1;
                    let Ok(rec) = rec else {
                        diags.push(bad_row(name, row));
                        continue;
                    };
                    let mut cx = Ctx {
                        file: name,
                        diags: &mut diags,
                    };
                    if !cx.required(row, "arrest_id", get(&rec, aid)) {
                        continue;
                    }
                    let s = get(&rec, seq);
                    ds.arrests.push(Arrest {
                        arrest_id: if s.is_empty() {
                            get(&rec, aid).to_string()
                        } else {
                            format!("{}-{}", get(&rec, aid), s)
                        },
                        incident_id: opt(get(&rec, id)),
                        record_id: get(&rec, rid).to_string(),
                        date: cx.date(row, "arrest_date", get(&rec, date)),
                        nibrs_code: get(&rec, nibrs).to_string(),
                        charge_text: opt(get(&rec, charge)),
                        felony: match get(&rec, felony) {
                            "F" => Some(true),
                            "M" => Some(false),
                            _ => None,
                        },
                        domestic: match get(&rec, dom) {
                            "Y" => Some(true),
                            "N" => Some(false),
                            _ => None,
                        },
                    });
                }
            }
            "protective_orders.csv" => {
                let [oid, _id, resp, pet, _ty, issued, expires] = cols!(
                    "order_id",
                    "incident_id",
                    "respondent_record_id",
                    "petitioner_record_id",
                    "order_type",
                    "issued_date",
                    "expiration_date"
                );
                for rec in t.rows.by_ref() {
                    row += 1;
                    let Ok(rec) = rec else {
                        diags.push(bad_row(name, row));
                        continue;
                    };
                    let mut cx = Ctx {
                        file: name,
                        diags: &mut diags,
                    };
                    if !cx.required(row, "order_id", get(&rec, oid)) {
                        continue;
                    }
                    ds.orders.push(ProtectiveOrder {
                        order_id: get(&rec, oid).to_string(),
                        respondent_record_id: get(&rec, resp).to_string(),
                        petitioner_record_id: opt(get(&rec, pet)),
                        issued: cx.date(row, "issued_date", get(&rec, issued)),
                        expires: cx.date(row, "expiration_date", get(&rec, expires)),
                    });
                }
            }
            "calls.csv" => {
                let [cid, date, _hr, ty, _disp, _addr, id] = cols!(
                    "call_id",
                    "call_date",
                    "hour",
                    "call_type",
                    "disposition",
                    "address",
                    "incident_id"
                );
                for rec in t.rows.by_ref() {
                    row += 1;
                    let Ok(rec) = rec else {
                        diags.push(bad_row(name, row));
                        continue;
                    };
                    let mut cx = Ctx {
                        file: name,
                        diags: &mut diags,
                    };
                    if !cx.required(row, "call_id", get(&rec, cid)) {
                        continue;
                    }
                    let call_type = get(&rec, ty).to_string();
                    let domestic = call_type.contains("DOMESTIC") || call_type.contains("FAMILY");
                    ds.calls.push(Call {
                        call_id: get(&rec, cid).to_string(),
                        date: cx.date(row, "call_date", get(&rec, date)),
                        call_type,
                        domestic,
                        incident_id: opt(get(&rec, id)),
                    });
                }
            }
            _ => {}
        }
    }
    (ds, diags)
}

fn bad_row(file: &str, row: u64) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        file: file.to_string(),
        row: Some(row),
        column: None,
        value: None,
        message: "the row cannot be read as CSV (broken quoting or encoding); it is skipped".into(),
    }
}
