//! The app's frame: the header that stays on every screen (what data is loaded and as of when,
//! that nothing leaves the device, decisions waiting to be applied, the lock), the navigation
//! between the steps of the inquiry, the skip link, and the route hook that keeps the screen in
//! step with the location (back and forward work), moves focus to the new screen's heading and
//! sets the page title.

use crate::route::{Route, Screen, GROUPS};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Focus an element by id, making it focusable by script if it is not (headings).
fn focus_id(id: &str) -> bool {
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match el {
        Some(el) => {
            if !el.has_attribute("tabindex") {
                let _ = el.set_attribute("tabindex", "-1");
            }
            el.focus().is_ok()
        }
        None => false,
    }
}

/// Focus the offender list's button that opens `person` (back from a person page).
fn focus_opener(person: &str) -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let Ok(buttons) = doc.query_selector_all("#offender-list button.open-person") else {
        return false;
    };
    for i in 0..buttons.length() {
        let b = buttons.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(b) = b {
            if b.text_content().as_deref() == Some(person) {
                return b.focus().is_ok();
            }
        }
    }
    false
}

/// The route, kept in step with the location's hash, and a callback to go somewhere (which
/// adds a history entry, so the back button returns). On every change after the first render
/// the page title follows and focus moves to the new screen's heading (`#screen-title`), the
/// person's heading (`#person-title`), or back to the button that opened the person.
#[hook]
pub fn use_route() -> (Route, Callback<Route>) {
    // The route and a count of location changes: following a link to the screen already shown
    // still moves focus to its heading.
    let route = use_state(|| (Route::parse(&location_hash()), 0u32));
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || {
                let seq = route.1.wrapping_add(1);
                route.set((Route::parse(&location_hash()), seq));
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
                }
            }
        });
    }
    let previous = use_mut_ref(|| None::<Route>);
    {
        let previous = previous.clone();
        use_effect_with((*route).clone(), move |(r, _)| {
            if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                doc.set_title(&r.title());
            }
            let before = previous.borrow_mut().replace(r.clone());
            if let Some(before) = before {
                match (&before.person, &r.person) {
                    (_, Some(_)) => {
                        let _ = focus_id("person-title") || focus_id("screen-title");
                    }
                    (Some(p), None) if r.screen == Screen::People => {
                        let _ = focus_opener(p) || focus_id("screen-title");
                    }
                    _ => {
                        if focus_id("screen-title") && before.screen != r.screen {
                            if let Some(content) = web_sys::window()
                                .and_then(|w| w.document())
                                .and_then(|d| d.get_element_by_id("content"))
                            {
                                content.set_scroll_top(0);
                            }
                        }
                    }
                }
            }
        });
    }
    let go = Callback::from(|r: Route| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash(&r.hash());
        }
    });
    (route.0.clone(), go)
}

/// Wide or long tables, and charts on a narrow screen (`.pair`, `.km`), scroll in their own box;
/// such a box must be reachable from the keyboard to be scrolled (a tab stop), and only such a
/// box, so that short tables add no stops. Called after every render of the app and when the
/// window is resized.
pub fn scrollable_tables_focusable() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(tables) = doc.query_selector_all("#content table, #content .pair, #content .km") else {
        return;
    };
    for i in 0..tables.length() {
        let Some(t) = tables.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else {
            continue;
        };
        let scrolls = t.scroll_width() > t.client_width() + 1 || t.scroll_height() > t.client_height() + 1;
        if scrolls && !t.has_attribute("tabindex") {
            let _ = t.set_attribute("tabindex", "0");
            let _ = t.set_attribute("data-scrolls", "true");
        } else if !scrolls && t.has_attribute("data-scrolls") {
            let _ = t.remove_attribute("tabindex");
            let _ = t.remove_attribute("data-scrolls");
        }
    }
}

/// Keeps [`scrollable_tables_focusable`] true after every render and on resize.
#[hook]
pub fn use_scrollable_tables() {
    use_effect(|| {
        scrollable_tables_focusable();
    });
    use_effect_with((), |_| {
        let listener = Closure::<dyn Fn()>::new(scrollable_tables_focusable);
        let window = web_sys::window();
        if let Some(w) = &window {
            let _ = w.add_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(w) = window {
                let _ = w.remove_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
            }
        }
    });
}

/// What the header says about the loaded data.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub source: String,
    pub as_of: String,
    /// Generated data: every output says so.
    pub synthetic: bool,
}

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub loaded: Option<Loaded>,
    /// The files of the last import, when no analysis of them is loaded (it is running, was
    /// cancelled or failed): the header names them rather than say nothing is loaded.
    #[prop_or_default]
    pub imported: Option<String>,
    pub locked: bool,
    /// Decisions made since the last run, and whether they can be applied now.
    #[prop_or_default]
    pub unapplied: u32,
    #[prop_or_default]
    pub can_rerun: bool,
    pub on_rerun: Callback<()>,
    pub on_lock: Callback<()>,
    /// A job is running (its progress is on the data screen): say so here too.
    #[prop_or_default]
    pub running: Option<String>,
    /// Start the guided tour (offered on the sample).
    #[prop_or_default]
    pub on_tour: Option<Callback<()>>,
}

/// The header on every screen.
#[function_component(AppHeader)]
pub fn app_header(p: &HeaderProps) -> Html {
    let lock = p.on_lock.reform(|_: MouseEvent| ());
    let rerun = p.on_rerun.reform(|_: MouseEvent| ());
    html! {
        <header class="app-header" id="app-header">
            <a class="skip-link" href="#content" onclick={Callback::from(|e: MouseEvent| {
                e.prevent_default();
                focus_id("content");
            })}>{ "Skip to the screen's content" }</a>
            <p class="brand">{ "IPVI Analyzer" }</p>
            <p class="loaded" id="loaded-data" aria-live="polite">
                { match &p.loaded {
                    Some(l) => html! { <>
                        <span class="loaded-source">{ format!("Loaded: {}", l.source) }</span>
                        <span class="loaded-asof">{ format!("as of {}", l.as_of) }</span>
                        if l.synthetic { <span class="badge synthetic" id="synthetic-badge">{ "Synthetic sample: not real people" }</span> }
                    </> },
                    None if p.locked => html! { <span>{ "Locked: nothing is loaded" }</span> },
                    None => match &p.imported {
                        Some(files) => html! { <>
                            <span class="loaded-source">{ format!("Imported: {files}") }</span>
                            if p.running.is_none() { <span class="loaded-asof">{ "not analysed yet" }</span> }
                        </> },
                        None => html! { <span>{ "No data loaded" }</span> },
                    },
                } }
                if let Some(r) = &p.running { <span class="badge running">{ format!("Working: {r}") }</span> }
            </p>
            <p class="badge device" id="device-only" title="Files are read in this browser; no file or result is sent anywhere.">
                { "Nothing leaves this device" }
            </p>
            if p.unapplied > 0 {
                <p class="pending header-pending" id="header-unapplied">
                    { format!("{} decision{} not applied", p.unapplied, if p.unapplied == 1 { "" } else { "s" }) }
                    if p.can_rerun {
                        <button type="button" id="header-rerun" class="secondary" onclick={rerun}>{ "Apply and analyse again" }</button>
                    }
                </p>
            }
            if let Some(cb) = p.on_tour.clone() {
                <button type="button" id="tour-start" class="secondary" onclick={cb.reform(|_: MouseEvent| ())}>{ "Guided tour" }</button>
            }
            if !p.locked {
                <button type="button" id="lock-now" class="secondary lock-button" onclick={lock}
                    title="Clear every result and loaded file from this page now">{ "Lock" }</button>
            }
        </header>
    }
}

#[derive(Properties, PartialEq)]
pub struct NavProps {
    pub route: Route,
    /// Screens drawn from loaded data are marked when nothing is loaded.
    pub has_data: bool,
    /// Whether people can be identified across incidents (people, lists and outreach need it).
    pub identifiable: bool,
}

/// The navigation between screens: links (so that they open in the same tab, work with the
/// keyboard and leave history entries), the current one marked with `aria-current`.
#[function_component(SideNav)]
pub fn side_nav(p: &NavProps) -> Html {
    let needs_people = |s: Screen| matches!(s, Screen::People | Screen::Lists | Screen::Month | Screen::Outreach);
    html! {
        <nav class="side-nav" id="side-nav" aria-label="Screens">
            { for GROUPS.iter().map(|(heading, screens)| html! {
                <div class="nav-group">
                    <p class="nav-heading">{ *heading }</p>
                    <ul>
                        { for screens.iter().map(|s| {
                            let current = p.route.screen == *s;
                            let note = if !p.has_data && *s != Screen::Workspace && *s != Screen::Data
                                && *s != Screen::Notifications && *s != Screen::Assessment && *s != Screen::Peers {
                                Some("needs data")
                            } else if p.has_data && !p.identifiable && needs_people(*s) {
                                Some("needs people")
                            } else { None };
                            html! {
                                <li><a href={format!("#{}", s.id())} id={format!("nav-{}", s.id())}
                                    class={classes!(note.is_some().then_some("dim"))}
                                    aria-current={current.then_some("page")}>
                                    { s.label() }
                                    if let Some(n) = note { <span class="visually-hidden">{ format!(" ({n})") }</span> }
                                </a></li>
                            }
                        }) }
                    </ul>
                </div>
            }) }
        </nav>
    }
}

#[derive(Properties, PartialEq)]
pub struct ScreenFrameProps {
    pub screen: Screen,
    #[prop_or_default]
    pub children: Children,
    /// Progress, status and alerts, shown under the heading on every screen.
    #[prop_or_default]
    pub notices: Html,
}

/// One screen: its heading (focused when the screen opens), the question it answers, its
/// content, and a link to the next step.
#[function_component(ScreenFrame)]
pub fn screen_frame(p: &ScreenFrameProps) -> Html {
    let s = p.screen;
    html! {
        <div class="screen-frame" id={format!("screen-{}", s.id())} data-screen={s.id()}>
            <h1 id="screen-title" tabindex="-1">{ s.label() }</h1>
            <p class="screen-question">{ s.question() }</p>
            { p.notices.clone() }
            { p.children.clone() }
            if let Some(next) = s.next() {
                <p class="next-step"><a href={format!("#{}", next.id())} id="next-step">
                    { format!("Next: {} →", next.label()) }</a></p>
            }
        </div>
    }
}
