//! The import profiles: the analyst's saved ones (load one saved as JSON, download, remove, edit
//! the local code tables of each) and the built-in ones (the FBI extract layouts, the synthetic
//! export: view, download, copy to an editable saved profile). Saved profiles are kept in this
//! browser's storage (`profile_store`) and in the workspace, and are tried, newest first, on the
//! next load, before the built-in ones: an export whose columns match one is imported without
//! the mapping screen.

use super::code_tables_editor::CodeTablesEditor;
use crate::import_state::apply_code_edit;
use crate::workstate::WorkAction;
use ipvi_core::import::Profile;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Profiles panel properties.
#[derive(Properties, PartialEq)]
pub struct ProfilesPanelProps {
    pub profiles: Vec<Profile>,
    pub on_work: Callback<WorkAction>,
    pub on_error: Callback<String>,
}

async fn load(file: web_sys::File, on_work: Callback<WorkAction>, on_error: Callback<String>) {
    let name = file.name();
    let buf = match crate::files::read(&file).await {
        Ok(b) => b,
        Err(e) => return on_error.emit(e),
    };
    let bytes = js_sys::Uint8Array::new(&buf).to_vec();
    let Ok(text) = String::from_utf8(bytes) else {
        return on_error.emit(format!(
            "{name} is not a profile (not UTF-8 text): load a profile downloaded from the analyzer"
        ));
    };
    match Profile::from_json(&text) {
        Ok(p) => on_work.emit(WorkAction::SaveProfile(Box::new(p))),
        Err(e) => on_error.emit(format!("{name}: {e}")),
    }
}

/// A profile's file name for downloads.
fn file_name(p: &Profile) -> String {
    format!(
        "ipvi-profile-{}.json",
        p.name
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect::<String>()
    )
}

/// `section#profiles`: `#profiles-where` (where they are kept), `input#profile-input`,
/// `ul#profile-list` with `li[data-profile]`, each with a download, a remove and an
/// edit-code-tables button, and `ul#builtin-profiles` with `li[data-builtin]`, each with a view,
/// a download and a copy button.
#[function_component(ProfilesPanel)]
pub fn profiles_panel(props: &ProfilesPanelProps) -> Html {
    let editing = use_state(|| None::<usize>);
    let viewing = use_state(|| None::<usize>);
    let builtins = use_memo((), |_| Profile::builtins());
    let on_input = {
        let on_work = props.on_work.clone();
        let on_error = props.on_error.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let files = input
                .files()
                .map(|l| crate::files::from_file_list(&l))
                .unwrap_or_default();
            input.set_value("");
            for f in files {
                spawn_local(load(f, on_work.clone(), on_error.clone()));
            }
        })
    };
    html! {
        <section class="panel profiles" id="profiles" aria-labelledby="profiles-title">
            <h2 id="profiles-title">{ "Import profiles" }</h2>
            <p class="help">{ "A profile says which column of an agency's export holds what, and holds the agency's own \
                code tables. It holds no personal data. An export whose columns match a profile is imported without \
                questions." }</p>
            <p id="profiles-where" class="help">{ crate::profile_store::WHERE }</p>
            <div class="field">
                <label for="profile-input">{ "Load a profile (JSON)" }</label>
                <input id="profile-input" type="file" accept=".json,application/json" onchange={on_input} />
            </div>
            <h3 id="saved-profiles-title">{ "Saved profiles" }</h3>
            if props.profiles.is_empty() {
                <p id="profile-list-empty" class="help">{ "No saved profile yet: the built-in ones below read the NIBRS extract and the synthetic export." }</p>
            } else {
                <ul id="profile-list">
                    { for props.profiles.iter().enumerate().map(|(i, p)| {
                        let download = {
                            let p = p.clone();
                            let on_error = props.on_error.clone();
                            Callback::from(move |_: MouseEvent| {
                                if let Err(e) = crate::download::download_text(&file_name(&p), "application/json", &p.to_json()) {
                                    on_error.emit(e);
                                }
                            })
                        };
                        let remove = props.on_work.reform(move |_: MouseEvent| WorkAction::RemoveProfile(i));
                        let is_open = *editing == Some(i);
                        let toggle = {
                            let editing = editing.clone();
                            Callback::from(move |_: MouseEvent| editing.set(if is_open { None } else { Some(i) }))
                        };
                        let on_edit = {
                            let p = p.clone();
                            props.on_work.reform(move |e| {
                                let mut p = p.clone();
                                let (mut o, mut r) = (p.offense_codes.clone(), p.relationship_codes.clone());
                                apply_code_edit(&mut o, &mut r, e);
                                p.offense_codes = o;
                                p.relationship_codes = r;
                                WorkAction::SetProfile(i, Box::new(p))
                            })
                        };
                        html! {
                            <li data-profile={p.name.clone()}>
                                <span class="profile-name">{ &p.name }</span>
                                { format!(" — {} table(s), {} offence and {} relationship local codes ",
                                    p.tables.len(), p.offense_codes.codes.len(), p.relationship_codes.len()) }
                                <button type="button" class="secondary download-profile" onclick={download}>{ "Download" }</button>
                                <button type="button" class="secondary" aria-expanded={is_open.to_string()} onclick={toggle}>{ "Code tables" }</button>
                                <button type="button" class="secondary" aria-label={format!("Remove the profile {}", p.name)} onclick={remove}>{ "Remove" }</button>
                                if is_open {
                                    <CodeTablesEditor id_prefix={format!("profile-{i}")} offense={p.offense_codes.codes.clone()}
                                        relationship={p.relationship_codes.clone()} on_edit={on_edit} />
                                }
                            </li>
                        }
                    }) }
                </ul>
            }
            <h3 id="builtin-profiles-title">{ "Built-in profiles" }</h3>
            <ul id="builtin-profiles" aria-labelledby="builtin-profiles-title">
                { for builtins.iter().enumerate().map(|(i, p)| {
                    let download = {
                        let p = p.clone();
                        let on_error = props.on_error.clone();
                        Callback::from(move |_: MouseEvent| {
                            if let Err(e) = crate::download::download_text(&file_name(&p), "application/json", &p.to_json()) {
                                on_error.emit(e);
                            }
                        })
                    };
                    let copy = {
                        let p = p.clone();
                        let taken: Vec<String> = props.profiles.iter().map(|x| x.name.clone()).collect();
                        props.on_work.reform(move |_: MouseEvent| {
                            let mut copy = p.clone();
                            copy.name = copy_name(&p.name, &taken);
                            WorkAction::SaveProfile(Box::new(copy))
                        })
                    };
                    let is_open = *viewing == Some(i);
                    let toggle = {
                        let viewing = viewing.clone();
                        Callback::from(move |_: MouseEvent| viewing.set(if is_open { None } else { Some(i) }))
                    };
                    html! {
                        <li data-builtin={p.name.clone()}>
                            <span class="profile-name">{ &p.name }</span>
                            { format!(" — built in, {} table(s). {} ", p.tables.len(), p.description) }
                            <button type="button" class="secondary view-profile" aria-expanded={is_open.to_string()} onclick={toggle}>{ "View" }</button>
                            <button type="button" class="secondary download-profile" onclick={download}>{ "Download" }</button>
                            <button type="button" class="secondary copy-profile" aria-label={format!("Copy to a saved profile: {} (editable)", p.name)} onclick={copy}>
                                { "Copy to a saved profile" }
                            </button>
                            if is_open {
                                <pre class="profile-json" tabindex="0" aria-label={format!("The profile {} as JSON", p.name)}>{ p.to_json() }</pre>
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// The name of a copy of the built-in profile `name`: "… (copy)", numbered when taken.
pub fn copy_name(name: &str, taken: &[String]) -> String {
    let first = format!("{name} (copy)");
    if !taken.contains(&first) {
        return first;
    }
    (2..)
        .map(|k| format!("{name} (copy {k})"))
        .find(|n| !taken.contains(n))
        .unwrap_or(first)
}

#[cfg(test)]
mod tests {
    #[test]
    fn copies_of_a_built_in_profile_get_free_names() {
        let taken = vec!["NIBRS (copy)".to_string(), "NIBRS (copy 2)".to_string()];
        assert_eq!(super::copy_name("NIBRS", &[]), "NIBRS (copy)");
        assert_eq!(super::copy_name("NIBRS", &taken), "NIBRS (copy 3)");
    }
}
