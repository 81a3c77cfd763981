//! A table's "Columns" control: a disclosure button with a checkbox per column. The choice is
//! kept for the session (while the page is open, across screens); hidden columns are neither on
//! screen nor in print, and exports keep every column.

use crate::columns::{Column, ColumnChoice};
use std::cell::RefCell;
use std::collections::BTreeMap;
use yew::prelude::*;

thread_local! {
    /// The choices of the session, by table id: a table drawn again (another screen, a new
    /// result) shows the columns the analyst chose. Not data: the lock leaves it.
    static CHOICES: RefCell<BTreeMap<&'static str, ColumnChoice>> = const { RefCell::new(BTreeMap::new()) };
}

/// The table's column choice, kept for the session, and the callback that toggles a column.
#[hook]
pub fn use_column_choice(table: &'static str, columns: &'static [Column]) -> (ColumnChoice, Callback<&'static str>) {
    let choice = use_state(|| CHOICES.with(|c| c.borrow().get(table).cloned().unwrap_or_default()));
    let toggle = {
        let choice = choice.clone();
        Callback::from(move |id: &'static str| {
            let next = choice.toggled(id, columns);
            CHOICES.with(|c| c.borrow_mut().insert(table, next.clone()));
            choice.set(next);
        })
    };
    ((*choice).clone(), toggle)
}

/// Column chooser properties.
#[derive(Properties, PartialEq)]
pub struct ColumnChooserProps {
    /// The table's id: the button is `#<table>-columns-button`, the panel `#<table>-columns`.
    pub table: &'static str,
    pub columns: &'static [Column],
    pub choice: ColumnChoice,
    pub on_toggle: Callback<&'static str>,
}

/// `button#<table>-columns-button` (`aria-expanded`) opening `#<table>-columns`, a fieldset of
/// checkboxes (`input[data-column]`). Escape closes it and focus returns to the button.
#[function_component(ColumnChooser)]
pub fn column_chooser(props: &ColumnChooserProps) -> Html {
    let open = use_state(|| false);
    let button = use_node_ref();
    let panel_id = format!("{}-columns", props.table);
    let note_id = format!("{}-columns-note", props.table);
    let on_button = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let on_key = {
        let open = open.clone();
        let button = button.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && *open {
                e.prevent_default();
                e.stop_propagation();
                open.set(false);
                if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                }
            }
        })
    };
    let shown = props.choice.shown(props.columns);
    html! {
        <div class="column-chooser no-print" onkeydown={on_key}>
            <button type="button" class="secondary" id={format!("{}-columns-button", props.table)} ref={button}
                aria-expanded={open.to_string()} aria-controls={panel_id.clone()} aria-describedby={note_id.clone()}
                onclick={on_button}>
                { format!("Columns ({shown} of {} shown)", props.columns.len()) }
            </button>
            <span class="help column-note" id={note_id}>{ "Exports keep every column." }</span>
            <fieldset id={panel_id} class="column-panel" hidden={!*open}>
                <legend>{ "Columns shown in the table and its print" }</legend>
                { for props.columns.iter().map(|c| {
                    let id = c.id;
                    let on_toggle = props.on_toggle.clone();
                    let input_id = format!("{}-col-{}", props.table, c.id);
                    let shows = props.choice.shows(c.id);
                    html! {
                        <div class="column-option">
                            <input type="checkbox" id={input_id.clone()} data-column={c.id} checked={shows}
                                disabled={shows && !props.choice.can_hide(c.id, props.columns)}
                                onchange={Callback::from(move |_: Event| on_toggle.emit(id))} />
                            <label for={input_id}>{ c.label }</label>
                        </div>
                    }
                }) }
            </fieldset>
        </div>
    }
}
