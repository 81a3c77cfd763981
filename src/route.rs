//! Where the analyst is: one screen per step of the inquiry, each with its own address
//! (`#data`, `#relationships`, `#people`, `#people/<person id>`, ...), so that the browser's back
//! and forward buttons move between screens and person pages. Pure and tested natively; the
//! page's hook (`components::shell::use_route`) keeps it in step with the location.

/// A screen of the app, in the order of the inquiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Screen {
    Data,
    Relationships,
    People,
    Lists,
    Report,
    Assessment,
    Peers,
    Month,
    Notifications,
    Evaluation,
    Outreach,
    Workspace,
}

/// The navigation's groups: a heading and its screens.
pub const GROUPS: [(&str, &[Screen]); 4] = [
    (
        "The inquiry",
        &[Screen::Data, Screen::Relationships, Screen::People, Screen::Lists],
    ),
    ("Share", &[Screen::Report, Screen::Assessment, Screen::Peers]),
    (
        "Run the programme",
        &[
            Screen::Month,
            Screen::Notifications,
            Screen::Evaluation,
            Screen::Outreach,
        ],
    ),
    ("Keep your work", &[Screen::Workspace]),
];

impl Screen {
    /// Every screen, in the navigation's order.
    pub const ALL: [Screen; 12] = [
        Screen::Data,
        Screen::Relationships,
        Screen::People,
        Screen::Lists,
        Screen::Report,
        Screen::Assessment,
        Screen::Peers,
        Screen::Month,
        Screen::Notifications,
        Screen::Evaluation,
        Screen::Outreach,
        Screen::Workspace,
    ];

    /// The address (without `#`).
    pub fn id(self) -> &'static str {
        match self {
            Screen::Data => "data",
            Screen::Relationships => "relationships",
            Screen::People => "people",
            Screen::Lists => "lists",
            Screen::Report => "report",
            Screen::Assessment => "assessment",
            Screen::Peers => "peers",
            Screen::Month => "month",
            Screen::Notifications => "notifications",
            Screen::Evaluation => "evaluation",
            Screen::Outreach => "outreach",
            Screen::Workspace => "workspace",
        }
    }

    /// The name in the navigation and the page title.
    pub fn label(self) -> &'static str {
        match self {
            Screen::Data => "Data and audit",
            Screen::Relationships => "Relationships",
            Screen::People => "People",
            Screen::Lists => "Lists and workload",
            Screen::Report => "Report",
            Screen::Assessment => "Site assessment",
            Screen::Peers => "Peer sites",
            Screen::Month => "This month",
            Screen::Notifications => "Notifications",
            Screen::Evaluation => "Evaluation",
            Screen::Outreach => "Victim outreach",
            Screen::Workspace => "Workspace",
        }
    }

    /// The question the screen answers, in the programme's terms (under its heading, and in the
    /// guided demonstration).
    pub fn question(self) -> &'static str {
        match self {
            Screen::Data => {
                "What did the files hold, and can they be trusted? Rows read, used and set aside, \
                 with every problem named, and the data-quality audit."
            }
            Screen::Relationships => {
                "Which incidents are intimate-partner violence, and which are other family \
                 violence? Every victim–offender pair with its class and how it was decided."
            }
            Screen::People => {
                "Who are the offenders across records and years? Each person's history, linked \
                 from every record, and the links to confirm or split."
            }
            Screen::Lists => {
                "Who goes on lists D, C, B and A, and can the partners carry the work? List \
                 sizes, the ranking's fairness, and the workload against capacity."
            }
            Screen::Report => {
                "What can be shared with the partnership? Counts with small cells suppressed, \
                 no names and no victim identifiers."
            }
            Screen::Assessment => "Is the site ready to run the intervention, indicator by indicator?",
            Screen::Peers => "How does this site compare with others that shared their metrics?",
            Screen::Month => {
                "What is on the partnership's agenda this month? Who is new on a list, who moved \
                 up and why, whose notification is due or overdue, and the lists at each past \
                 month end."
            }
            Screen::Notifications => {
                "Who was notified, when and how? The record the evaluation and the next lists \
                 start from."
            }
            Screen::Evaluation => "Did notified offenders re-offend less than those not yet notified?",
            Screen::Outreach => {
                "Which victims should advocates reach? For advocates only: never shown to \
                 offenders or in shared outputs."
            }
            Screen::Workspace => {
                "Save the analyst's work (decisions, notifications, settings) encrypted on this \
                 computer, and open it again."
            }
        }
    }

    /// The decision the screen supports, in the programme's terms (the guided demonstration).
    pub fn decision(self) -> &'static str {
        match self {
            Screen::Data => {
                "Whether the agency's records can carry the inquiry, and which fields the records \
                 unit must fix first."
            }
            Screen::Relationships => {
                "Which incidents count as intimate-partner violence for the programme, and which \
                 uncertain ones an analyst settles by hand."
            }
            Screen::People => {
                "Whom to message: one person per offender, not one per record, with every record \
                 that makes the history."
            }
            Screen::Lists => {
                "Who receives the D, C, B or A message, who gets special enforcement attention, \
                 and whether police, prosecutors and advocates have the capacity."
            }
            Screen::Report => "What the partnership and the public are told, without exposing anyone.",
            Screen::Assessment => "Whether to start, and what to put in place first.",
            Screen::Peers => "Where this site stands against others, on the same measures.",
            Screen::Month => {
                "Whom the detectives notify next, whose case goes to the prosecutors, and what \
                 the monthly meeting settles."
            }
            Screen::Notifications => {
                "Which offenders have had their message, so that the next month's work and the \
                 evaluation start from the truth."
            }
            Screen::Evaluation => "Whether to keep, change or stop the intervention.",
            Screen::Outreach => "Which victims advocates contact, separately from any offender message.",
            Screen::Workspace => "How the work is kept between sessions without leaving this computer.",
        }
    }

    /// The next step of the inquiry, if any.
    pub fn next(self) -> Option<Screen> {
        let at = Screen::ALL.iter().position(|s| *s == self)?;
        Screen::ALL.get(at + 1).copied().filter(|s| *s != Screen::Workspace)
    }
}

/// A location: a screen, and on the people screen the person page open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub screen: Screen,
    pub person: Option<String>,
}

impl Default for Route {
    fn default() -> Self {
        Route {
            screen: Screen::Data,
            person: None,
        }
    }
}

/// Percent-encode what a person id may hold that a location's fragment would change.
fn encode(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

impl Route {
    /// The route of a location's hash (with or without `#`). Unknown addresses, and old
    /// addresses of sections now inside a screen, go to the data screen.
    pub fn parse(hash: &str) -> Route {
        let h = hash.trim_start_matches('#');
        let (head, rest) = h.split_once('/').unwrap_or((h, ""));
        let screen = Screen::ALL.into_iter().find(|s| s.id() == head).unwrap_or(Screen::Data);
        let person = (screen == Screen::People && !rest.is_empty())
            .then(|| decode(rest))
            .flatten();
        Route { screen, person }
    }

    /// The hash for this route (with `#`).
    pub fn hash(&self) -> String {
        match &self.person {
            Some(p) if self.screen == Screen::People => format!("#people/{}", encode(p)),
            _ => format!("#{}", self.screen.id()),
        }
    }

    /// The page title: where the analyst is, then the product.
    pub fn title(&self) -> String {
        match &self.person {
            Some(p) if self.screen == Screen::People => format!("Person {p} — IPVI Analyzer"),
            _ => format!("{} — IPVI Analyzer", self.screen.label()),
        }
    }

    /// A person page's route.
    pub fn person(id: &str) -> Route {
        Route {
            screen: Screen::People,
            person: Some(id.to_string()),
        }
    }

    /// A screen's route.
    pub fn screen(screen: Screen) -> Route {
        Route { screen, person: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_screen_round_trips_through_its_address() {
        for s in Screen::ALL {
            let r = Route::screen(s);
            assert_eq!(Route::parse(&r.hash()), r, "{s:?}");
        }
        assert_eq!(Screen::ALL.len(), GROUPS.iter().map(|g| g.1.len()).sum::<usize>());
    }

    #[test]
    fn person_ids_with_any_character_round_trip() {
        for id in ["P000123", "a b/c#d%e", "Ünïcode–id", ""] {
            let r = Route::person(id);
            let back = Route::parse(&r.hash());
            if id.is_empty() {
                assert_eq!(back, Route::screen(Screen::People));
            } else {
                assert_eq!(back, r, "{id}");
                assert!(!r.hash()[1..].contains('#') && !r.hash().contains(' '));
            }
        }
    }

    #[test]
    fn unknown_or_empty_addresses_go_to_the_data_screen() {
        for h in ["", "#", "#nope", "#by-class-title", "#report-x"] {
            assert_eq!(Route::parse(h).screen, Screen::Data, "{h}");
        }
        assert_eq!(Route::parse("#people/%ZZ").person, None);
        assert_eq!(Route::parse("#report/P1").person, None);
    }

    #[test]
    fn titles_and_next_steps() {
        assert_eq!(
            Route::screen(Screen::Lists).title(),
            "Lists and workload — IPVI Analyzer"
        );
        assert_eq!(Route::person("P7").title(), "Person P7 — IPVI Analyzer");
        assert_eq!(Screen::Data.next(), Some(Screen::Relationships));
        assert_eq!(Screen::Outreach.next(), None);
    }
}
