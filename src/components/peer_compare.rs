//! Peer learning: load other sites' metrics files (`ipvi-site-metrics.json`, aggregate counts
//! only) and compare the key figures side by side with this site's. A file that is not a metrics
//! file, or that a newer analyzer made, is refused with the reason; the others still load.

use crate::files;
use crate::inquiry::InquiryView;
use crate::state::Shared;
use crate::workstate::{key_metrics, Work, WorkAction};
use ipvi_core::report::metrics::SiteMetrics;
use ipvi_core::report::suppress::THRESHOLD;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PeerCompareProps {
    /// The inquiry of the loaded data (this site's metrics), if any.
    pub inquiry: Option<Shared<InquiryView>>,
    pub work: Work,
    pub on_work: Callback<WorkAction>,
}

/// The peer comparison screen.
#[function_component(PeerCompare)]
pub fn peer_compare(p: &PeerCompareProps) -> Html {
    let errors = use_state(Vec::<String>::new);
    let on_input = {
        let errors = errors.clone();
        let on_work = p.on_work.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(list) = input.files() else { return };
            let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
            input.set_value("");
            let errors = errors.clone();
            let on_work = on_work.clone();
            spawn_local(async move {
                let mut loaded = Vec::new();
                let mut problems = Vec::new();
                for f in chosen {
                    let name = f.name();
                    match files::read(&f).await {
                        Ok(buf) => {
                            let bytes = js_sys::Uint8Array::new(&buf).to_vec();
                            let text = String::from_utf8_lossy(&bytes);
                            match SiteMetrics::from_json(&name, &text) {
                                Ok(m) => loaded.push(m),
                                Err(e) => problems.push(e.to_string()),
                            }
                        }
                        Err(e) => problems.push(e),
                    }
                }
                errors.set(problems);
                if !loaded.is_empty() {
                    on_work.emit(WorkAction::AddPeers(loaded));
                }
            });
        })
    };
    let mut sites: Vec<(String, SiteMetrics)> = Vec::new();
    if let Some(mut m) = p.inquiry.as_ref().and_then(|v| v.metrics.clone()) {
        m.site = p.work.site.clone();
        sites.push((format!("{} (this site)", p.work.site), m.shareable(THRESHOLD)));
    }
    for m in &p.work.peers {
        sites.push((m.site.clone(), m.clone()));
    }
    let table: Vec<(String, Vec<(&'static str, String)>)> =
        sites.iter().map(|(n, m)| (n.clone(), key_metrics(m))).collect();
    let labels: Vec<&'static str> = table
        .first()
        .map(|t| t.1.iter().map(|x| x.0).collect())
        .unwrap_or_default();
    html! {
        <section class="panel screen" id="peers" aria-labelledby="screen-title">
            <p>{ "Load other sites' metrics files (ipvi-site-metrics.json, exported from the report screen). \
                  They hold aggregate counts only." }</p>
            <label for="peer-input">{ "Metrics files " }</label>
            <input id="peer-input" type="file" accept=".json,application/json" multiple=true onchange={on_input} />
            if !errors.is_empty() {
                <ul id="peer-errors" class="alerts" role="alert">
                    { for errors.iter().map(|e| html! { <li>{ e }</li> }) }
                </ul>
            }
            if table.is_empty() {
                <p class="empty">{ "Nothing to compare yet: load data or metrics files." }</p>
            } else {
                <div class="table-scroll">
                    <table id="peer-table">
                        <caption>{ "Key metrics by site (shareable figures)" }</caption>
                        <thead><tr><th scope="col">{ "Metric" }</th>
                            { for table.iter().map(|(n, _)| html! { <th scope="col">{ n }</th> }) }</tr></thead>
                        <tbody>
                            { for labels.iter().enumerate().map(|(i, label)| html! {
                                <tr><th scope="row">{ *label }</th>
                                    { for table.iter().map(|(_, vals)| html! { <td>{ vals[i].1.clone() }</td> }) }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                if !p.work.peers.is_empty() {
                    <ul class="peer-list">
                        { for p.work.peers.iter().enumerate().map(|(i, m)| {
                            let on_remove = p.on_work.reform(move |_: MouseEvent| WorkAction::RemovePeer(i));
                            html! { <li>{ format!("{} ", m.site) }
                                <button type="button" class="secondary" onclick={on_remove}
                                    aria-label={format!("Remove {}", m.site)}>{ "Remove" }</button></li> }
                        }) }
                    </ul>
                }
            }
        </section>
    }
}
