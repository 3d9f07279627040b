//! The search language on PostgreSQL: the same words, "phrases" and prefix* as FTS5's, as a
//! `tsquery` over the `frontdesk` text search configuration (words split at anything that is
//! not a letter or digit, folded to lower case without accents, as FTS5's unicode61 does).

use crate::domain::search::Term;

/// The `to_tsquery('frontdesk', …)` text for `terms`, every term required: a word or phrase is its
/// words in a row (`<->`), a prefix the same with the last word's `:*`. `None` when no term has a
/// letter or digit (FTS5 finds nothing for those either).
pub fn tsquery(terms: &[Term]) -> Option<String> {
    let parts: Vec<String> = terms
        .iter()
        .filter_map(|term| {
            let (text, prefix) = match term {
                Term::Word(w) | Term::Phrase(w) => (w, false),
                Term::Prefix(p) => (p, true),
            };
            let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            let last = words.len().checked_sub(1)?;
            let quoted: Vec<String> = words
                .iter()
                .enumerate()
                .map(|(i, w)| match prefix && i == last {
                    true => format!("'{w}':*"),
                    false => format!("'{w}'"),
                })
                .collect();
            Some(match quoted.len() {
                1 => quoted.into_iter().next().unwrap_or_default(),
                _ => format!("({})", quoted.join(" <-> ")),
            })
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" & "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_prefixes() {
        let terms = [Term::Word("refund".into()), Term::Phrase("order 48213".into()), Term::Prefix("parc".into())];
        assert_eq!(tsquery(&terms).as_deref(), Some("'refund' & ('order' <-> '48213') & 'parc':*"));
        let terms = [Term::Word("carla@shop.example".into()), Term::Prefix("núñ".into())];
        assert_eq!(tsquery(&terms).as_deref(), Some("('carla' <-> 'shop' <-> 'example') & 'núñ':*"));
        assert_eq!(tsquery(&[Term::Word("x'y & !z".into())]).as_deref(), Some("('x' <-> 'y' <-> 'z')"));
        assert_eq!(tsquery(&[Term::Word("--".into())]), None);
    }
}
