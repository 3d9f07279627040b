//! The console's figures on the 100,000-ticket demo desk: key press to frame, bytes per frame,
//! the fuzzy filter per keystroke, full-text search, opening a conversation; the console runs
//! under the demo config's SLA policies.
//!
//! `cargo bench --bench console` prints a table of the figures (percentiles from its own samples),
//! then criterion's measurements of the same operations. `FRONTDESK_BENCH_QUICK=1` prints only the
//! table; `FRONTDESK_BENCH_ONLY=sla,search` only those parts (see [`wanted`]). Whole-process figures (first frame, peak memory) are in `benches/process.rs`.

mod common;

use common::{ms, row, spread};
use criterion::Criterion;
use frontdesk::app::effects::filter::{Candidates, Matcher, TabFilter, IN_MEMORY_UP_TO};
use frontdesk::app::headless::{key, Headless};
use frontdesk::app::model::conversation::ConversationState;
use frontdesk::app::model::views::View;
use frontdesk::domain::search::SearchQuery;
use frontdesk::domain::TicketFilter;
use frontdesk::store::Store;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

const SIZE: (u16, u16) = (200, 50);

/// What an agent types into the filter, one keystroke at a time.
const ASCII_QUERIES: &[&str] = &[
    "refund",
    "order 4821",
    "carla",
    "invoice vat",
    "login",
    "parcel",
    "99123",
    "wrong item",
    "password reset",
    "shipping",
    "james wilson",
    "gift wrap",
    "damaged",
    "warranty",
    "@webmail",
    "charged twice",
];
const NON_ASCII_QUERIES: &[&str] = &["núñez", "müller", "ログイン", "ødegård", "reembolso", "où est", "wójcik", "注文"];

/// A small deterministic random sequence, so every run measures the same work.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn open(db: &Path) -> Store {
    Store::open(db).expect("the bench desk opens")
}

/// The SLA policies of the demo's config, which `cargo run -- --demo` runs the console with.
fn demo_policies() -> frontdesk::domain::sla::Policies {
    let config = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo-config/config.toml"));
    frontdesk::config::load(config, true).expect("the demo's config").sla_policies()
}

/// The console at 200×50 under the demo's SLA policies. The desk's due times are first made the
/// policies' (a desk made without a config has none, and the `sla` part leaves another set), so
/// every desk size shows the same kind of queue, breached clocks included, and no redo of due
/// times runs while the keys are timed.
fn headless(db: &Path, view: View) -> Headless {
    let store = open(db);
    let agent = common::agent(&store);
    let policies = demo_policies();
    while store.refresh_due(&policies, frontdesk::store::DUE_BATCH, true).expect("due times") > 0 {}
    let mut h = Headless::start_with(store, agent, view, SIZE, chrono::Utc::now(), |app| app.sla = policies)
        .expect("headless console");
    h.capture = false;
    h
}

/// Key press to frame (update, the store work it asks for, and drawing into a byte sink).
fn keys_to_frames(db: &Path) -> Vec<Duration> {
    let mut h = headless(db, View::Open);
    let mix = ["j", "j", "j", "k", "Down", "Up", "C-d", "C-u", "Enter", "j", "k", "Esc", "j", "Tab", "G", "]", "["];
    let mut rng = Lcg(42);
    let mut samples = Vec::with_capacity(1000);
    for _ in 0..1000 {
        let k = mix[rng.below(mix.len())];
        let start = Instant::now();
        h.press(key(k)).expect("frame");
        samples.push(start.elapsed());
    }
    samples
}

/// Bytes of the first frame, of each queue cursor move, and of 30 rests on a ticket (the preview
/// of the conversation and the profile), at 200×50.
fn bytes(db: &Path) -> (usize, Vec<usize>, Vec<usize>) {
    let mut h = headless(db, View::Open);
    let first = h.first_frame;
    assert!(h.app.state.conversation.is_some(), "the first frame shows a conversation");
    let mut moves = Vec::new();
    for i in 0..300 {
        let k = if (i / 60) % 2 == 0 { "j" } else { "k" };
        moves.push(h.press(key(k)).expect("frame"));
    }
    let mut rests = Vec::new();
    for _ in 0..30 {
        h.press(key("j")).expect("frame");
        rests.push(h.rest().expect("frame"));
    }
    (first, moves, rests)
}

/// The filter's work per keystroke, as the agent types each query, over every ticket.
fn filter_keystrokes(candidates: &Candidates, queries: &[&str]) -> Vec<Duration> {
    let mut samples = Vec::new();
    for query in queries {
        let mut matcher = Matcher::default();
        let chars: Vec<char> = query.chars().collect();
        for n in 1..=chars.len() {
            let typed: String = chars[..n].iter().collect();
            let start = Instant::now();
            black_box(matcher.run(candidates, &typed, &|| false));
            samples.push(start.elapsed());
        }
    }
    samples
}

/// The same keystrokes through fuzzy-matcher's skim and nucleo-matcher, each a full scan, for
/// comparison (neither keeps state between keystrokes).
fn library_keystrokes(haystacks: &[String], queries: &[&str]) -> (Vec<Duration>, Vec<Duration>) {
    use fuzzy_matcher::skim::SkimMatcherV2;
    use fuzzy_matcher::FuzzyMatcher;
    use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
    let skim = SkimMatcherV2::default().ignore_case();
    let mut nucleo = nucleo_matcher::Matcher::new(nucleo_matcher::Config::DEFAULT);
    let utf32: Vec<nucleo_matcher::Utf32String> = haystacks.iter().map(|h| h.as_str().into()).collect();
    let (mut skim_samples, mut nucleo_samples) = (Vec::new(), Vec::new());
    for query in queries {
        let chars: Vec<char> = query.chars().collect();
        for n in 1..=chars.len() {
            let typed: String = chars[..n].iter().collect();
            let start = Instant::now();
            let mut hits: Vec<(i64, usize)> =
                haystacks.iter().enumerate().filter_map(|(i, h)| skim.fuzzy_match(h, &typed).map(|s| (s, i))).collect();
            hits.sort_unstable_by_key(|h| std::cmp::Reverse(h.0));
            black_box(hits);
            skim_samples.push(start.elapsed());
            let start = Instant::now();
            let pattern = Pattern::parse(&typed, CaseMatching::Ignore, Normalization::Smart);
            let mut hits: Vec<(u32, usize)> = utf32
                .iter()
                .enumerate()
                .filter_map(|(i, h)| pattern.score(h.slice(..), &mut nucleo).map(|s| (s, i)))
                .collect();
            hits.sort_unstable_by_key(|h| std::cmp::Reverse(h.0));
            black_box(hits);
            nucleo_samples.push(start.elapsed());
        }
    }
    (skim_samples, nucleo_samples)
}

/// 200 searches: rare words from real tickets, common words, two words, prefixes, and filters.
fn search_queries(store: &Store) -> Vec<String> {
    let recent = store.list_tickets(&TicketFilter::default(), None, 2000).expect("tickets");
    let mut rng = Lcg(7);
    let mut queries = Vec::new();
    let common = ["order", "refund", "please", "the", "invoice", "account", "delivery", "thanks"];
    let two = ["refund order", "invoice address", "wrong item", "password reset", "charged twice", "gift wrapping"];
    let prefixes = ["ord*", "ref*", "inv*", "pass*", "deliv*", "acc*", "wa*", "sh*"];
    let filters = [
        "refund status:open",
        "order priority:urgent",
        "invoice assignee:none",
        "status:pending",
        "tag:vip",
        "refund after:2026-01-01",
        "order before:2025-06-01",
        "from:@webmail.example",
    ];
    while queries.len() < 200 {
        match queries.len() % 5 {
            0 => {
                // A rare word: the longest word of a real ticket's subject (often an order number).
                let t = &recent[rng.below(recent.len())];
                let word = t.subject.split(|c: char| !c.is_alphanumeric()).max_by_key(|w| w.len()).unwrap_or("x");
                queries.push(word.to_string());
            }
            1 => queries.push(common[rng.below(common.len())].to_string()),
            2 => queries.push(two[rng.below(two.len())].to_string()),
            3 => queries.push(prefixes[rng.below(prefixes.len())].to_string()),
            _ => queries.push(filters[rng.below(filters.len())].to_string()),
        }
    }
    queries
}

fn searches(store: &mut Store, me: &str, queries: &[String]) -> (Vec<Duration>, usize) {
    let zone = frontdesk::domain::when::Zone::Named(chrono_tz::UTC);
    let mut stopped = 0;
    let samples = queries
        .iter()
        .map(|q| {
            let query = SearchQuery::parse(q, zone).expect("a valid query");
            let start = Instant::now();
            let found = store.search(&query, me, 50).expect("search");
            stopped += usize::from(found.stopped_early);
            black_box(found);
            start.elapsed()
        })
        .collect();
    (samples, stopped)
}

/// Opening conversations of at most 50 messages: the store reads and the frame that shows them.
fn opens(db: &Path) -> (Vec<Duration>, usize) {
    let mut h = headless(db, View::Open);
    let store = open(db);
    let me = common::agent(&store).login;
    let max = store.count_tickets(&TicketFilter::default()).expect("count") as usize;
    let mut rng = Lcg(99);
    let mut samples = Vec::new();
    let mut largest = 0;
    while samples.len() < 1000 {
        let id = 1 + rng.below(max) as i64;
        let start = Instant::now();
        let detail = store.ticket_detail(id).expect("ticket");
        if detail.messages.len() > 50 {
            continue;
        }
        let customer = store.customer_tickets(detail.ticket.customer_id, 50).expect("customer tickets");
        black_box(store.draft(id, &me).expect("draft"));
        largest = largest.max(detail.messages.len());
        h.app.state.profile.tickets = customer;
        h.app.state.conversation = Some(ConversationState::new(detail));
        h.app.state.wrap_conversation(); // as `update` does when a ticket loads
        h.draw().expect("frame");
        samples.push(start.elapsed());
    }
    (samples, largest)
}

/// SLA policies as a shop might set them: every priority, business hours in a time zone with
/// holidays, a tighter policy for VIPs. `first` varies the urgent target, so two calls give two
/// different sets of policies.
fn shop_policies(first: &str) -> frontdesk::domain::sla::Policies {
    let text = format!(
        "[sla]\nhours = \"business\"\n[sla.business_hours]\ntime_zone = \"Europe/Berlin\"\n\
         weekdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nopen = \"09:00\"\nclose = \"17:00\"\n\
         holidays = [\"2026-12-24\", \"2026-12-25\", \"2027-01-01\"]\n\
         [[sla.policies]]\npriority = \"urgent\"\nfirst_response = \"{first}\"\nnext_response = \"2h\"\nresolution = \"1d\"\n\
         [[sla.policies]]\npriority = \"urgent\"\ntier = \"vip\"\nfirst_response = \"15m\"\nresolution = \"4h\"\nhours = \"calendar\"\n\
         [[sla.policies]]\npriority = \"high\"\nfirst_response = \"4h\"\nnext_response = \"8h\"\nresolution = \"3d\"\n\
         [[sla.policies]]\npriority = \"normal\"\nfirst_response = \"8h\"\nresolution = \"5d\"\n\
         [[sla.policies]]\npriority = \"low\"\nfirst_response = \"2d\"\n"
    );
    let config: frontdesk::config::Config = toml::from_str(&text).expect("the bench's SLA config");
    let policies = config.sla_policies();
    assert_eq!(policies.policies.len(), 5, "every policy parsed");
    policies
}

/// What SLA clocks cost at 100k: working every active ticket's due time out again after the
/// policies change, and loading a page of the queue in due order with each row's clock.
fn sla_figures(db: &Path) {
    let store = open(db);
    let active = store.count_tickets(&TicketFilter { active_only: true, ..TicketFilter::default() }).expect("count");
    let mut full = Vec::new();
    for first in ["1h", "45m", "1h", "45m"] {
        let policies = shop_policies(first);
        let start = Instant::now();
        while store.refresh_due(&policies, frontdesk::store::DUE_BATCH, true).expect("refresh") > 0 {}
        full.push(start.elapsed());
    }
    let full = spread(full);
    row(
        &format!("SLA due times after a policy change ({active} active tickets), median of 4"),
        format!("{} ({:.1} µs per ticket)", ms(full.p50), full.p50.as_secs_f64() * 1e6 / active.max(1) as f64),
        "-",
        true,
    );
    let policies = shop_policies("45m");
    let me = common::agent(&store).login;
    let (mut samples, mut pages, mut facts) = (Vec::new(), Vec::new(), Vec::new());
    for view in [View::Open, View::Mine, View::Unassigned, View::All].iter().cycle().take(200) {
        let filter = view.built_in_filter(&me);
        let start = Instant::now();
        store.refresh_due(&policies, frontdesk::store::DUE_BATCH, false).expect("refresh");
        let page = store.list_page(&filter, None, 201).expect("page");
        let read = start.elapsed();
        let rows: Vec<_> = page.iter().map(|(t, _)| t.clone()).collect();
        let next = page.last().map(|(_, c)| *c);
        black_box(
            frontdesk::app::effects::queue_page::load(&store, &policies, (&rows, next), &filter, chrono::Utc::now())
                .expect("clocks"),
        );
        samples.push(start.elapsed());
        pages.push(read);
        facts.push(start.elapsed() - read);
    }
    let (loaded, pages, facts) = (spread(samples), spread(pages), spread(facts));
    row(
        "queue page of 200 in due order with SLA clocks, p99 over 200 loads",
        format!("{} (p50 {})", ms(loaded.p99), ms(loaded.p50)),
        "≤ 16 ms",
        loaded.p99 <= Duration::from_millis(16),
    );
    row("  of which the page's rows, p99", format!("{} (p50 {})", ms(pages.p99), ms(pages.p50)), "-", true);
    row("  and its clocks, snoozes and counts, p99", format!("{} (p50 {})", ms(facts.p99), ms(facts.p50)), "-", true);
}

/// Whether `FRONTDESK_BENCH_ONLY` (a comma-separated list: keys, bytes, filter, tabs, search,
/// open, sla) asks for this part of the figures; every part when it is unset.
fn wanted(part: &str) -> bool {
    std::env::var("FRONTDESK_BENCH_ONLY").map_or(true, |only| only.split(',').any(|p| p.trim() == part))
}

/// A part of the figures, by the name `FRONTDESK_BENCH_ONLY` gives it.
type Part = (&'static str, fn(&Path));

fn figures(db: &Path) {
    let tickets = Store::open(db).and_then(|s| s.count_tickets(&TicketFilter::default())).expect("the desk");
    println!("\nfrontdesk figures on {} ({tickets} tickets)\n", db.display());
    common::header();
    let parts: [Part; 7] = [
        ("keys", key_figures),
        ("bytes", byte_figures),
        ("filter", filter_figures),
        ("tabs", tab_filter_figures),
        ("search", search_figures),
        ("open", open_figures),
        ("sla", sla_figures),
    ];
    for (name, part) in parts {
        if wanted(name) {
            part(db);
        }
    }
    println!();
}

fn key_figures(db: &Path) {
    let keys = spread(keys_to_frames(db));
    row(
        "key press to frame, p99 over 1,000 mixed keys",
        format!("{} (p50 {})", ms(keys.p99), ms(keys.p50)),
        "≤ 16 ms",
        keys.p99 <= Duration::from_millis(16),
    );
}

fn byte_figures(db: &Path) {
    let (first, moves, mut rests) = bytes(db);
    let mean = moves.iter().sum::<usize>() / moves.len().max(1);
    let mut sorted = moves.clone();
    sorted.sort_unstable();
    let p95 = sorted[(sorted.len() * 95).div_ceil(100) - 1];
    let worst = *sorted.last().unwrap_or(&0);
    let scrolls = moves.iter().filter(|&&b| b > 512).count();
    row(
        "bytes per queue cursor move at 200×50, 300 moves: p95",
        format!("{p95} B (mean {mean} B)"),
        "≤ 512 B",
        p95 <= 512,
    );
    row(
        &format!("  the {scrolls} moves that scroll the queue (half a page)"),
        format!("worst {worst} B"),
        "≤ 512 B",
        worst <= 512,
    );
    row(
        "bytes of the first frame at 200×50 (it shows a conversation)",
        format!("{first} B"),
        "≤ 16 KB",
        first <= 16 * 1024,
    );
    rests.sort_unstable();
    row(
        "bytes of a rest on a ticket at 200×50 (its preview), median of 30",
        format!("{} B (worst {} B)", rests[rests.len() / 2], rests.last().unwrap_or(&0)),
        "-",
        true,
    );
}

fn filter_figures(db: &Path) {
    let store = open(db);
    let start = Instant::now();
    let candidates = Candidates::load(&store, &TicketFilter::default()).expect("candidates");
    let load = start.elapsed();
    let ascii = spread(filter_keystrokes(&candidates, ASCII_QUERIES));
    let other = spread(filter_keystrokes(&candidates, NON_ASCII_QUERIES));
    row(
        &format!("fuzzy filter per keystroke over {} tickets, ASCII, p95", candidates.ids.len()),
        format!("{} (p99 {}, n {})", ms(ascii.p95), ms(ascii.p99), ascii.n),
        "≤ 16 ms",
        ascii.p95 <= Duration::from_millis(16),
    );
    row(
        "fuzzy filter per keystroke, non-ASCII, p95",
        format!("{} (p99 {}, n {})", ms(other.p95), ms(other.p99), other.n),
        "≤ 16 ms",
        other.p95 <= Duration::from_millis(16),
    );
    row("  (loading the tickets for the filter, once per tab)", ms(load), "-", true);
    if std::env::var_os("FRONTDESK_BENCH_LIBRARIES").is_some() {
        let haystacks: Vec<String> = store
            .list_tickets(&TicketFilter::default(), None, usize::MAX >> 1)
            .expect("tickets")
            .iter()
            .map(|t| format!("#{} {} {} {}", t.id, t.subject, t.customer_name, t.customer_email))
            .collect();
        let all: Vec<&str> = ASCII_QUERIES.iter().chain(NON_ASCII_QUERIES).copied().collect();
        let (skim, nucleo) = library_keystrokes(&haystacks, &all);
        let (skim, nucleo) = (spread(skim), spread(nucleo));
        row(
            "  fuzzy-matcher (skim) full scan per keystroke, p95",
            ms(skim.p95),
            "≤ 16 ms",
            skim.p95 <= Duration::from_millis(16),
        );
        row(
            "  nucleo-matcher full scan per keystroke, p95",
            ms(nucleo.p95),
            "≤ 16 ms",
            nucleo.p95 <= Duration::from_millis(16),
        );
    }
}

fn search_figures(db: &Path) {
    let mut store = open(db);
    let me = common::agent(&store).login;
    let queries = search_queries(&store);
    let (samples, stopped) = searches(&mut store, &me, &queries);
    let mut slowest: Vec<(Duration, &String)> = samples.iter().copied().zip(&queries).collect();
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    let found = spread(samples);
    row(
        "full-text search, first 50 hits, p95 over 200 queries",
        format!("{} (p99 {}, {stopped} stopped early)", ms(found.p95), ms(found.p99)),
        "≤ 50 ms",
        found.p95 <= Duration::from_millis(50),
    );
    let named: Vec<String> = slowest.iter().take(3).map(|(d, q)| format!("{q:?} {}", ms(*d))).collect();
    row("  the slowest three", named.join(", "), "-", true);
}

fn open_figures(db: &Path) {
    let (samples, largest) = opens(db);
    let opened = spread(samples);
    row(
        &format!("open a conversation (≤ 50 messages; largest {largest}), p99"),
        format!("{} (p50 {})", ms(opened.p99), ms(opened.p50)),
        "≤ 5 ms",
        opened.p99 <= Duration::from_millis(5),
    );
}

/// The filter as the console runs it on each tab (whole in memory up to IN_MEMORY_UP_TO tickets,
/// else the newest in memory and the rest through the filter index): the first results after `/`
/// and each keystroke; and on All, the index's lookups against a `LIKE` scan of the tickets.
fn tab_filter_figures(db: &Path) {
    let store = open(db);
    let start = Instant::now();
    let mut batches = 0;
    while !store.build_filter_index_step(frontdesk::store::FILTER_INDEX_BATCH).expect("the filter index builds") {
        batches += 1;
    }
    if batches > 0 {
        let what = format!("  (building the filter index: {batches} batches, once per desk)");
        row(&what, ms(start.elapsed()), "-", true);
    }
    let me = common::agent(&store).login;
    let closed = TicketFilter {
        statuses: vec![frontdesk::domain::Status::Solved, frontdesk::domain::Status::Closed],
        ..TicketFilter::default()
    };
    let tabs = View::BUILT_IN.iter().map(|v| (format!("{v:?}"), v.built_in_filter(&me)));
    for (name, filter) in tabs.chain([("solved and closed".to_string(), closed)]) {
        // The console reads the tab ahead while its queue shows it; `/` then only matches.
        let start = Instant::now();
        let mut tab = TabFilter::load(&store, &filter, IN_MEMORY_UP_TO).expect("the tab loads");
        let read = start.elapsed();
        tab.answer(&store, "r", &|| false).expect("an answer");
        let first = start.elapsed() - read;
        let how = match tab {
            TabFilter::Whole { .. } => "in memory",
            TabFilter::Large { .. } => "index",
        };
        let mut keystrokes = |queries: &[&str]| {
            let mut samples = Vec::new();
            for query in queries {
                let chars: Vec<char> = query.chars().collect();
                for n in 1..=chars.len() {
                    let typed: String = chars[..n].iter().collect();
                    let start = Instant::now();
                    black_box(tab.answer(&store, &typed, &|| false).expect("an answer"));
                    samples.push(start.elapsed());
                }
            }
            spread(samples)
        };
        let (ascii, other) = (keystrokes(ASCII_QUERIES), keystrokes(NON_ASCII_QUERIES));
        let size = store.count_tickets(&filter).expect("count");
        row(
            &format!("filter on {name} ({size}, {how}): first results after / on the tab read ahead"),
            ms(first),
            "≤ 16 ms",
            first <= Duration::from_millis(16),
        );
        row(
            "  reading the tab ahead (in the background) / with the first key when / comes first",
            format!("{} / {}", ms(read), ms(read + first)),
            "-",
            true,
        );
        row(
            "  per keystroke p95, ASCII / non-ASCII",
            format!("{} / {} (p99 {})", ms(ascii.p95), ms(other.p95), ms(ascii.p99.max(other.p99))),
            "≤ 16 ms",
            ascii.p95.max(other.p95) <= Duration::from_millis(16),
        );
    }
    let all = TicketFilter::default();
    let lookups = |scan: bool| {
        let mut samples = Vec::new();
        for query in ASCII_QUERIES {
            let chars: Vec<char> = query.chars().collect();
            for n in 3..=chars.len() {
                let typed: String = chars[..n].iter().collect();
                let needles = frontdesk::domain::fuzzy::Query::new(&typed).index_needles();
                let start = Instant::now();
                let mut found = 0;
                let limit = frontdesk::app::effects::large_tab_filter::INDEX_HITS;
                if scan {
                    store.filter_scan_hits(&all, &needles, limit, &mut |_| found += 1).expect("scan");
                } else {
                    store.filter_index_hits(&all, &needles, limit, &mut |_| found += 1).expect("index");
                }
                black_box(found);
                samples.push(start.elapsed());
            }
        }
        spread(samples)
    };
    let (index, scan) = (lookups(false), lookups(true));
    row(
        "  All: 500 newest hits per keystroke, trigram index, p95",
        format!("{} (p50 {})", ms(index.p95), ms(index.p50)),
        "-",
        true,
    );
    row(
        "  All: the same by a LIKE scan of the tickets, p95",
        format!("{} (p50 {})", ms(scan.p95), ms(scan.p50)),
        "-",
        true,
    );
}

fn main() {
    let db = common::bench_db();
    figures(&db);
    if std::env::var_os("FRONTDESK_BENCH_QUICK").is_some() {
        return;
    }
    let mut c = Criterion::default().configure_from_args().sample_size(20).measurement_time(Duration::from_secs(4));

    let mut h = headless(&db, View::Open);
    c.bench_function("queue cursor move (j then k) at 200x50", |b| {
        b.iter(|| {
            h.press(key("j")).expect("frame");
            h.press(key("k")).expect("frame")
        })
    });

    let store = open(&db);
    let candidates = Candidates::load(&store, &TicketFilter::default()).expect("candidates");
    c.bench_function("filter: first keystroke 'r' over every ticket", |b| {
        b.iter(|| Matcher::default().run(&candidates, "r", &|| false))
    });
    c.bench_function("filter: typing 'refund' keystroke by keystroke", |b| {
        b.iter(|| {
            let mut m = Matcher::default();
            for n in 1..=6 {
                black_box(m.run(&candidates, &"refund"[..n], &|| false));
            }
        })
    });
    drop(store);

    let mut store = open(&db);
    let me = common::agent(&store).login;
    for text in ["order", "refund order", "ord*", "48213"] {
        let query = SearchQuery::parse(text, frontdesk::domain::when::Zone::Named(chrono_tz::UTC)).expect("query");
        c.bench_function(&format!("search '{text}', first 50"), |b| b.iter(|| store.search(&query, &me, 50)));
    }
    c.final_summary();
}
