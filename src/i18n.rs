//! The author's language: every message tebiki prints, in Japanese or English.
//!
//! The texts live in Fluent catalogs, one file per language (`locales/ja/tebiki.ftl`,
//! `locales/en/tebiki.ftl`, embedded in the binary), under stable English ids such as
//! `unknown-field`. Code that finds a problem builds a [`Message`] (an id and its arguments,
//! see [`msg!`]); the text is made only where it is shown, by the [`Localizer`] that the
//! command line chose at the start ([`Lang::choose`]: `--lang`, else `LC_ALL`, `LC_MESSAGES`,
//! `LANG` as command-line tools read them) and handed down. Nothing here is global: two
//! localizers for two languages can live side by side. `check --format json` shows a message's
//! id as its `code`, the same in both languages.

use std::borrow::Cow;
use std::fmt;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The English catalog (also the fallback for an id missing in another language).
pub(crate) const EN_CATALOG: &str = include_str!("../locales/en/tebiki.ftl");
/// The Japanese catalog.
pub(crate) const JA_CATALOG: &str = include_str!("../locales/ja/tebiki.ftl");

/// A language tebiki speaks to the author in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Lang {
    /// 日本語
    Ja,
    /// English
    En,
}

impl Lang {
    /// The language of the messages: `flag` (`--lang`) if given, else the first of `LC_ALL`,
    /// `LC_MESSAGES` and `LANG` that is set and not empty (POSIX's order), read through `env`:
    /// Japanese for `ja…` (`ja_JP.UTF-8`, `ja`), English for anything else (`C`, `en_US`, unset).
    pub fn choose(flag: Option<Lang>, env: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(lang) = flag {
            return lang;
        }
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(&env)
            .find(|value| !value.is_empty());
        match locale {
            Some(value) if value.starts_with("ja") => Lang::Ja,
            _ => Lang::En,
        }
    }

    /// The value of `--lang` in the raw arguments (`--lang ja`, `--lang=en`), read before the
    /// command line is parsed, as `--help` must already speak the language.
    pub fn from_args<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Option<Lang> {
        let mut args = args.iter().map(|a| a.as_ref().to_string_lossy());
        while let Some(arg) = args.next() {
            if arg == "--" {
                break;
            }
            let value = match arg.strip_prefix("--lang") {
                Some("") => args.next().map(Cow::into_owned),
                Some(rest) => rest.strip_prefix('=').map(str::to_owned),
                None => None,
            };
            match value.as_deref() {
                Some("ja") => return Some(Lang::Ja),
                Some("en") => return Some(Lang::En),
                _ => {}
            }
        }
        None
    }

    /// The BCP 47 tag (`ja`, `en`): also the `lang` of the pages serve shows.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    fn catalog(self) -> &'static str {
        match self {
            Lang::Ja => JA_CATALOG,
            Lang::En => EN_CATALOG,
        }
    }
}

/// One value a message is formatted with.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Arg {
    Text(String),
    /// A count or a number (Fluent picks the plural form with it).
    Number(i64),
    /// A phrase that is itself a message (`what` in "could not read {what}").
    Message(Box<Message>),
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Text(value)
    }
}

impl From<&String> for Arg {
    fn from(value: &String) -> Self {
        Arg::Text(value.clone())
    }
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Text(value.to_owned())
    }
}

impl From<Message> for Arg {
    fn from(value: Message) -> Self {
        Arg::Message(Box::new(value))
    }
}

impl From<&std::path::Path> for Arg {
    fn from(value: &std::path::Path) -> Self {
        Arg::Text(value.display().to_string())
    }
}

impl From<&std::path::PathBuf> for Arg {
    fn from(value: &std::path::PathBuf) -> Self {
        Arg::Text(value.display().to_string())
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(value: $t) -> Self {
                Arg::Number(i64::try_from(value).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_arg!(usize, u64, u32, u16, u8, i64, i32);

/// A message for the author: a catalog id with its arguments, turned into text in the author's
/// language by a [`Localizer`] where it is shown; or a text that comes from elsewhere (the
/// operating system's error, a parser's own sentence), shown as it is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Message(Kind);

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Kind {
    Id {
        id: &'static str,
        args: Vec<(&'static str, Arg)>,
    },
    Text(String),
    /// Messages shown one after the other, `separator` between them.
    List(Vec<Message>, &'static str),
}

impl Message {
    /// The catalog message `id` (see [`msg!`] for one with arguments).
    pub fn new(id: &'static str) -> Self {
        Message(Kind::Id {
            id,
            args: Vec::new(),
        })
    }

    /// A text not from the catalogs, shown as it is in every language: what the operating
    /// system or a library said (it has no `code`).
    pub fn text(text: impl Into<String>) -> Self {
        Message(Kind::Text(text.into()))
    }

    /// `items` one after the other, `separator` (`, `) between them.
    pub fn list(items: Vec<Message>, separator: &'static str) -> Self {
        Message(Kind::List(items, separator))
    }

    /// This message with the argument `name` set to `value`.
    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        if let Kind::Id { args, .. } = &mut self.0 {
            args.push((name, value.into()));
        }
        self
    }

    /// This message with `change` applied to every text in it that does not come from the
    /// catalogs (the arguments, texts from elsewhere): to mask secrets a server echoed.
    #[must_use]
    pub fn map_texts(&self, change: &dyn Fn(&str) -> String) -> Self {
        let arg = |a: &Arg| match a {
            Arg::Text(t) => Arg::Text(change(t)),
            Arg::Number(n) => Arg::Number(*n),
            Arg::Message(m) => Arg::Message(Box::new(m.map_texts(change))),
        };
        Message(match &self.0 {
            Kind::Id { id, args } => Kind::Id {
                id,
                args: args.iter().map(|(n, a)| (*n, arg(a))).collect(),
            },
            Kind::Text(t) => Kind::Text(change(t)),
            Kind::List(items, separator) => Kind::List(
                items.iter().map(|m| m.map_texts(change)).collect(),
                separator,
            ),
        })
    }

    /// The stable English id (`unknown-field`); none for a text from elsewhere.
    pub fn code(&self) -> Option<&'static str> {
        match &self.0 {
            Kind::Id { id, .. } => Some(id),
            Kind::Text(_) | Kind::List(..) => None,
        }
    }

    /// Whether this is the empty text (a diagnostic whose message is set later).
    pub fn is_empty(&self) -> bool {
        matches!(&self.0, Kind::Text(t) if t.is_empty())
    }
}

impl From<String> for Message {
    fn from(text: String) -> Self {
        Message::text(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Self {
        Message::text(text)
    }
}

impl fmt::Display for Message {
    /// The English text (for logs and errors that reach no localizer; the command line and
    /// serve show messages through theirs).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Localizer::new(Lang::En).format(self))
    }
}

impl std::error::Error for Message {}

/// `Message::new(id)` with arguments: `msg!("unknown-field", field = name, count = 3)`.
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Message::new($id)$(.arg(stringify!($name), $value))*
    };
}
pub(crate) use msg;

/// `message`, then on its own line `help: hint` (in the author's language): for the errors of
/// commands, which have no diagnostic's help line.
pub(crate) fn with_help(message: Message, hint: Message) -> Message {
    msg!("with-help", message = message, hint = hint)
}

/// Turns messages into text in one language (Fluent bundles of the embedded catalogs).
pub struct Localizer {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
    /// English, for an id the language's catalog lacks (the catalog test forbids that).
    fallback: Option<FluentBundle<FluentResource>>,
}

impl fmt::Debug for Localizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Localizer")
            .field("lang", &self.lang)
            .finish_non_exhaustive()
    }
}

impl Localizer {
    pub fn new(lang: Lang) -> Self {
        let fallback = (lang != Lang::En).then(|| bundle(Lang::En));
        Self {
            lang,
            bundle: bundle(lang),
            fallback,
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The text of `message` in this language.
    pub fn format(&self, message: &Message) -> String {
        match &message.0 {
            Kind::Text(text) => text.clone(),
            Kind::Id { id, args } => self.format_id(id, args),
            Kind::List(items, separator) => items
                .iter()
                .map(|m| self.format(m))
                .collect::<Vec<_>>()
                .join(separator),
        }
    }

    /// The text of the message `id` without arguments (a heading, a label).
    pub fn text(&self, id: &str) -> String {
        self.format_id(id, &[])
    }

    /// The text of the message `id` if the catalogs have it.
    pub fn try_text(&self, id: &str) -> Option<String> {
        let known = std::iter::once(&self.bundle)
            .chain(self.fallback.as_ref())
            .any(|b| b.has_message(id));
        known.then(|| self.text(id))
    }

    fn format_id(&self, id: &str, args: &[(&'static str, Arg)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let value: FluentValue<'_> = match value {
                Arg::Text(text) => text.clone().into(),
                Arg::Number(n) => (*n).into(),
                Arg::Message(m) => self.format(m).into(),
            };
            fluent_args.set(*name, value);
        }
        let bundles = std::iter::once(&self.bundle).chain(self.fallback.as_ref());
        for bundle in bundles {
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                return bundle
                    .format_pattern(pattern, Some(&fluent_args), &mut errors)
                    .into_owned();
            }
        }
        id.to_owned()
    }
}

/// The bundle of `lang`'s catalog, without bidi isolation marks (they would reach the terminal).
fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(lang.catalog().to_owned()).unwrap_or_else(|(r, _)| r);
    let id = lang.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    bundle.add_resource_overriding(resource);
    bundle
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn language_from_the_environment_in_posix_order() {
        assert_eq!(Lang::choose(None, env(&[])), Lang::En);
        assert_eq!(
            Lang::choose(None, env(&[("LANG", "ja_JP.UTF-8")])),
            Lang::Ja
        );
        assert_eq!(Lang::choose(None, env(&[("LANG", "C")])), Lang::En);
        let both = [("LANG", "ja_JP.UTF-8"), ("LC_MESSAGES", "en_US.UTF-8")];
        assert_eq!(Lang::choose(None, env(&both)), Lang::En);
        let all = [("LANG", "en_US.UTF-8"), ("LC_ALL", "ja_JP.UTF-8")];
        assert_eq!(Lang::choose(None, env(&all)), Lang::Ja);
        let empty_all = [("LANG", "ja_JP.UTF-8"), ("LC_ALL", "")];
        assert_eq!(Lang::choose(None, env(&empty_all)), Lang::Ja);
        assert_eq!(
            Lang::choose(Some(Lang::En), env(&[("LANG", "ja_JP.UTF-8")])),
            Lang::En
        );
    }

    #[test]
    fn lang_flag_is_found_before_parsing() {
        assert_eq!(
            Lang::from_args(&["tebiki", "check", "--lang", "ja"]),
            Some(Lang::Ja)
        );
        assert_eq!(
            Lang::from_args(&["tebiki", "--lang=en", "build"]),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_args(&["tebiki", "build"]), None);
        assert_eq!(Lang::from_args(&["tebiki", "--", "--lang", "ja"]), None);
    }

    #[test]
    fn arguments_are_formatted_without_isolation_marks() {
        let m = msg!("unknown-field", field = "titel", expected = "`title`");
        let en = Localizer::new(Lang::En).format(&m);
        let ja = Localizer::new(Lang::Ja).format(&m);
        assert!(en.contains("`titel`"), "{en}");
        assert!(ja.contains("`titel`"), "{ja}");
        assert!(!en.contains('\u{2068}') && !ja.contains('\u{2068}'));
        assert_ne!(en, ja);
        assert_eq!(m.code(), Some("unknown-field"));
    }
}
