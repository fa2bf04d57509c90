//! Controls drawn with an icon before their words, and named by the words alone.

/// The text drawn on such a control: the icon, a space, the words.
pub fn icon_label(icon: &str, words: &str) -> String {
    format!("{icon} {words}")
}

/// Names the control behind `response` by `words` alone, for screen readers and for tests:
/// its drawn text starts with an icon, which a screen reader reads out as a word of its own
/// ("incoming envelope, Batch"), where a person says "Batch".
pub fn named_by_words(response: egui::Response, words: &str) -> egui::Response {
    response
        .ctx
        .accesskit_node_builder(response.id, |node| node.set_label(words));
    response
}
