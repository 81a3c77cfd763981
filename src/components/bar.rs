//! A horizontal bar drawn as SVG (no inline styles: the page's Content-Security-Policy forbids
//! them), for the small tables. Decorative: the number beside it is the data.

use yew::prelude::*;

/// Bar properties.
#[derive(Properties, PartialEq)]
pub struct BarProps {
    pub value: u64,
    pub max: u64,
}

/// A bar `value / max` of 120 pixels wide.
#[function_component(Bar)]
pub fn bar(props: &BarProps) -> Html {
    const WIDTH: f64 = 120.0;
    let w = if props.max == 0 {
        0.0
    } else {
        WIDTH * props.value as f64 / props.max as f64
    };
    html! {
        <svg class="bar" width="120" height="12" viewBox="0 0 120 12" aria-hidden="true" focusable="false">
            <rect class="bar-track" x="0" y="0" width="120" height="12" />
            <rect class="bar-fill" x="0" y="0" width={format!("{w:.1}")} height="12" />
        </svg>
    }
}
