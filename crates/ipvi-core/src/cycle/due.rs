//! The notification due rule, as data: per list, the days allowed from entering the list (or
//! from an escalation to it) to the delivered notification for that list.
//!
//! The defaults are `data/notification_due.json`; the file says why in its own `description`
//! field. A partnership's own file is read with [`DueRules::from_json`], whose errors name the
//! file, the field and the value.

use crate::offenders::List;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The default due rule, in the saved format.
const DEFAULT_DUE: &str = include_str!("../../data/notification_due.json");

/// The longest deadline accepted, in days (ten years): a larger number is a typing error.
pub const MAX_DAYS: i64 = 3653;

/// The days allowed for one list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DueDays {
    /// Days from the refresh that put the person on the list to the notification.
    pub days_from_entry: i64,
    /// Days from the refresh that raised the person to the list to the notification.
    pub days_from_escalation: i64,
}

/// The due rule for every list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DueRules {
    pub version: u32,
    /// Why these deadlines (shown beside them).
    #[serde(default)]
    pub description: String,
    /// List letter → days allowed.
    pub lists: BTreeMap<String, DueDays>,
}

/// Why a due-rule file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DueRulesError {
    #[error("notification due rule {file}, line {line}, column {column}: {message}")]
    Json {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("notification due rule {file}: lists.{list} is not a list; use A, B, C or D")]
    UnknownList { file: String, list: String },
    #[error("notification due rule {file}: lists.{list} is missing; give days_from_entry and days_from_escalation for every list A, B, C and D")]
    Missing { file: String, list: &'static str },
    #[error(
        "notification due rule {file}: lists.{list}.{field} is {value}; give a number of days from 0 to {MAX_DAYS}"
    )]
    Days {
        file: String,
        list: String,
        field: &'static str,
        value: i64,
    },
}

impl Default for DueRules {
    fn default() -> Self {
        // The embedded file is tested; should it ever fail to parse, fall back to one month for
        // every list rather than panic.
        Self::from_json("notification_due.json", DEFAULT_DUE).unwrap_or_else(|_| DueRules {
            version: 1,
            description: "One month for every list (the built-in file did not load).".into(),
            lists: ["A", "B", "C", "D"]
                .into_iter()
                .map(|l| {
                    (
                        l.to_string(),
                        DueDays {
                            days_from_entry: 30,
                            days_from_escalation: 30,
                        },
                    )
                })
                .collect(),
        })
    }
}

impl DueRules {
    /// Read a due rule saved as JSON (`file` names it in errors).
    pub fn from_json(file: &str, text: &str) -> Result<DueRules, DueRulesError> {
        let rules: DueRules = serde_json::from_str(text).map_err(|e| DueRulesError::Json {
            file: file.to_string(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        for (name, days) in &rules.lists {
            if List::parse(name).is_none_or(|l| l.as_str() != name.as_str()) {
                return Err(DueRulesError::UnknownList {
                    file: file.to_string(),
                    list: name.clone(),
                });
            }
            for (field, value) in [
                ("days_from_entry", days.days_from_entry),
                ("days_from_escalation", days.days_from_escalation),
            ] {
                if !(0..=MAX_DAYS).contains(&value) {
                    return Err(DueRulesError::Days {
                        file: file.to_string(),
                        list: name.clone(),
                        field,
                        value,
                    });
                }
            }
        }
        for l in [List::A, List::B, List::C, List::D] {
            if !rules.lists.contains_key(l.as_str()) {
                return Err(DueRulesError::Missing {
                    file: file.to_string(),
                    list: l.as_str(),
                });
            }
        }
        Ok(rules)
    }

    /// The rule as the JSON the partnership saves and loads.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Days allowed for `list`, from entering it or (`escalated`) from being raised to it.
    pub fn days(&self, list: List, escalated: bool) -> i64 {
        self.lists
            .get(list.as_str())
            .map(|d| {
                if escalated {
                    d.days_from_escalation
                } else {
                    d.days_from_entry
                }
            })
            .unwrap_or(30)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_file_loads_with_every_list_and_its_reasons() {
        let r = DueRules::from_json("notification_due.json", DEFAULT_DUE).expect("defaults load");
        assert_eq!(r.lists.len(), 4);
        assert!(r.description.contains("design choices"), "{}", r.description);
        assert_eq!(r.days(List::A, false), 14);
        assert_eq!(r.days(List::D, false), 60);
        assert!(r.days(List::A, true) <= r.days(List::D, true));
        assert_eq!(DueRules::default(), r);
        assert_eq!(DueRules::from_json("x", &r.to_json()), Ok(r));
    }

    fn with(a: &str) -> String {
        format!(
            r#"{{"version":1,"lists":{{{a}"B":{{"days_from_entry":30,"days_from_escalation":30}},"C":{{"days_from_entry":30,"days_from_escalation":30}},"D":{{"days_from_entry":60,"days_from_escalation":60}}}}}}"#
        )
    }

    #[test]
    fn bad_files_are_rejected_naming_the_file_the_field_and_the_value() {
        let ok = with(r#""A":{"days_from_entry":7,"days_from_escalation":7},"#);
        assert!(DueRules::from_json("due.json", &ok).is_ok());

        let e = DueRules::from_json("due.json", &with("")).unwrap_err();
        assert_eq!(
            e,
            DueRulesError::Missing {
                file: "due.json".into(),
                list: "A"
            }
        );
        let e = DueRules::from_json(
            "due.json",
            &with(r#""A":{"days_from_entry":-3,"days_from_escalation":7},"#),
        )
        .unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("due.json") && text.contains("lists.A.days_from_entry") && text.contains("-3"),
            "{text}"
        );
        let e = DueRules::from_json(
            "due.json",
            &with(r#""A":{"days_from_entry":7,"days_from_escalation":99999},"#),
        )
        .unwrap_err();
        assert!(e.to_string().contains("days_from_escalation is 99999"), "{e}");
        let e = DueRules::from_json(
            "due.json",
            &with(r#""E":{"days_from_entry":7,"days_from_escalation":7},"#),
        )
        .unwrap_err();
        assert!(e.to_string().contains("lists.E is not a list"), "{e}");
        // A misspelt field is named with its line and column.
        let e = DueRules::from_json(
            "due.json",
            &with(r#""A":{"days_from_entr":7,"days_from_escalation":7},"#),
        )
        .unwrap_err();
        assert!(
            matches!(&e, DueRulesError::Json { message, .. } if message.contains("days_from_entr")),
            "{e}"
        );
        let e = DueRules::from_json("due.json", "{not json").unwrap_err();
        assert!(
            e.to_string().starts_with("notification due rule due.json, line 1"),
            "{e}"
        );
        // Lower case is not silently accepted as a different key.
        let e = DueRules::from_json(
            "due.json",
            &with(r#""a":{"days_from_entry":7,"days_from_escalation":7},"#),
        )
        .unwrap_err();
        assert!(matches!(e, DueRulesError::UnknownList { .. }), "{e}");
    }
}
