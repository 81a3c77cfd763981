//! The guided demonstration for technical-assistance staff: on the sample, a short tour of the
//! inquiry, one screen per step, saying what the screen answers and which decision it supports;
//! skippable at any step, driven by buttons (so the keyboard works), and printable as a one-page
//! handout (`#tour-handout`, shown only when printing it).

use crate::route::{Route, Screen};
use yew::prelude::*;

/// The tour's steps: every screen but the workspace, in the navigation's order.
pub fn steps() -> Vec<Screen> {
    Screen::ALL.into_iter().filter(|s| *s != Screen::Workspace).collect()
}

#[derive(Properties, PartialEq)]
pub struct TourProps {
    /// The step shown (an index into [`steps`]).
    pub step: usize,
    /// Go to another step, or end the tour (`None`).
    pub on_step: Callback<Option<usize>>,
}

/// Print only the handout: the body gets a class the print styles read, for the time of the
/// print dialog.
fn print_handout() {
    let Some(window) = web_sys::window() else { return };
    let body = window.document().and_then(|d| d.body());
    if let Some(b) = &body {
        let _ = b.class_list().add_1("print-handout");
    }
    let _ = window.print();
    if let Some(b) = &body {
        let _ = b.class_list().remove_1("print-handout");
    }
}

/// `#tour`: the current step with Back, Next and End, and the button that prints the handout.
#[function_component(Tour)]
pub fn tour(p: &TourProps) -> Html {
    let steps = steps();
    let n = steps.len();
    let step = p.step.min(n.saturating_sub(1));
    let Some(screen) = steps.get(step).copied() else {
        return html! {};
    };
    let to = |i: Option<usize>| p.on_step.reform(move |_: MouseEvent| i);
    let on_key = {
        let on_step = p.on_step.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_step.emit(None);
            }
        })
    };
    let print = Callback::from(|_: MouseEvent| print_handout());
    html! {
        <section class="tour" id="tour" aria-labelledby="tour-title" onkeydown={on_key}>
            <h2 id="tour-title">{ format!("Guided tour, step {} of {n}: {}", step + 1, screen.label()) }</h2>
            <p><strong>{ "This screen answers: " }</strong>{ screen.question() }</p>
            <p id="tour-decision"><strong>{ "The decision it supports: " }</strong>{ screen.decision() }</p>
            <div class="tour-buttons">
                <button type="button" id="tour-back" class="secondary" disabled={step == 0} onclick={to(step.checked_sub(1))}>{ "Back" }</button>
                if step + 1 < n {
                    <button type="button" id="tour-next" onclick={to(Some(step + 1))}>{ "Next" }</button>
                } else {
                    <button type="button" id="tour-finish" onclick={to(None)}>{ "Finish the tour" }</button>
                }
                <button type="button" id="tour-end" class="secondary" onclick={to(None)}>{ "End the tour" }</button>
                <button type="button" id="tour-print" class="secondary" onclick={print}>{ "Print the tour as a handout" }</button>
            </div>
        </section>
    }
}

/// The route of a tour step.
pub fn route_of(step: usize) -> Route {
    Route::screen(steps().get(step).copied().unwrap_or(Screen::Data))
}

/// `#tour-handout`: every step on one page, shown only when printing it (a direct child of the
/// app's frame, so that the print styles can hide everything else).
#[function_component(TourHandout)]
pub fn tour_handout() -> Html {
    html! {
        <section class="handout" id="tour-handout" aria-hidden="true">
            <h1>{ "IPVI Analyzer: the inquiry, screen by screen" }</h1>
            <p>{ "Shown on the built-in sample, a synthetic jurisdiction: no real people. Everything \
                  runs in the browser; no file or result leaves the computer." }</p>
            <ol>
                { for steps().iter().map(|s| html! {
                    <li><strong>{ s.label() }</strong>{ ". " }{ s.question() }{ " Decision: " }{ s.decision() }</li>
                }) }
            </ol>
        </section>
    }
}
