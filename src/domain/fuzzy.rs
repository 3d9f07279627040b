//! The queue filter's matcher: fast enough to rank 100,000 tickets on every keystroke.
//!
//! Text is folded once (lowercase, accents removed, so `nunez` finds `Núñez`). A query is split into
//! words that must all match, each as a subsequence. Each word is found with `memchr` (a forward pass
//! to the end of the first match, a backward pass to its tightest start) and scored by how tight the
//! match is, whether it starts a word, and whether it is one contiguous run. Work per ticket is
//! linear in its text; a ticket that cannot match is turned down after a few `memchr` calls.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lowercase `text` and strip its accents.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out, |_| {});
    out
}

/// Fold `text` onto `out`, calling `each` with the index of the original character for every
/// byte written.
fn fold_into(text: &str, out: &mut String, mut each: impl FnMut(usize)) {
    for (i, c) in text.chars().enumerate() {
        let before = out.len();
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            for d in c.nfd().filter(|d| !is_combining_mark(*d)) {
                out.extend(d.to_lowercase());
            }
        }
        for _ in before..out.len() {
            each(i);
        }
    }
}

/// A query, folded and split into words.
#[derive(Debug, Clone)]
pub struct Query {
    pub text: String,
    words: Vec<Vec<u8>>,
    /// A substring searcher per word, built once rather than per ticket.
    finders: Vec<memchr::memmem::Finder<'static>>,
}

impl PartialEq for Query {
    fn eq(&self, other: &Query) -> bool {
        self.text == other.text
    }
}

impl Eq for Query {}

impl Query {
    pub fn new(text: &str) -> Query {
        let words: Vec<Vec<u8>> = fold(text).split_whitespace().map(|w| w.as_bytes().to_vec()).collect();
        let finders = words.iter().map(|w| memchr::memmem::Finder::new(w).into_owned()).collect();
        Query { text: text.to_string(), words, finders }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    /// Every text this query matches is also matched by `self`: `refund` narrows `ref`, so
    /// `refund` only needs to look at what `ref` matched.
    pub fn narrows(&self, earlier: &Query) -> bool {
        !earlier.is_empty()
            && earlier.words.len() <= self.words.len()
            && earlier.words.iter().zip(&self.words).all(|(a, b)| is_subsequence(a, b))
    }

    /// What a trigram index can look for: of each word, its longest run of ASCII characters, when
    /// that run has three or more. A ticket whose words all match as written (not scattered)
    /// holds every one of them; the index folds case and accents the way [`fold`] does for those.
    pub fn index_needles(&self) -> Vec<String> {
        let mut needles = Vec::new();
        for word in &self.words {
            let longest = word.split(|b| !b.is_ascii()).max_by_key(|run| run.len()).unwrap_or_default();
            if longest.len() >= 3 {
                needles.push(String::from_utf8_lossy(longest).into_owned());
            }
        }
        needles
    }

    /// A score when every word matches `haystack` (folded text), higher is better.
    pub fn score(&self, haystack: &[u8]) -> Option<u32> {
        let mut total = 0;
        for (word, finder) in self.words.iter().zip(&self.finders) {
            total += score_word(word, finder, haystack)?.0;
        }
        Some(total)
    }

    /// Which characters of `text` (by index) the query's words match, for highlighting.
    pub fn positions(&self, text: &str) -> Vec<usize> {
        let mut folded = String::new();
        let mut origin = Vec::new();
        fold_into(text, &mut folded, |i| origin.push(i));
        let hay = folded.as_bytes();
        let mut out = Vec::new();
        for (word, finder) in self.words.iter().zip(&self.finders) {
            if let Some((_, start, end)) = score_word(word, finder, hay) {
                let mut at = start;
                for &b in word {
                    if let Some(found) = memchr::memchr(b, &hay[at..end]) {
                        out.push(origin[at + found]);
                        at += found + 1;
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut at = 0;
    for &b in needle {
        match memchr::memchr(b, &hay[at..]) {
            Some(i) => at += i + 1,
            None => return false,
        }
    }
    true
}

fn at_word_start(hay: &[u8], i: usize) -> bool {
    i == 0 || !hay[i - 1].is_ascii_alphanumeric() && hay[i - 1] < 0x80
}

/// Occurrences after the first looked at for one that starts a word.
const WORD_START_TRIES: usize = 2;

/// Score one word against `hay`: (score, start, end) of the best match found.
fn score_word(word: &[u8], finder: &memchr::memmem::Finder, hay: &[u8]) -> Option<(u32, usize, usize)> {
    let n = word.len() as u32;
    // A contiguous occurrence beats any scattered one; one at a word start beats the others.
    if let Some(first) = finder.find(hay) {
        let mut best = first;
        if !at_word_start(hay, first) {
            let mut from = first + 1;
            for _ in 0..WORD_START_TRIES {
                let Some(i) = finder.find(&hay[from..]) else { break };
                if at_word_start(hay, from + i) {
                    best = from + i;
                    break;
                }
                from += i + 1;
            }
        }
        let start_bonus = if at_word_start(hay, best) { 24 } else { 0 };
        let early = 8u32.saturating_sub((best / 8) as u32);
        return Some((n * 24 + start_bonus + early, best, best + word.len()));
    }
    // Forward: where the first match ends.
    let mut at = 0;
    for &b in word {
        at += memchr::memchr(b, &hay[at..])? + 1;
    }
    let end = at;
    // Backward from there: the tightest start.
    let mut start = end;
    for &b in word.iter().rev() {
        start = memchr::memrchr(b, &hay[..start])?;
    }
    let window = (end - start) as u32;
    let gaps = window - n;
    let start_bonus = if at_word_start(hay, start) { 16 } else { 0 };
    Some(((n * 16 + start_bonus).saturating_sub(gaps.min(n * 12)), start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(query: &str, text: &str) -> Option<u32> {
        Query::new(query).score(fold(text).as_bytes())
    }

    #[test]
    fn folding_lowercases_and_drops_accents() {
        assert_eq!(fold("Carla NÚÑEZ"), "carla nunez");
        assert_eq!(fold("Jonas Müller · Ødegård"), "jonas muller · ødegard");
        assert_eq!(fold("ログイン"), "ロクイン", "kana lose their voicing marks as accents do");
    }

    #[test]
    fn every_word_must_match_as_a_subsequence() {
        assert!(score("rfnd", "Refund for order").is_some());
        assert!(score("refund carla", "Refund for order · Carla Núñez").is_some());
        assert!(score("refund hiro", "Refund for order · Carla Núñez").is_none());
        assert!(score("dnufer", "Refund").is_none(), "order matters within a word");
        assert!(score("nunez", "Carla Núñez").is_some());
        assert!(score("ログ", "ログインできません").is_some());
    }

    #[test]
    fn tighter_and_word_start_matches_rank_higher() {
        let contiguous = score("order", "Where is my order").unwrap();
        let scattered = score("order", "One redirect drove errors").unwrap();
        assert!(contiguous > scattered);
        let start = score("fund", "fund transfer").unwrap();
        let inside = score("fund", "refund please").unwrap();
        assert!(start > inside);
    }

    #[test]
    fn a_longer_query_narrows_a_shorter_one() {
        assert!(Query::new("refund").narrows(&Query::new("ref")));
        assert!(Query::new("refund car").narrows(&Query::new("refund")));
        assert!(Query::new("rfd").narrows(&Query::new("rd")));
        assert!(!Query::new("ref").narrows(&Query::new("refund")));
        assert!(!Query::new("abc").narrows(&Query::new("")));
    }

    #[test]
    fn index_needles_are_the_words_ascii_runs_of_three_or_more() {
        assert_eq!(Query::new("Refund  Carla").index_needles(), vec!["refund", "carla"]);
        assert_eq!(Query::new("re núñez").index_needles(), vec!["nunez"], "two letters give the index nothing");
        assert_eq!(Query::new("ødegård").index_needles(), vec!["degard"]);
        assert!(Query::new("ログイン").index_needles().is_empty());
        assert!(Query::new("").index_needles().is_empty());
    }

    #[test]
    fn positions_point_at_the_original_characters() {
        assert_eq!(Query::new("nunez").positions("Carla Núñez"), vec![6, 7, 8, 9, 10]);
        assert_eq!(Query::new("rfd").positions("Refund"), vec![0, 2, 5]);
        assert!(Query::new("zzz").positions("Refund").is_empty());
    }
}
