//! Filling `{slot}` templates with a ticket's details.

/// The details a ticket's texts may mention.
pub(crate) struct Slots<'a> {
    pub order: u32,
    pub invoice: u32,
    pub tracking: u64,
    pub product: &'a str,
    pub first: &'a str,
    pub agent: &'a str,
}

/// `template` with each known `{slot}` replaced; unknown braces are kept as written.
pub(crate) fn fill(template: &str, slots: &Slots<'_>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let Some(close) = after.find('}') else {
            out.push_str(after);
            return out;
        };
        match &after[1..close] {
            "order" => out.push_str(&slots.order.to_string()),
            "invoice" => out.push_str(&format!("INV-{:05}", slots.invoice)),
            "tracking" => out.push_str(&format!("LH{:010}GB", slots.tracking)),
            "product" => out.push_str(slots.product),
            "first" => out.push_str(slots.first),
            "agent" => out.push_str(slots.agent),
            _ => out.push_str(&after[..=close]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// What a reply calls the customer: the given name, or the whole name when it is written family-first (CJK).
pub(crate) fn greeting_name(full: &str) -> &str {
    let cjk = full.chars().any(|c| ('\u{2E80}'..='\u{D7FF}').contains(&c));
    match full.split_whitespace().next() {
        Some(first) if !cjk => first,
        _ => full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots() -> Slots<'static> {
        Slots { order: 48213, invoice: 12, tracking: 7, product: "mug", first: "Carla", agent: "Ana" }
    }

    #[test]
    fn slots_are_filled_and_unknown_braces_kept() {
        let text = fill("Hi {first}, order {order}, {invoice}, {tracking} {x} {", &slots());
        assert_eq!(text, "Hi Carla, order 48213, INV-00012, LH0000000007GB {x} {");
    }

    #[test]
    fn cjk_names_are_greeted_whole() {
        assert_eq!(greeting_name("Carla Núñez"), "Carla");
        assert_eq!(greeting_name("田中 花子"), "田中 花子");
    }
}
