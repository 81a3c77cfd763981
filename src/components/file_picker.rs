//! Choosing the extract: a file input (several CSV files), a folder input, and a drop zone that
//! takes files or a whole folder and, being a button, also opens the file picker.

use crate::files;
use web_sys::{DragEvent, File, FileSystemEntry, HtmlInputElement};
use yew::prelude::*;

/// What the analyst chose.
pub enum Picked {
    /// Files from an input or a drop without entries.
    Files(Vec<File>),
    /// Dropped entries (files and folders) still to walk, plus plain files.
    Entries(Vec<FileSystemEntry>, Vec<File>),
}

/// File picker properties.
#[derive(Properties, PartialEq)]
pub struct FilePickerProps {
    /// A job is running: choosing is disabled until it ends or is cancelled.
    pub busy: bool,
    pub on_pick: Callback<Picked>,
}

fn input_handler(on_pick: Callback<Picked>) -> Callback<Event> {
    Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let picked = input.files().map(|l| files::from_file_list(&l)).unwrap_or_default();
        // Clear it so that choosing the same files again is noticed.
        input.set_value("");
        on_pick.emit(Picked::Files(picked));
    })
}

/// `input#file-input`, `input#folder-input` and `#drop-zone`.
#[function_component(FilePicker)]
pub fn file_picker(props: &FilePickerProps) -> Html {
    let file_input = use_node_ref();
    let dragging = use_state(|| false);

    let open_picker = {
        let file_input = file_input.clone();
        let busy = props.busy;
        Callback::from(move |_: MouseEvent| {
            if busy {
                return;
            }
            if let Some(input) = file_input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // Without this the browser opens the dropped file instead.
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_drop = {
        let dragging = dragging.clone();
        let on_pick = props.on_pick.clone();
        let busy = props.busy;
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if busy {
                return;
            }
            if let Some(dt) = e.data_transfer() {
                let (entries, plain) = files::from_drop(&dt);
                if entries.is_empty() {
                    on_pick.emit(Picked::Files(plain));
                } else {
                    on_pick.emit(Picked::Entries(entries, plain));
                }
            }
        })
    };

    html! {
        <div class="file-picker">
            // Not `disabled` while busy: a disabled button gets no drop event, and the browser would
            // open the dropped file in place of the page.
            <button type="button" id="drop-zone"
                class={classes!("drop-zone", dragging.then_some("dragging"))}
                aria-disabled={if props.busy { "true" } else { "false" }}
                aria-describedby="drop-help"
                onclick={open_picker}
                ondragenter={on_drag_over.clone()}
                ondragover={on_drag_over}
                ondragleave={on_drag_leave}
                ondrop={on_drop}>
                <span class="drop-title">{ "Drop the extract's CSV files or its folder here" }</span>
                <span class="drop-sub">{ "or press to choose files" }</span>
            </button>
            <p id="drop-help" class="help">
                { "The FBI Crime Data Explorer NIBRS extract: NIBRS_incident.csv, NIBRS_OFFENSE.csv, \
                   NIBRS_VICTIM.csv, NIBRS_OFFENDER.csv, NIBRS_VICTIM_OFFENDER_REL.csv and the others. \
                   Or any agency's export (CSV in UTF-8, UTF-16 or Windows-1252, or XLSX): its columns are \
                   mapped once and the mapping is kept as a profile. \
                   The files are read in this browser and never leave this computer." }
            </p>
            <div class="inputs">
                <div class="field">
                    <label for="file-input">{ "CSV or XLSX files" }</label>
                    <input id="file-input" ref={file_input} type="file" multiple=true accept=".csv,.tsv,.xlsx,.xls,.ods,text/csv"
                        disabled={props.busy} onchange={input_handler(props.on_pick.clone())} />
                </div>
                <div class="field">
                    <label for="folder-input">{ "Or a whole folder" }</label>
                    <input id="folder-input" type="file" multiple=true webkitdirectory=true
                        disabled={props.busy} onchange={input_handler(props.on_pick.clone())} />
                </div>
            </div>
        </div>
    }
}
