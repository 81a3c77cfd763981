//! Splink settings JSON: export a trained model so Splink (DuckDB or Spark) can run it, and
//! import one back.
//!
//! Splink works on columns it is given, so the export assumes the input columns of
//! [`features_table`]: the normalised fields (`first_name`, `last_name`, `dob` as `YYYYMMDD`, …)
//! plus derived columns `<name>_soundex` and `<name>_nick` (nickname groups joined by `|`),
//! computed by us, as Splink users precompute phonetic columns. Every level's `sql_condition`
//! uses DuckDB/Spark SQL functions (`jaro_winkler_similarity`, `damerau_levenshtein`,
//! `list_has_any`, `strptime`). Import recognises exactly the conditions we write.

use super::blocking::{BlockKey, BlockingRule};
use super::compare::{Comparison, Features, Field, Level, LevelKind, TEXT_FIELDS};
use super::names::Nicknames;
use super::strings::soundex_text;
use super::{LinkError, LinkSettings, LinkType};
use serde_json::{json, Value};

fn col(field: Field, side: &str) -> String {
    format!("\"{}_{side}\"", field.column())
}

/// The SQL condition of a level on a field.
pub fn sql_condition(field: Field, kind: &LevelKind) -> String {
    let (l, r) = (col(field, "l"), col(field, "r"));
    let name = field.column();
    match kind {
        LevelKind::Null => format!("{l} IS NULL OR {r} IS NULL"),
        LevelKind::Else => "ELSE".into(),
        LevelKind::Exact => format!("{l} = {r}"),
        LevelKind::Nickname => format!(
            "list_has_any(string_split(\"{name}_nick_l\", '|'), string_split(\"{name}_nick_r\", '|'))"
        ),
        LevelKind::Swapped { other } => {
            format!("{l} = {} AND {r} = {}", col(*other, "r"), col(*other, "l"))
        }
        LevelKind::SwappedFuzzy { other, threshold } => format!(
            "jaro_winkler_similarity({l}, {}) >= {threshold} AND jaro_winkler_similarity({r}, {}) >= {threshold}",
            col(*other, "r"),
            col(*other, "l")
        ),
        LevelKind::JaroWinkler { threshold } => format!("jaro_winkler_similarity({l}, {r}) >= {threshold}"),
        LevelKind::DamerauLevenshtein { max } => format!("damerau_levenshtein({l}, {r}) <= {max}"),
        LevelKind::Soundex => format!("\"{name}_soundex_l\" = \"{name}_soundex_r\""),
        LevelKind::Initial => format!("substr({l}, 1, 1) = substr({r}, 1, 1)"),
        LevelKind::DobOneDigit => format!("damerau_levenshtein({l}, {r}) <= 1"),
        LevelKind::DobDayMonthSwapped => format!(
            "substr({l}, 1, 4) = substr({r}, 1, 4) AND substr({l}, 5, 2) = substr({r}, 7, 2) AND substr({l}, 7, 2) = substr({r}, 5, 2)"
        ),
        LevelKind::DobSameYear => format!("substr({l}, 1, 4) = substr({r}, 1, 4)"),
        LevelKind::DobWithinDays { days } => format!(
            "abs(date_diff('day', strptime({l}, '%Y%m%d'), strptime({r}, '%Y%m%d'))) <= {days}"
        ),
    }
}

fn parse_number_after<'a>(s: &'a str, op: &str) -> Option<&'a str> {
    s.rsplit_once(op).map(|(_, n)| n.trim())
}

/// The level kind of a SQL condition written by [`sql_condition`].
pub fn parse_condition(field: Field, sql: &str) -> Option<LevelKind> {
    let s = sql.trim();
    let candidates_fixed = [
        LevelKind::Null,
        LevelKind::Else,
        LevelKind::Exact,
        LevelKind::Nickname,
        LevelKind::Soundex,
        LevelKind::Initial,
        LevelKind::DobDayMonthSwapped,
        LevelKind::DobSameYear,
    ];
    if let Some(k) = candidates_fixed.into_iter().find(|k| sql_condition(field, k) == s) {
        return Some(k);
    }
    for other in TEXT_FIELDS {
        let k = LevelKind::Swapped { other };
        if sql_condition(field, &k) == s {
            return Some(k);
        }
    }
    if s.starts_with("jaro_winkler_similarity(") {
        let threshold: f64 = parse_number_after(s, ">=")?.parse().ok()?;
        for other in TEXT_FIELDS {
            let k = LevelKind::SwappedFuzzy { other, threshold };
            if sql_condition(field, &k) == s {
                return Some(k);
            }
        }
        let k = LevelKind::JaroWinkler { threshold };
        return (sql_condition(field, &k) == s).then_some(k);
    }
    if s.starts_with("damerau_levenshtein(") {
        let max: u32 = parse_number_after(s, "<=")?.parse().ok()?;
        let k = if field == Field::Dob && max == 1 {
            LevelKind::DobOneDigit
        } else {
            LevelKind::DamerauLevenshtein { max }
        };
        return (sql_condition(field, &k) == s).then_some(k);
    }
    if s.starts_with("abs(date_diff(") {
        let days: u32 = parse_number_after(s, "<=")?.parse().ok()?;
        let k = LevelKind::DobWithinDays { days };
        return (sql_condition(field, &k) == s).then_some(k);
    }
    None
}

fn key_sql(k: &BlockKey) -> String {
    match k {
        BlockKey::Exact(f) => format!("l.\"{0}\" = r.\"{0}\"", f.column()),
        BlockKey::Initial(f) => format!("substr(l.\"{0}\", 1, 1) = substr(r.\"{0}\", 1, 1)", f.column()),
        BlockKey::Soundex(f) => format!("l.\"{0}_soundex\" = r.\"{0}_soundex\"", f.column()),
        BlockKey::Dob => "l.\"dob\" = r.\"dob\"".into(),
        BlockKey::DobYear => "substr(l.\"dob\", 1, 4) = substr(r.\"dob\", 1, 4)".into(),
        BlockKey::DobYearMonth => "substr(l.\"dob\", 1, 6) = substr(r.\"dob\", 1, 6)".into(),
    }
}

/// The SQL of a blocking rule.
pub fn blocking_sql(rule: &BlockingRule) -> String {
    rule.keys.iter().map(key_sql).collect::<Vec<_>>().join(" AND ")
}

fn parse_blocking(sql: &str) -> Option<BlockingRule> {
    let mut keys = Vec::new();
    for part in sql.split(" AND ") {
        let part = part.trim();
        let mut candidates = vec![BlockKey::Dob, BlockKey::DobYear, BlockKey::DobYearMonth];
        for f in TEXT_FIELDS {
            candidates.extend([BlockKey::Exact(f), BlockKey::Initial(f), BlockKey::Soundex(f)]);
        }
        keys.push(candidates.into_iter().find(|k| key_sql(k) == part)?);
    }
    Some(BlockingRule { keys })
}

/// Export a trained model as Splink settings (a JSON value; `serde_json::to_string_pretty` it).
pub fn export(s: &LinkSettings) -> Value {
    let comparisons: Vec<Value> = s
        .comparisons
        .iter()
        .map(|c| {
            let levels: Vec<Value> = c
                .levels
                .iter()
                .map(|l| {
                    let mut v = json!({
                        "sql_condition": sql_condition(c.field, &l.kind),
                        "label_for_charts": l.label,
                    });
                    if l.kind == LevelKind::Null {
                        v["is_null_level"] = json!(true);
                    } else {
                        v["m_probability"] = json!(l.m);
                        v["u_probability"] = json!(l.u);
                    }
                    if l.tf_adjust {
                        v["tf_adjustment_column"] = json!(c.field.column());
                        v["tf_adjustment_weight"] = json!(1.0);
                        if s.tf_minimum_u > 0.0 {
                            v["tf_minimum_u_value"] = json!(s.tf_minimum_u);
                        }
                    }
                    v
                })
                .collect();
            json!({
                "output_column_name": c.name,
                "comparison_description": format!("{} ({})", c.name, c.field.column()),
                "comparison_levels": levels,
            })
        })
        .collect();
    let rules: Vec<Value> = s
        .blocking_rules
        .iter()
        .map(|r| json!({"blocking_rule": blocking_sql(r), "sql_dialect": "duckdb"}))
        .collect();
    let link_type = match s.link_type {
        LinkType::DedupeOnly => "dedupe_only",
        LinkType::LinkOnly => "link_only",
        LinkType::LinkAndDedupe => "link_and_dedupe",
    };
    json!({
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": s.lambda,
        "blocking_rules_to_generate_predictions": rules,
        "comparisons": comparisons,
        "retain_matching_columns": true,
        "retain_intermediate_calculation_columns": true,
        "sql_dialect": "duckdb",
    })
}

fn err(msg: impl Into<String>) -> LinkError {
    LinkError::Splink(msg.into())
}

/// Import Splink settings written by [`export`] (other settings keep their defaults or the
/// values in `base`).
pub fn import(v: &Value, base: &LinkSettings) -> Result<LinkSettings, LinkError> {
    let mut s = base.clone();
    s.link_type = match v.get("link_type").and_then(Value::as_str).unwrap_or("dedupe_only") {
        "dedupe_only" => LinkType::DedupeOnly,
        "link_only" => LinkType::LinkOnly,
        "link_and_dedupe" => LinkType::LinkAndDedupe,
        other => {
            return Err(err(format!(
                "link_type {other:?} is not dedupe_only, link_only or link_and_dedupe"
            )))
        }
    };
    s.lambda = v
        .get("probability_two_random_records_match")
        .and_then(Value::as_f64)
        .ok_or_else(|| err("probability_two_random_records_match is missing"))?;
    let mut rules = Vec::new();
    for r in v
        .get("blocking_rules_to_generate_predictions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let sql = r
            .as_str()
            .or_else(|| r.get("blocking_rule").and_then(Value::as_str))
            .unwrap_or("");
        rules.push(parse_blocking(sql).ok_or_else(|| err(format!("blocking rule {sql:?} is not one we can run")))?);
    }
    s.blocking_rules = rules;
    let mut comparisons = Vec::new();
    for c in v
        .get("comparisons")
        .and_then(Value::as_array)
        .ok_or_else(|| err("comparisons are missing"))?
    {
        let name = c
            .get("output_column_name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let field = Field::from_column(&name).ok_or_else(|| {
            err(format!(
                "comparison {name:?} is not a field we know (first_name, dob, …)"
            ))
        })?;
        let mut levels = Vec::new();
        for l in c
            .get("comparison_levels")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let sql = l.get("sql_condition").and_then(Value::as_str).unwrap_or("");
            let kind = parse_condition(field, sql).ok_or_else(|| {
                err(format!(
                    "comparison {name:?}: level condition {sql:?} is not one we can run"
                ))
            })?;
            let label = l
                .get("label_for_charts")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let mut level = Level::new(&label, kind);
            level.m = l.get("m_probability").and_then(Value::as_f64).unwrap_or(0.0);
            level.u = l.get("u_probability").and_then(Value::as_f64).unwrap_or(0.0);
            level.tf_adjust = l.get("tf_adjustment_column").and_then(Value::as_str).is_some();
            if let Some(t) = l.get("tf_minimum_u_value").and_then(Value::as_f64) {
                s.tf_minimum_u = t;
            }
            levels.push(level);
        }
        comparisons.push(Comparison { name, field, levels });
    }
    s.comparisons = comparisons;
    s.trained = true;
    Ok(s)
}

/// The columns Splink needs for an exported model, one row per record: `unique_id`, the
/// normalised fields, `dob` as `YYYYMMDD`, and `<name>_soundex` / `<name>_nick` for the name
/// fields. Returned as a header and rows of strings (empty = missing) for the caller to write.
pub fn features_table(f: &Features, record_ids: &[String], nick: &Nicknames) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["unique_id".to_string(), "source_dataset".to_string()];
    header.extend(TEXT_FIELDS.iter().map(|t| t.column().to_string()));
    header.push("dob".into());
    let derived = [Field::FirstName, Field::LastName, Field::MiddleName];
    for d in derived {
        header.push(format!("{}_soundex", d.column()));
        header.push(format!("{}_nick", d.column()));
    }
    let rows = (0..f.n)
        .map(|i| {
            let mut row = vec![record_ids.get(i).cloned().unwrap_or_default(), f.source[i].to_string()];
            row.extend(TEXT_FIELDS.iter().map(|&t| f.text(f.id(t, i)).to_string()));
            row.push(if f.dob[i] == super::compare::NO_DOB {
                String::new()
            } else {
                String::from_utf8_lossy(&f.dob_digits[i]).into_owned()
            });
            for d in derived {
                let id = f.id(d, i);
                row.push(soundex_text(f.soundex[id as usize]));
                row.push(nick.group_names(f.text(id)));
            }
            row
        })
        .collect();
    (header, rows)
}
