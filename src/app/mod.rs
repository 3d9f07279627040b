//! The console. `model` is what it shows, `update` changes it (pure), `effects` does its I/O on
//! workers, `term` owns the terminal; `ui` draws the model. This file wires them into the event
//! loop; `headless` runs the same loop without a terminal, for tests and benchmarks.

pub mod effects;
pub mod headless;
pub mod model;
pub mod term;
pub mod update;

use crate::config::{Config, Paths};
use crate::domain::Agent;
use crate::store::Store;
use model::message::{Effect, Msg};
use model::state::State;
use term::osc;

/// Open the console on `store` as `agent`. Returns when the agent quits.
pub fn run(store: Store, config: Config, agent: Agent, paths: &Paths) -> Result<(), crate::Error> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(crate::Error::msg("this console needs a terminal (use ssh -t)"));
    }
    tracing::info!(db = %paths.db.display(), agent = %agent.login, "console starting");
    let (keymap, problems) = model::keymap::Keymap::build(&config.keys);
    let size = crossterm::terminal::size()?;
    let now = chrono::Utc::now();
    let mut state = State::new(agent, keymap, model::views::View::Open, size, now);
    state.views = model::views::custom_views(&config.views, &state.agent.login);
    state.counts = vec![None; state.tabs().len()];
    state.view = state.view_named(&config.queue.default_view).unwrap_or(model::views::View::Open);
    state.zone = crate::domain::when::agent_zone();
    state.bell = config.ui.bell;
    state.profile_min_width = config.ui.profile_min_width;
    if config.ui.after_send == "stay" {
        state.after_send = model::state::AfterSend::Stay;
    }
    state.page_size = config.queue.page_size;
    state.macros =
        crate::config::load_macros(&paths.config.parent().unwrap_or(std::path::Path::new(".")).join("macros")).0;
    if !problems.is_empty() {
        for problem in &problems {
            tracing::warn!(%problem, "key map");
        }
        state.set_error(format!("config {}: {}", paths.config.display(), problems.join("; ")));
    } else if let Err(problem) = config.rule_set.checked() {
        // The rules that are right run; the others are named, as `import` names them.
        tracing::warn!(%problem, "rules");
        state.set_error(problem);
    }
    let theme = crate::ui::theme::Theme::from_config(&config.ui.theme);
    let (mut guard, mut term, mut output) = term::guard::TerminalGuard::enter(config.ui.mouse)?;
    let (tx, rx) = std::sync::mpsc::channel();
    let input = term::input::InputControl::default();
    term::input::spawn_input_thread(tx.clone(), input.clone());
    term::input::on_hang_up_quit(tx.clone());
    let mut app = effects::App::new(state, store);
    app.answer_to(tx.clone());
    app.mail = config.mail.clone();
    app.sla = config.sla_policies();
    app.sla_hours = config.sla_hours();
    app.csat_survey = config.sla.as_ref().is_some_and(|s| s.csat_survey);
    app.stale_days = config.stale_days();
    app.data_dir = paths.data_dir.clone();
    app.opener = Some(config.ui.opener.clone()).filter(|o| !o.trim().is_empty());
    app.tier_raise = config.sla.as_ref().map(|s| s.raise_priority.clone()).unwrap_or_default();
    app.rules = config.rule_set.rules.clone();
    app.download_dir = Some(std::path::PathBuf::from(&config.ui.download_dir)).filter(|d| !d.as_os_str().is_empty());
    app.watcher = Some(effects::watcher::Watcher::spawn(paths.db.clone(), app.state.agent.login.clone(), tx.clone()));
    app.timer_tx = Some(tx);
    app.start();
    app.wait_on(&rx, false); // the first frame shows the queue, not an empty pane
    let mut screen = Screen { term: &mut term, output: &mut output, theme: &theme, title: Default::default() };
    let result = run_loop(&mut app, &mut screen, &rx, &mut guard, &input);
    drop(app.watcher.take()); // removes this console's heartbeat
    input.stop();
    drop(guard);
    result
}

/// Block while idle, coalesce bursts, draw only when something changed.
fn run_loop(
    app: &mut effects::App,
    screen: &mut Screen,
    rx: &std::sync::mpsc::Receiver<Msg>,
    guard: &mut term::guard::TerminalGuard,
    input: &term::input::InputControl,
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
            dirty |= changes_the_screen(&msg);
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

/// Whether handling `msg` can change what is shown (a draft saved or due changes nothing).
fn changes_the_screen(msg: &Msg) -> bool {
    match msg {
        Msg::Answered { msg, .. } => changes_the_screen(msg),
        // A preview's timer draws nothing itself; the ticket it loads does.
        Msg::DraftDue | Msg::DraftSaved | Msg::PreviewDue { .. } => false,
        _ => true,
    }
}

/// Where frames go: the terminal, its one-write-per-frame output, the theme, the window title.
struct Screen<'a> {
    term: &'a mut term::output::Term,
    output: &'a mut term::output::FrameOutput,
    theme: &'a crate::ui::theme::Theme,
    title: osc::TitleTracker,
}

impl Screen<'_> {
    /// Draw one frame inside a synchronized update and send it in one write, with the window
    /// title when it changed.
    fn draw(&mut self, state: &State) -> std::io::Result<()> {
        draw_frame(self.term, state, self.theme, None)?;
        self.title.update(self.term.backend_mut(), state)?;
        self.output.commit()
    }
}

/// Draw one frame into `term`'s writer, inside a synchronized update so the terminal shows it whole;
/// `copy` receives the drawn cells when given.
pub fn draw_frame<W: std::io::Write>(
    term: &mut ratatui::Terminal<term::backend::ByteSavingBackend<W>>,
    state: &State,
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
    request: Effect,
    guard: &mut term::guard::TerminalGuard,
    input: &term::input::InputControl,
) -> Result<(), crate::Error> {
    let terminal = &mut *screen.term;
    if matches!(request, Effect::OpenEditor { .. } | Effect::Suspend) {
        screen.title.forget(); // the editor or the shell may set their own
    }
    match request {
        Effect::OpenEditor { body } => {
            input.pause();
            guard.pause();
            let edited = term::editor::edit(&body);
            guard.resume()?;
            input.resume();
            terminal.clear()?;
            match edited {
                Ok(text) => app.handle(Msg::EditorDone(text)),
                Err(e) => app.handle(Msg::Failed(format!("the editor failed: {e}"))),
            }
        }
        Effect::Suspend => {
            app.handle(Msg::DraftDue);
            input.pause();
            guard.pause();
            // SAFETY: raising a signal on our own process has no memory-safety preconditions.
            unsafe {
                libc::raise(libc::SIGSTOP);
            }
            guard.resume()?;
            input.resume();
            terminal.clear()?;
        }
        // Sent with the next frame, in its one write.
        Effect::Copy { text } => osc::write_clipboard(terminal.backend_mut(), &text)?,
        Effect::Bell => osc::write_bell(terminal.backend_mut())?,
        _ => terminal.clear()?,
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
    let (map, problems) = model::keymap::Keymap::build(&config.keys);
    let listing = map
        .entries()
        .map(|(context, seq, action)| KeyListing {
            context: context.name().to_string(),
            keys: model::keymap::sequence_label(seq),
            action: action.name().to_string(),
            description: action.description().to_string(),
        })
        .collect();
    (listing, problems)
}
