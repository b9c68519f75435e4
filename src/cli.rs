//! The command line: `tebiki build`, `check`, `serve`, `init`, `completions`, and exit codes.
//!
//! Errors travel up as values; this module prints them once and turns them into the exit code:
//! 0 success, 1 problems in the site's sources, 2 tebiki could not run (I/O, refused output),
//! 3 `publish` left a post alone (edited on the blog) or published nothing (a guide links to a
//! guide without a post).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};

use crate::diagnostics::{BuildFailed, printable};
use crate::i18n::{Lang, Localizer, Message, msg};
use crate::site::{BuildOptions, Site};

/// tebiki: build illustrated step-by-step guides from YAML and Markdown.
#[derive(Debug, Parser)]
#[command(name = "tebiki", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// The language of tebiki's messages (default: from `LC_ALL`, `LC_MESSAGES` or `LANG`; Japanese
    /// for `ja_JP.UTF-8` and the like, else English). For `init`, also the example's language.
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<Lang>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default: public/).
    Build(BuildArgs),
    /// Check the site without writing anything: sources, references, links, trouble entries.
    Check(CheckArgs),
    /// Preview the site with live reload (built in memory; public/ is not touched).
    Serve(ServeArgs),
    /// Start a new site: site.yaml and a small example guide, in an empty or new folder.
    Init(InitArgs),
    /// Add a guide or a step (its files, and its id in guide.yaml).
    #[command(subcommand)]
    New(NewCommand),
    /// Publish the guides elsewhere (today: as posts of a `WordPress` blog).
    #[command(subcommand)]
    Publish(PublishCommand),
    /// Print the shell completion script (e.g. `tebiki completions bash > ~/.local/share/bash-completion/completions/tebiki`).
    Completions(CompletionsArgs),
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder of the new site (created if missing; must be empty).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A new guide: content/SLUG/guide.yaml and its first step.
    Guide {
        /// The guide's folder name, used in its URL (lower-case letters, digits, `-`).
        slug: String,
        /// The app the guide documents (written as `app: name:`).
        #[arg(long, value_name = "NAME")]
        app: Option<String>,
        /// The app's version the guide documents, e.g. 12.1 (written as `app: version:`).
        #[arg(long, value_name = "VERSION")]
        app_version: Option<String>,
        /// The site's folder, holding site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A new section at the end of GUIDE's guide.yaml (a procedure comes with its first step).
    Section {
        /// The guide's folder name.
        guide: String,
        /// The section's id (its anchor on the page).
        id: String,
        /// What the section holds.
        #[arg(long, value_enum, default_value = "procedure")]
        kind: crate::new::Kind,
        /// Its title (default: a placeholder that `check` points out).
        #[arg(long)]
        title: Option<String>,
        /// The site's folder, holding site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A new step: content/GUIDE/steps/ID.md, and ID in guide.yaml (by default at the end of
    /// the first procedure).
    Step {
        /// The guide's folder name.
        guide: String,
        /// The step's id (its file name without .md).
        id: String,
        /// Put it after this step.
        #[arg(long, value_name = "ID")]
        after: Option<String>,
        /// Put it at the end of this procedure (or, with --after, look for that step there).
        #[arg(long, value_name = "ID")]
        section: Option<String>,
        /// The site's folder, holding site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum PublishCommand {
    /// Each guide as a post of your `WordPress` blog, through its REST API: created at the first
    /// run, the same post updated at every later one; pictures uploaded once. The application
    /// password comes from `TEBIKI_WP_APP_PASSWORD` or `~/.config/tebiki/credentials`.
    Wordpress(WordpressArgs),
}

#[derive(Debug, clap::Args)]
pub struct WordpressArgs {
    /// The site's folder, holding site.yaml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Only this guide (its folder name).
    #[arg(long, value_name = "SLUG")]
    pub guide: Option<String>,
    /// The post's status (default: draft for a new post; an existing post keeps its status).
    #[arg(long, value_enum)]
    pub status: Option<crate::publish::Status>,
    /// Show what would be done and the post's block markup; change nothing anywhere.
    #[arg(long)]
    pub dry_run: bool,
    /// The blog's address (overrides site.yaml's publish.wordpress.url).
    #[arg(long)]
    pub url: Option<String>,
    /// The WordPress user (overrides site.yaml's publish.wordpress.user).
    #[arg(long)]
    pub user: Option<String>,
    /// Overwrite posts that were edited on the blog since tebiki last wrote them (otherwise
    /// such a post is left as it is, and the command says what was changed there).
    #[arg(long)]
    pub force: bool,
    /// How to report: for people, or as JSON.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site's folder, holding site.yaml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The address to listen on (loopback by default; 0.0.0.0 to reach it from a phone).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// The port (the next free one is taken if it is busy; 0 picks any).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Watch by polling, for file systems without change events (WSL, Docker volumes, network drives).
    #[arg(long)]
    pub poll: bool,
    /// Also answer requests for this host name (besides localhost and this machine's addresses);
    /// may be given several times.
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_hosts: Vec<String>,
    /// Let pages save annotations even when the preview is reachable from the network
    /// (`--bind 0.0.0.0`); on loopback they always may.
    #[arg(long)]
    pub allow_edit: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The site's folder, holding site.yaml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// How to report problems: for people, or as JSON for editors and CI.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Rewrite the UI texts written by hand into references to the vocabulary (ui.yaml),
    /// printing the diff first.
    #[arg(long)]
    pub fix: bool,
    /// List every place this id is written instead of checking: a UI text (`@id` or `id`), a
    /// step, a section or a trouble entry, with `file:line:col`.
    #[arg(long = "where", value_name = "ID", conflicts_with = "fix")]
    pub where_used: Option<String>,
}

/// The report format of `tebiki check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site's folder, holding site.yaml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (default: `output_dir` from site.yaml, else public/ in the root).
    #[arg(long)]
    pub output_dir: Option<PathBuf>,
    /// The URL the site will be published at (overrides `base_url` in site.yaml).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Build the guides marked `draft: true` too (to look at them; never for publishing).
    #[arg(long)]
    pub drafts: bool,
}

/// Runs the command line and returns the process's exit code.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The language first: `--help` and clap's own errors already speak it.
    let lang = Lang::choose(Lang::from_args(&args), |name| std::env::var(name).ok());
    let l = Localizer::new(lang);
    let matches = match localized_command(&l).try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(err) => return usage_error(&err, &l),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    match cli.command {
        Command::Build(args) => build(&args, &l),
        Command::Check(args) => check(&args, &l),
        Command::Serve(args) => serve(&args, &l),
        Command::Init(args) => init(&args, cli.lang, &l),
        Command::New(new) => add(&new, &l),
        Command::Publish(PublishCommand::Wordpress(args)) => publish(&args, &l),
        Command::Completions(args) => {
            use clap::CommandFactory as _;
            let mut command = Cli::command();
            clap_complete::generate(args.shell, &mut command, "tebiki", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
    }
}

fn add(new: &NewCommand, l: &Localizer) -> ExitCode {
    let made = match new {
        NewCommand::Guide {
            slug,
            app,
            app_version,
            root,
        } => crate::new::guide(
            root,
            slug,
            &crate::new::NewGuide {
                app: app.clone(),
                version: app_version.clone(),
            },
        ),
        NewCommand::Section {
            guide,
            id,
            kind,
            title,
            root,
        } => crate::new::section(root, guide, id, *kind, title.as_deref()),
        NewCommand::Step {
            guide,
            id,
            after,
            section,
            root,
        } => {
            let place = crate::new::Place {
                after: after.clone(),
                section: section.clone(),
            };
            crate::new::step(root, guide, id, &place)
        }
    };
    match made {
        Ok(files) => {
            for file in files {
                let file = printable(&file.display().to_string()).into_owned();
                println!("{}", l.format(&msg!("wrote-file", file = file)));
            }
            ExitCode::SUCCESS
        }
        Err(err) => report_error(&err, l),
    }
}

fn publish(args: &WordpressArgs, l: &Localizer) -> ExitCode {
    let options = crate::publish::PublishOptions {
        root: args.root.clone(),
        guide: args.guide.clone(),
        status: args.status,
        dry_run: args.dry_run,
        url: args.url.clone(),
        user: args.user.clone(),
        force: args.force,
    };
    let report = match crate::publish::wordpress(&options) {
        Ok(report) => report,
        Err(err) if err.downcast_ref::<crate::publish::NeedsPosts>().is_some() => {
            let needs = err
                .downcast_ref::<crate::publish::NeedsPosts>()
                .map(|n| n.render(l))
                .unwrap_or_default();
            let _ = writeln!(std::io::stderr(), "{}: {needs}", l.text("level-error"));
            return ExitCode::from(PUBLISH_REFUSED);
        }
        Err(err) => {
            return report_error_then(&err, &msg!("publish-nothing-published"), l);
        }
    };
    let code = if report.refused_any() {
        ExitCode::from(PUBLISH_REFUSED)
    } else {
        ExitCode::SUCCESS
    };
    if args.format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
        return code;
    }
    let mut out = std::io::stdout().lock();
    for guide in &report.guides {
        print_guide(&mut out, guide, report.dry_run, l);
    }
    for note in &report.notes {
        let _ = writeln!(
            out,
            "{}",
            l.format(&msg!("publish-note", note = note.clone()))
        );
    }
    if let Some(css) = &report.css_for_theme {
        let _ = writeln!(out, "{}\n{css}", l.text("publish-css-heading"));
    }
    if report.dry_run {
        let _ = writeln!(
            out,
            "{}",
            l.format(&msg!("publish-dry-run", blog = &report.blog))
        );
    }
    code
}

/// The exit code of `publish` when a post was left alone (edited on the blog) or nothing was
/// published (a guide links to a guide without a post).
const PUBLISH_REFUSED: u8 = 3;

/// One guide's lines of `publish`'s report.
fn print_guide(
    out: &mut impl std::io::Write,
    guide: &crate::publish::GuideReport,
    dry_run: bool,
    l: &Localizer,
) {
    if let Some(markup) = &guide.markup {
        let _ = writeln!(out, "{markup}");
    }
    let post = match (guide.post_id, &guide.link) {
        (Some(id), Some(link)) => msg!("publish-post", id = id, link = link),
        _ => Message::text(""),
    };
    if let Some(edit) = &guide.edited_on_blog {
        let refused = msg!(
            "publish-refused",
            guide = &guide.slug,
            post = post,
            modified = &edit.modified_gmt
        );
        let _ = writeln!(out, "{}", l.format(&refused));
        for line in &edit.diff {
            let _ = writeln!(out, "  {line}");
        }
        let _ = writeln!(out, "  {}", l.text("publish-refused-hint"));
        return;
    }
    let line = msg!(
        "publish-guide",
        guide = &guide.slug,
        action = action_message(&guide.action),
        post = post,
        uploaded = guide.uploaded,
        reused = guide.reused,
        dry = i64::from(dry_run)
    );
    let _ = writeln!(out, "{}", l.format(&line));
    if dry_run {
        for link in &guide.leaving {
            let _ = writeln!(out, "  {}", l.format(&msg!("publish-leaves", link = link)));
        }
        for missing in &guide.missing {
            let line = msg!("publish-lands-nowhere", link = missing.clone());
            let _ = writeln!(out, "  {}", l.format(&line));
        }
    }
}

/// The command line's definition with its help in `l`'s language: each command's `about` is
/// the catalog's `help-PATH` (`help-build`, `help-new-step`), each argument's help
/// `help-PATH--ARG` (`help-build--root`), where the catalog has them.
pub(crate) fn localized_command(l: &Localizer) -> clap::Command {
    let mut command = Cli::command();
    command.build();
    localize(command, "help", l)
}

fn localize(mut command: clap::Command, path: &str, l: &Localizer) -> clap::Command {
    if let Some(about) = l.try_text(path) {
        command = command.about(about);
    }
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        l.text("help-usage")
    );
    command = command
        .help_template(template)
        .subcommand_help_heading(l.text("help-heading-commands"));
    let args: Vec<(String, bool)> = command
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    for (id, positional) in args {
        let key = match id.as_str() {
            "help" => "help-flag-help".to_owned(),
            "version" => "help-flag-version".to_owned(),
            "lang" => "help--lang".to_owned(),
            _ => format!("{path}--{}", id.replace('_', "-")),
        };
        let text = l.try_text(&key);
        let heading = l.text(if positional {
            "help-heading-arguments"
        } else {
            "help-heading-options"
        });
        command = command.mut_arg(&id, |arg| {
            let arg = arg.help_heading(heading);
            match text {
                Some(text) => arg.help(text.clone()).long_help(text),
                None => arg,
            }
        });
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        if name == "help" {
            let about = l.text("help-flag-help");
            command = command.mut_subcommand("help", |sub| sub.about(about));
            continue;
        }
        let sub_path = format!("{path}-{name}");
        command = command.mut_subcommand(&name, |sub| localize(sub, &sub_path, l));
    }
    command
}

/// A mistake on the command line in `l`'s language (clap's own words in English, and for
/// `--help` and `--version`, which clap prints itself); exit code 2, as clap's.
fn usage_error(err: &clap::Error, l: &Localizer) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind};
    let value = |kind| err.get(kind).map(ToString::to_string).unwrap_or_default();
    let message = match err.kind() {
        _ if l.lang() == Lang::En => None,
        ErrorKind::InvalidSubcommand => Some(msg!(
            "cli-unknown-command",
            name = value(ContextKind::InvalidSubcommand)
        )),
        ErrorKind::UnknownArgument => Some(msg!(
            "cli-unknown-argument",
            name = value(ContextKind::InvalidArg)
        )),
        ErrorKind::InvalidValue => Some(msg!(
            "cli-invalid-value",
            value = value(ContextKind::InvalidValue),
            arg = value(ContextKind::InvalidArg),
            valid = value(ContextKind::ValidValue)
        )),
        ErrorKind::MissingRequiredArgument => Some(msg!(
            "cli-missing-argument",
            args = value(ContextKind::InvalidArg)
        )),
        _ => None,
    };
    let Some(message) = message else { err.exit() };
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{}: {}", l.text("level-error"), l.format(&message));
    let close = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg]
        .into_iter()
        .find_map(|kind| err.get(kind).map(ToString::to_string));
    if let Some(close) = close {
        let hint = msg!("did-you-mean", name = close);
        let _ = writeln!(stderr, "  {}: {}", l.text("level-help"), l.format(&hint));
    }
    let _ = writeln!(stderr, "{}", l.text("cli-more-help"));
    ExitCode::from(2)
}

/// The words for a post's `action` in `publish`'s report (the JSON keeps the English value).
fn action_message(action: &str) -> Message {
    match action {
        "created" => msg!("publish-created"),
        "updated" => msg!("publish-updated"),
        "would create" => msg!("publish-would-create"),
        "would update" => msg!("publish-would-update"),
        other => Message::text(other),
    }
}

fn init(args: &InitArgs, lang: Option<Lang>, l: &Localizer) -> ExitCode {
    // The example is Japanese unless English is asked for with `--lang en`.
    let example = match lang {
        Some(Lang::En) => crate::init::Lang::En,
        _ => crate::init::Lang::Ja,
    };
    match crate::init::init(&args.dir, example) {
        Ok(files) => {
            let dir = printable(&args.dir.display().to_string()).into_owned();
            let created = msg!("init-created", dir = dir, files = files.len());
            println!("{}", l.format(&created));
            ExitCode::SUCCESS
        }
        Err(err) => report_error(&err, l),
    }
}

fn serve(args: &ServeArgs, l: &Localizer) -> ExitCode {
    let options = crate::serve::ServeOptions {
        root: args.root.clone(),
        bind: args.bind,
        port: args.port,
        open: args.open,
        poll: args.poll,
        quiet: std::time::Duration::from_millis(if args.poll { 100 } else { 3 }),
        allow_hosts: args.allow_hosts.clone(),
        allow_edit: args.allow_edit,
        lang: l.lang(),
    };
    match crate::serve::serve(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => report_error(&err, l),
    }
}

/// `check --fix`: the diff of every fix first (hand-written UI texts, annotations that followed
/// their target, anchors), then the files written, each through `edit`.
fn fix(options: &BuildOptions, l: &Localizer) -> ExitCode {
    let fixes = Site::new(options).and_then(|site| {
        let rendered = site.render();
        if rendered.diagnostics.has_errors() {
            return Err(BuildFailed(rendered.diagnostics).into());
        }
        Ok(crate::check::fixes(
            &rendered.index,
            site.config().max_pixels(),
        ))
    });
    let fixes = match fixes {
        Ok(fixes) => fixes,
        Err(err) => return report_error_then(&err, &msg!("fix-nothing-changed"), l),
    };
    let mut out = std::io::stdout().lock();
    let _ = write!(out, "{}", fixes.diff);
    for change in &fixes.changes {
        let written = match &change.before {
            Some(before) => {
                let reparse = |text: &str| crate::edit::well_formed(&change.path, text);
                crate::edit::save(&options.root, &change.path, before, &change.after, reparse)
                    .map_err(anyhow::Error::from)
            }
            None => crate::edit::create(&change.path, &change.after),
        };
        if let Err(err) = written {
            return report_error_then(&err, &Message::text(""), l);
        }
    }
    let _ = writeln!(out, "{}", l.format(&fixes.summary()));
    ExitCode::SUCCESS
}

fn check(args: &CheckArgs, l: &Localizer) -> ExitCode {
    // Drafts are checked too: they are what the author is working on.
    let options = BuildOptions {
        root: args.root.clone(),
        output_dir: None,
        base_url: None,
        drafts: true,
    };
    if args.fix {
        return fix(&options, l);
    }
    if let Some(id) = &args.where_used {
        return where_used(&options, id, args.format, l);
    }
    let diagnostics = match Site::new(&options) {
        Ok(site) => crate::check::check_rendered(site.render()),
        Err(err) => match err.downcast::<BuildFailed>() {
            Ok(BuildFailed(mut diagnostics)) => {
                diagnostics.promote_strict();
                diagnostics
            }
            Err(err) => return report_error(&err, l),
        },
    };
    let failed = diagnostics.has_errors();
    let cannot_read = diagnostics.cannot_read();
    if args.format == Format::Json {
        println!("{}", crate::check::to_json(&diagnostics, l));
    } else {
        let mut out = std::io::stdout().lock();
        let _ = write!(out, "{}", diagnostics.render(l));
        if !failed && diagnostics.is_empty() {
            let _ = writeln!(out, "{}", l.text("check-no-problems"));
        } else if !failed {
            let _ = writeln!(out, "{}", l.text("check-only-warnings"));
        }
    }
    if cannot_read {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `tebiki check --where ID`: the places, or (exit 1) none with the ids that come close.
fn where_used(options: &BuildOptions, id: &str, format: Format, l: &Localizer) -> ExitCode {
    let site = match Site::new(options) {
        Ok(site) => site,
        Err(err) => return report_error(&err, l),
    };
    let (guides, _) = site.load_guides();
    let uses = crate::check::usage::find(&guides, id);
    if format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "id": id, "uses": uses }))
                .unwrap_or_default()
        );
    } else if uses.is_empty() {
        let known: Vec<String> = guides.iter().flat_map(crate::check::usage::ids).collect();
        let close = crate::diagnostics::did_you_mean(
            id.trim_start_matches('@'),
            known.iter().map(String::as_str),
        )
        .map_or_else(
            || Message::text(""),
            |c| msg!("did-you-mean-suffix", name = c),
        );
        let nowhere = msg!("where-nowhere", id = id, close = close);
        eprintln!("{}: {}", l.text("level-error"), l.format(&nowhere));
    } else {
        print!("{}", crate::check::usage::render(id, &uses, l));
    }
    if uses.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn build(args: &BuildArgs, l: &Localizer) -> ExitCode {
    let started = Instant::now();
    let options = BuildOptions {
        root: args.root.clone(),
        output_dir: args.output_dir.clone(),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
    };
    let result = Site::new(&options).and_then(|site| site.build_saying(l));
    match result {
        Ok(report) => {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "{}", report.diagnostics.render(l));
            let built = msg!(
                "build-summary",
                guides = report.guides,
                steps = report.steps,
                pages = report.pages,
                files = report.files,
                encoded = report.images_encoded,
                reused = report.images_reused,
                cards = report.cards_drawn,
                output = &report.output_dir,
                ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
            );
            let _ = writeln!(err, "{}", l.format(&built));
            if report.stale_screenshots > 0 {
                let stale = msg!("build-stale-screenshots", count = report.stale_screenshots);
                let _ = writeln!(err, "{}", l.format(&stale));
            }
            ExitCode::SUCCESS
        }
        Err(err) => report_error(&err, l),
    }
}

fn report_error(err: &anyhow::Error, l: &Localizer) -> ExitCode {
    report_error_then(err, &msg!("build-stopped"), l)
}

/// Prints `err` once; after problems in the sources, `after` says what was left untouched.
fn report_error_then(err: &anyhow::Error, after: &Message, l: &Localizer) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    if let Some(BuildFailed(diagnostics)) = err.downcast_ref::<BuildFailed>() {
        let _ = write!(stderr, "{}", diagnostics.render(l));
        let _ = writeln!(stderr, "{}", l.format(after));
        // Input that could not be read at all means tebiki could not run.
        return ExitCode::from(if diagnostics.cannot_read() { 2 } else { 1 });
    }
    let message = error_text(err, l);
    let _ = writeln!(stderr, "{}: {}", l.text("level-error"), printable(&message));
    ExitCode::from(2)
}

/// `err` and its causes, `: ` between them (as `{err:#}`), each context that is a [`Message`]
/// in `l`'s language.
fn error_text(err: &anyhow::Error, l: &Localizer) -> String {
    err.chain()
        .map(|cause| {
            if let Some(message) = cause.downcast_ref::<Message>() {
                return l.format(message);
            }
            match cause.downcast_ref::<crate::edit::EditError>() {
                Some(crate::edit::EditError::Io(inner)) => error_text(inner, l),
                Some(edit) => edit.message().map_or_else(String::new, |m| l.format(&m)),
                None => cause.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    /// The `help-…` ids of every command and argument, with the English of the doc comments.
    fn help_ids(command: &clap::Command, path: &str, out: &mut Vec<(String, String)>) {
        let about = command
            .get_about()
            .map(ToString::to_string)
            .unwrap_or_default();
        out.push((path.to_owned(), about));
        for arg in command.get_arguments() {
            let id = arg.get_id().to_string().replace('_', "-");
            if id == "help" || id == "version" || id == "lang" && path != "help" {
                continue;
            }
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            out.push((format!("{path}--{id}"), help));
        }
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            help_ids(sub, &format!("{path}-{}", sub.get_name()), out);
        }
    }

    #[test]
    fn every_command_and_argument_has_help_in_both_languages() {
        let mut ids = Vec::new();
        let mut command = Cli::command();
        command.build();
        help_ids(&command, "help", &mut ids);
        let missing: Vec<String> = ids
            .iter()
            .filter(|(id, _)| Localizer::new(Lang::Ja).try_text(id).is_none())
            .map(|(id, en)| format!("{id} = {en}"))
            .collect();
        assert!(
            missing.is_empty(),
            "no help in the catalogs:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn help_speaks_japanese() {
        let mut help = localized_command(&Localizer::new(Lang::Ja));
        let text = help.render_help().to_string();
        assert!(text.contains("使い方"), "{text}");
        let mut build = localized_command(&Localizer::new(Lang::Ja));
        let build = build
            .find_subcommand_mut("build")
            .unwrap()
            .render_help()
            .to_string();
        assert!(build.contains("サイトのフォルダー"), "{build}");
    }
}
