//! The console's event loop.

pub mod action;
pub mod compact;
pub mod editor;
pub mod effects;
pub mod events;
pub mod filter_worker;
pub mod guard;
pub mod headless;
pub mod input;
pub mod keep_actions;
pub mod keymap;
pub mod live;
pub mod msg;
pub mod narrow;
pub mod navigate;
pub mod osc;
pub mod overlay;
pub mod pickers;
pub mod profile_keep;
pub mod sla;
pub mod state;
pub mod terminal;
pub mod ticket_actions;
pub mod update;

use crate::config::{Config, Paths};
use crate::domain::Agent;
use crate::store::Store;

/// Open the console on `store` as `agent`. Returns when the agent quits.
pub fn run(store: Store, config: Config, agent: Agent, paths: &Paths) -> Result<(), crate::Error> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(crate::Error::msg("this console needs a terminal (use ssh -t)"));
    }
    tracing::info!(db = %paths.db.display(), agent = %agent.login, "console starting");
    let (keymap, problems) = keymap::Keymap::build(&config.keys);
    let size = crossterm::terminal::size()?;
    let now = chrono::Utc::now();
    let mut state = state::State::new(agent, keymap, state::View::Open, size, now);
    state.views = custom_views(&config.views, &state.agent.login);
    state.counts = vec![None; state.tabs().len()];
    state.view = state.view_named(&config.queue.default_view).unwrap_or(state::View::Open);
    state.utc_offset = *chrono::Local::now().offset();
    state.profile_min_width = config.ui.profile_min_width;
    state.page_size = config.queue.page_size;
    state.macros =
        crate::config::load_macros(&paths.config.parent().unwrap_or(std::path::Path::new(".")).join("macros")).0;
    if !problems.is_empty() {
        for problem in &problems {
            tracing::warn!(%problem, "key map");
        }
        state.set_error(format!("config {}: {}", paths.config.display(), problems.join("; ")));
    }
    let theme = crate::ui::theme::Theme::from_config(&config.ui.theme);
    let (mut guard, mut term, mut output) = terminal::TerminalGuard::enter(config.ui.mouse)?;
    let (tx, rx) = std::sync::mpsc::channel();
    let input = events::InputControl::default();
    events::spawn_input_thread(tx.clone(), input.clone());
    events::on_hang_up_quit(tx.clone());
    let mut app = effects::App::new(state, store);
    app.answer_to(tx.clone());
    app.mail = config.mail.clone();
    app.sla = config.sla_policies();
    app.csat_survey = config.sla.as_ref().is_some_and(|s| s.csat_survey);
    app.stale_days = config.stale_days();
    app.data_dir = paths.data_dir.clone();
    app.live = Some(live::Watcher::spawn(paths.db.clone(), app.state.agent.login.clone(), tx.clone()));
    app.timer_tx = Some(tx);
    app.start();
    let mut screen = Screen { term: &mut term, output: &mut output, theme: &theme, title: Default::default() };
    let result = run_loop(&mut app, &mut screen, &rx, &mut guard, &input);
    drop(app.live.take()); // removes this console's heartbeat
    input.stop();
    drop(guard);
    result
}

/// The config's views as tabs for the agent `me` (the config was checked when it was loaded).
pub fn custom_views(views: &[crate::config::ViewConfig], me: &str) -> Vec<state::CustomView> {
    use crate::store::{AssigneeFilter, TicketFilter};
    views
        .iter()
        .map(|v| {
            let assignee = match v.assignee.as_str() {
                "" | "any" => AssigneeFilter::Any,
                "none" | "nobody" => AssigneeFilter::Nobody,
                "me" => AssigneeFilter::Agent(me.to_string()),
                login => AssigneeFilter::Agent(login.to_string()),
            };
            let filter = TicketFilter {
                statuses: v.statuses().unwrap_or_default(),
                active_only: false,
                assignee,
                tags: v.tags.clone(),
                priorities: v.priorities().unwrap_or_default(),
                sort: v.sort.parse().unwrap_or_default(),
            };
            state::CustomView { name: v.name.clone(), filter }
        })
        .collect()
}

/// Block while idle, coalesce bursts, draw only when something changed.
fn run_loop(
    app: &mut effects::App,
    screen: &mut Screen,
    rx: &std::sync::mpsc::Receiver<msg::Msg>,
    guard: &mut terminal::TerminalGuard,
    input: &events::InputControl,
) -> Result<(), crate::Error> {
    let mut dirty = true;
    let mut first_frame = true;
    while !app.state.should_quit {
        if dirty {
            screen.draw(&app.state)?;
            dirty = false;
        }
        if std::mem::take(&mut first_frame) {
            app.after_first_frame();
        }
        let first = rx.recv()?;
        for msg in std::iter::once(first).chain(rx.try_iter().collect::<Vec<_>>()) {
            dirty |= !matches!(msg, msg::Msg::DraftDue | msg::Msg::DraftSaved);
            app.state.now = chrono::Utc::now();
            app.handle(msg);
        }
        for request in std::mem::take(&mut app.terminal_requests) {
            dirty = true;
            on_terminal_request(app, screen, request, guard, input)?;
        }
    }
    Ok(())
}

/// Where frames go: the terminal, its one-write-per-frame output, the theme, the window title.
struct Screen<'a> {
    term: &'a mut terminal::Term,
    output: &'a mut terminal::FrameOutput,
    theme: &'a crate::ui::theme::Theme,
    title: osc::TitleTracker,
}

impl Screen<'_> {
    /// Draw one frame inside a synchronized update and send it in one write, with the window
    /// title when it changed.
    fn draw(&mut self, state: &state::State) -> std::io::Result<()> {
        draw_frame(self.term, state, self.theme, None)?;
        self.title.update(self.term.backend_mut(), state)?;
        self.output.commit()
    }
}

/// Draw one frame into `term`'s writer, inside a synchronized update so the terminal shows it whole;
/// `copy` receives the drawn cells when given.
pub fn draw_frame<W: std::io::Write>(
    term: &mut ratatui::Terminal<compact::CompactBackend<W>>,
    state: &state::State,
    theme: &crate::ui::theme::Theme,
    copy: Option<&mut ratatui::buffer::Buffer>,
) -> std::io::Result<()> {
    use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
    crossterm::queue!(term.backend_mut(), BeginSynchronizedUpdate)?;
    let frame = term.draw(|frame| crate::ui::draw(frame, state, theme))?;
    if let Some(copy) = copy {
        copy.clone_from(frame.buffer);
    }
    crossterm::queue!(term.backend_mut(), EndSynchronizedUpdate)?;
    Ok(())
}

/// Hand the terminal to the editor or the shell, then take it back and repaint.
fn on_terminal_request(
    app: &mut effects::App,
    screen: &mut Screen,
    request: msg::Effect,
    guard: &mut terminal::TerminalGuard,
    input: &events::InputControl,
) -> Result<(), crate::Error> {
    let term = &mut *screen.term;
    if matches!(request, msg::Effect::OpenEditor { .. } | msg::Effect::Suspend) {
        screen.title.forget(); // the editor or the shell may set their own
    }
    match request {
        msg::Effect::OpenEditor { body } => {
            input.pause();
            guard.pause();
            let edited = editor::edit(&body);
            guard.resume()?;
            input.resume();
            term.clear()?;
            match edited {
                Ok(text) => app.handle(msg::Msg::EditorDone(text)),
                Err(e) => app.handle(msg::Msg::Failed(format!("the editor failed: {e}"))),
            }
        }
        msg::Effect::Suspend => {
            app.handle(msg::Msg::DraftDue);
            input.pause();
            guard.pause();
            // SAFETY: raising a signal on our own process has no memory-safety preconditions.
            unsafe {
                libc::raise(libc::SIGSTOP);
            }
            guard.resume()?;
            input.resume();
            term.clear()?;
        }
        // Sent with the next frame, in its one write.
        msg::Effect::Copy { text } => osc::write_clipboard(term.backend_mut(), &text)?,
        _ => term.clear()?,
    }
    Ok(())
}

/// One line of the effective key map, for `frontdesk keys` and the help overlay.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct KeyListing {
    /// `global`, `queue`, `conversation`, `profile` or `composer`.
    pub context: String,
    /// The key sequence as the config spells it, e.g. `g g` or `ctrl-d`.
    pub keys: String,
    /// The action's name, e.g. `select_first`.
    pub action: String,
    pub description: String,
}

/// The effective key map (defaults with the config's overrides) and the problems found in the
/// config's bindings (unknown actions, unknown keys, conflicts), one sentence each.
pub fn key_listing(config: &Config) -> (Vec<KeyListing>, Vec<String>) {
    let (map, problems) = keymap::Keymap::build(&config.keys);
    let listing = map
        .entries()
        .map(|(context, seq, action)| KeyListing {
            context: context.name().to_string(),
            keys: keymap::sequence_label(seq),
            action: action.name().to_string(),
            description: action.description().to_string(),
        })
        .collect();
    (listing, problems)
}
