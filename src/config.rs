//! `site.yaml`: the site's settings, and the labels the theme shows in the site's language.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::i18n::{Message, msg};
use crate::yaml::{self, Seg};

/// The name of the settings file in a site's root.
pub(crate) const CONFIG_FILE: &str = "site.yaml";

/// What `site.yaml` holds.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SiteConfig {
    pub title: String,
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub author: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub output_dir: Option<PathBuf>,
    /// Overrides of the UI labels (see [`Labels`]).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Anything the author wants to use in templates, as `site.extra`.
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The largest picture tebiki decodes, in megapixels (width × height / 1,000,000).
    #[serde(default = "default_max_megapixels")]
    pub max_megapixels: f64,
    /// The site's X (Twitter) account, `@name`, for `twitter:site`.
    #[serde(default)]
    pub twitter_site: Option<String>,
    /// `noindex` for a staging site: robots.txt disallows everything, every page says noindex.
    #[serde(default)]
    pub robots: Robots,
    /// A font file (inside the site) for the share cards, added to the system's fonts.
    #[serde(default)]
    pub og_font: Option<PathBuf>,
    /// Where `tebiki publish` puts the guides (never a password: see the README).
    #[serde(default)]
    pub publish: PublishConfig,
    /// How screenshots are encoded and shown.
    #[serde(default)]
    pub images: ImagesConfig,
    /// The characters who speak in balloons (`> [!SAY id]`), by id.
    #[serde(default)]
    pub characters: BTreeMap<String, Character>,
    /// How Markdown is read.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Site search (a box on the guide list, the guide pages and the 404 page; the index in
    /// `pagefind/`). Off unless `true`: indexing costs about 0.4 s per 1,000 steps when the
    /// pages changed (a 10,000-step site builds 5–20× slower), so a site turns it on.
    #[serde(default)]
    pub search: bool,
}

/// `markdown:` in site.yaml.
#[derive(Clone, Debug, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MarkdownConfig {
    /// A line break inside a paragraph between two East Asian wide characters (kanji, kana,
    /// full-width punctuation) is dropped instead of becoming a space (Goldmark's
    /// `east_asian_line_breaks`, simple style). On by default.
    #[serde(default = "yes")]
    pub east_asian_line_breaks: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        Self {
            east_asian_line_breaks: true,
        }
    }
}

fn yes() -> bool {
    true
}

/// A character of `characters:` in site.yaml.
#[derive(Clone, Debug, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Character {
    /// Shown under the avatar and read before the balloon's text.
    pub name: String,
    /// A picture in the site's `static/` folder, published at the same path without `static/`.
    pub avatar: String,
    /// Which side the character stands on.
    #[serde(default)]
    pub side: Side,
}

/// `side:` of a character.
#[derive(Clone, Copy, Debug, Default, Hash, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Side {
    #[default]
    Left,
    Right,
}

impl Side {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Left => "left",
            Self::Right => "right",
        }
    }
}

impl Character {
    /// The avatar's path in the output (`static/a/b.svg` is published as `a/b.svg`).
    pub(crate) fn avatar_url_path(&self) -> &str {
        self.avatar.strip_prefix("static/").unwrap_or(&self.avatar)
    }
}

/// `images:` in site.yaml.
#[derive(Clone, Debug, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImagesConfig {
    /// Lossy WebP quality, 0–100 (a picture's own `quality:` wins).
    #[serde(default = "default_quality")]
    pub quality: u8,
    /// Lossless WebP for every screenshot (a picture's own `lossless:` wins).
    #[serde(default)]
    pub lossless: bool,
    /// The widest a portrait (phone) screenshot or mock-up is drawn, in CSS pixels.
    #[serde(default = "default_portrait_width")]
    pub portrait_width: u32,
    /// Say under a screenshot that it shows an older version of the app than its guide's
    /// `app:` (off by default).
    #[serde(default)]
    pub stale_note: bool,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        Self {
            quality: default_quality(),
            lossless: false,
            portrait_width: default_portrait_width(),
            stale_note: false,
        }
    }
}

/// The default lossy quality: chosen by measurement on UI screenshots (see the README).
pub(crate) const DEFAULT_QUALITY: u8 = 50;

fn default_quality() -> u8 {
    DEFAULT_QUALITY
}

fn default_portrait_width() -> u32 {
    360
}

/// `publish:` in site.yaml.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PublishConfig {
    pub wordpress: Option<WordPressConfig>,
}

/// `publish: {wordpress: {url, user}}`: the blog and the user whose application password
/// publishes (the password comes from the environment or a file outside the site).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WordPressConfig {
    pub url: String,
    pub user: String,
    /// Whether the static site `tebiki build` makes is really published at `base_url`: only
    /// then may a post link to its pages (the guide list, a guide without a post). Off by
    /// default: a blogger whose only host is WordPress gets posts that stand alone.
    #[serde(default)]
    pub site_hosted: bool,
}

/// `@name`: 1 to 15 ASCII letters, digits or `_` (X's rule for account names).
fn is_x_handle(handle: &str) -> bool {
    handle.strip_prefix('@').is_some_and(|name| {
        (1..=15).contains(&name.len())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Whether search engines may index the site.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Robots {
    #[default]
    Index,
    Noindex,
}

fn default_max_megapixels() -> f64 {
    50.0
}

fn default_language() -> String {
    "ja".to_owned()
}

fn default_theme() -> String {
    "default".to_owned()
}

const LANGUAGES: [&str; 2] = ["ja", "en"];

/// Whether `url` can be the site's address: `/` (any host), or an absolute `http(s)://host/…`
/// URL without spaces, quotes or angle brackets. The error says what is wrong.
pub(crate) fn check_base_url(url: &str) -> Result<(), Message> {
    if url == "/" {
        return Ok(());
    }
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return Err(match lower.split_once(':') {
            Some((scheme, _))
                if !scheme.is_empty()
                    && scheme.bytes().all(|b| {
                        b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.'
                    }) =>
            {
                msg!("url-not-http", scheme = scheme)
            }
            _ => msg!("url-no-scheme", url = url),
        });
    };
    let _ = rest;
    if let Some(c) = url.chars().find(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`')
    }) {
        return Err(msg!("url-bad-character", character = format!("{c:?}")));
    }
    web_url(url).map(drop)
}

/// `text` as an absolute http(s) URL with a host, read by the project's one URL parser (the
/// `url` crate, WHATWG rules): for `base_url` and the blog's address alike.
pub(crate) fn web_url(text: &str) -> Result<url::Url, Message> {
    let parsed = url::Url::parse(text).map_err(|e| match e {
        url::ParseError::EmptyHost => msg!("url-no-host", url = text),
        other => msg!("url-not-url", url = text, error = other.to_string()),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(msg!("url-not-http", scheme = parsed.scheme()));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(msg!("url-no-host", url = text));
    }
    Ok(parsed)
}

/// A folder name that stays a folder name: no separators, not `.` or `..`, no controls.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', ':'])
        && !name.chars().any(char::is_control)
}

impl SiteConfig {
    /// Reads and checks `site.yaml` from `root`. `source` is its text (read by the caller).
    pub(crate) fn parse(path: &Path, source: &str) -> Result<Self, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let mut config: Self = match yaml::parse_strict(path, source, 0, source) {
            Ok(c) => c,
            Err(d) => {
                diagnostics.push(d);
                return Err(diagnostics);
            }
        };
        config.check_values(path, source, &mut diagnostics);
        if !LANGUAGES.contains(&config.language.as_str()) {
            let d = Diagnostic::error(msg!("unsupported-language", language = &config.language))
                .in_file(path)
                .with_hint(msg!(
                    "unsupported-language-hint",
                    languages = LANGUAGES.join(", ")
                ));
            diagnostics.push(yaml::point(d, source, 0, source, &[Seg::Key("language")]));
        }
        for key in config.labels.keys() {
            if !Labels::keys().any(|k| k == key) {
                let mut d = Diagnostic::error(msg!("unknown-label", key = key)).in_file(path);
                d = match did_you_mean(key, Labels::keys()) {
                    Some(close) => d.with_hint(msg!("did-you-mean", name = close)),
                    None => d.with_hint(msg!(
                        "known-labels-hint",
                        labels = Labels::keys().collect::<Vec<_>>().join(", ")
                    )),
                };
                diagnostics.push(yaml::point_key(
                    d,
                    source,
                    0,
                    source,
                    &[Seg::Key("labels"), Seg::Key(key)],
                ));
            }
        }
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        if diagnostics.has_errors() {
            Err(diagnostics)
        } else {
            Ok(config)
        }
    }

    /// The values serde accepts but tebiki cannot use: `base_url`, `theme`, `max_megapixels`.
    /// Character ids are plain words; avatars are files named inside `static/` (whether the
    /// file is there is checked with the site's files, [`crate::site`]).
    fn check_characters(&self, path: &Path, source: &str, diagnostics: &mut Diagnostics) {
        for (id, character) in &self.characters {
            let at = |key: Option<&'static str>, message: Message, hint: Message| {
                let d = Diagnostic::error(message).in_file(path).with_hint(hint);
                let mut segs = vec![Seg::Key("characters"), Seg::Key(id)];
                segs.extend(key.map(Seg::Key));
                if key.is_some() {
                    yaml::point(d, source, 0, source, &segs)
                } else {
                    yaml::point_key(d, source, 0, source, &segs)
                }
            };
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                diagnostics.push(at(
                    None,
                    msg!("character-bad-id", id = id),
                    msg!("character-bad-id-hint"),
                ));
            }
            let avatar = Path::new(&character.avatar);
            let inside_static = avatar.starts_with("static")
                && avatar.components().count() > 1
                && avatar
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)));
            if !inside_static {
                diagnostics.push(at(
                    Some("avatar"),
                    msg!("avatar-not-static", path = &character.avatar),
                    msg!("avatar-not-static-hint"),
                ));
            }
        }
    }

    fn check_values(&self, path: &Path, source: &str, diagnostics: &mut Diagnostics) {
        let at = |key: &'static str, message: Message, hint: Message| {
            let d = Diagnostic::error(message).in_file(path).with_hint(hint);
            yaml::point(d, source, 0, source, &[Seg::Key(key)])
        };
        if let Err(why) = check_base_url(&self.base_url) {
            diagnostics.push(at(
                "base_url",
                msg!("base-url-invalid", why = why),
                msg!("base-url-invalid-hint"),
            ));
        }
        if !is_plain_name(&self.theme) {
            diagnostics.push(at(
                "theme",
                msg!("theme-bad-name", theme = &self.theme),
                msg!("theme-bad-name-hint"),
            ));
        }
        if !(self.max_megapixels.is_finite()
            && self.max_megapixels >= 0.1
            && self.max_megapixels <= 1000.0)
        {
            diagnostics.push(at(
                "max_megapixels",
                msg!(
                    "max-megapixels-range",
                    value = self.max_megapixels.to_string()
                ),
                msg!("max-megapixels-range-hint"),
            ));
        }
        self.check_characters(path, source, diagnostics);
        let images = |key: &'static str, message: Message, hint: Message| {
            let d = Diagnostic::error(message).in_file(path).with_hint(hint);
            yaml::point(d, source, 0, source, &[Seg::Key("images"), Seg::Key(key)])
        };
        if self.images.quality > 100 {
            diagnostics.push(images(
                "quality",
                msg!("quality-range", value = self.images.quality),
                msg!("quality-range-hint"),
            ));
        }
        if !(120..=1200).contains(&self.images.portrait_width) {
            diagnostics.push(images(
                "portrait_width",
                msg!("portrait-width-range", value = self.images.portrait_width),
                msg!("portrait-width-range-hint"),
            ));
        }
        if let Some(handle) = &self.twitter_site
            && !is_x_handle(handle)
        {
            diagnostics.push(at(
                "twitter_site",
                msg!("twitter-site-invalid", handle = handle),
                msg!("twitter-site-invalid-hint"),
            ));
        }
    }

    /// The path part of `base_url` (`/docs/` of `https://example.com/docs/`): where root-relative
    /// links (404.html's) start.
    pub(crate) fn base_path(&self) -> &str {
        match self.base_url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => &self.base_url,
        }
    }

    /// The host of `base_url` (`example.com`, with its port if it has one), or the whole value
    /// when it has none (`/`).
    pub(crate) fn host(&self) -> String {
        match web_url(&self.base_url) {
            Ok(url) => match (url.host_str(), url.port()) {
                (Some(host), Some(port)) => format!("{host}:{port}"),
                (Some(host), None) => host.to_owned(),
                (None, _) => self.base_url.clone(),
            },
            Err(_) => self.base_url.clone(),
        }
    }

    /// The largest picture accepted, in pixels.
    pub(crate) fn max_pixels(&self) -> u64 {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked to be between 0.1 and 1000 megapixels"
        )]
        let pixels = (self.max_megapixels.clamp(0.1, 1000.0) * 1_000_000.0) as u64;
        pixels
    }

    /// The labels in the site's language, with the site's overrides applied.
    pub(crate) fn labels(&self) -> Labels {
        let mut labels = Labels::for_language(&self.language);
        for (key, value) in &self.labels {
            labels.0.insert(key.clone(), value.clone());
        }
        labels
    }
}

/// The words the theme and the reference texts use, by key.
#[derive(Clone, Debug, Serialize)]
#[serde(transparent)]
pub(crate) struct Labels(BTreeMap<String, String>);

/// Every label: (key, Japanese, English).
const LABELS: &[(&str, &str, &str)] = &[
    ("toc", "目次", "Contents"),
    ("step", "STEP", "Step "),
    ("step_range", "{from}〜{to}", "{from}–{to}"),
    ("step_in_section", "{section}の{step}", "{section}, {step}"),
    ("in_guide", "{guide}の{target}", "{guide}: {target}"),
    ("guides", "ガイド一覧", "Guides"),
    ("published", "公開日", "Published"),
    ("updated", "更新日", "Updated"),
    ("steps_count", "手順", "steps"),
    (
        "procedure_steps",
        "{section}：{count}ステップ",
        "{section}: {count} steps",
    ),
    (
        "steps_shared",
        "（うち{count}つは複数の手順に登場）",
        "({count} in more than one procedure)",
    ),
    ("window_start", "ここから{label}", "{label} starts here"),
    ("window_end", "ここまで{label}", "{label} ends here"),
    ("window_inside", "{label}（{range}）", "{label} ({range})"),
    (
        "timer_start",
        "タイマーを開始（{duration}）",
        "Start the timer ({duration})",
    ),
    ("timer_region", "タイマー（{label}）", "Timer ({label})"),
    ("timer_left", "残り {time}", "{time} left"),
    ("timer_until", "{step}まで", "until {step}"),
    ("timer_stop", "タイマーを止める", "Stop the timer"),
    ("timer_one_minute", "残り1分です。", "One minute left."),
    (
        "timer_ended",
        "時間切れです。{duration}が過ぎました。",
        "Time is up: {duration} have passed.",
    ),
    (
        "timer_ended_help",
        "次のようなときは、対処法に沿って進めてください。",
        "If one of these happened, follow its fix:",
    ),
    ("duration_hours", "{n}時間", "{n} h"),
    ("duration_minutes", "{n}分", "{n} min"),
    ("duration_seconds", "{n}秒", "{n} s"),
    ("duration_join", "", " "),
    ("progress_done", "できた", "Done"),
    ("progress_resume", "{step}から再開", "Resume at {step}"),
    ("progress_reset", "進み具合をリセット", "Reset progress"),
    ("progress_done_mark", "（できた）", " (done)"),
    (
        "progress_all_done",
        "すべてのステップができました。",
        "Every step is done.",
    ),
    ("ui_button", "【{text}】", "“{text}”"),
    ("ui_menu", "【{text}】", "“{text}”"),
    ("ui_screen", "「{text}」画面", "the “{text}” screen"),
    ("ui_field", "「{text}」欄", "the “{text}” field"),
    ("ui_message", "「{text}」", "“{text}”"),
    (
        "ui_notification",
        "「{text}」の通知",
        "the “{text}” notification",
    ),
    (
        "stale_screenshot",
        "{app} {version}の画面です。いまの画面とは違うところがあるかもしれません。",
        "This is {app} {version}; the app may look different now.",
    ),
    ("caution", "注意", "Caution"),
    ("tip", "ポイント", "Tip"),
    ("note", "補足", "Note"),
    (
        "shared_step",
        "この手順は{where}と共通です。",
        "This step also appears as {where}.",
    ),
    ("list_separator", "、", ", "),
    ("search", "サイト内を検索", "Search this site"),
    (
        "search_placeholder",
        "例：メンテナンス、認証",
        "e.g. maintenance, sign-in",
    ),
    ("search_count", "{n}件見つかりました", "{n} found"),
    (
        "search_none",
        "見つかりませんでした。ほかの言葉でも試してください。",
        "Nothing found. Try other words.",
    ),
    ("search_loading", "探しています…", "Searching…"),
    (
        "search_failed",
        "検索を読み込めませんでした。ページを再読み込みしてください。",
        "The search could not load. Reload the page.",
    ),
    ("draft", "下書き", "Draft"),
    ("legend_title", "図の見かた", "How to read the pictures"),
    (
        "legend_press",
        "赤い枠：押すところ",
        "Red frame: press here",
    ),
    (
        "legend_look",
        "青い点線：見るところ",
        "Blue dots: look here",
    ),
    (
        "legend_avoid",
        "禁止マーク：まだ押さないところ",
        "No-entry sign: do not press yet",
    ),
    ("back_to_top", "ページの先頭へ", "Back to top"),
    ("skip_to_content", "本文へ移動", "Skip to content"),
    ("card_steps", "{count}ステップ", "{count} steps"),
    ("card_guides", "手引き {count}本", "{count} guides"),
    (
        "not_found_title",
        "ページが見つかりません",
        "Page not found",
    ),
    (
        "not_found_text",
        "お探しのページは移動したか、削除された可能性があります。",
        "The page may have moved or been removed.",
    ),
    ("not_found_home", "手引きの一覧へ", "All guides"),
    ("failure_remedy", "対処法", "What to do"),
    ("troubleshooting", "うまくいかないときは", "Troubleshooting"),
    (
        "trouble_index",
        "トラブル解決ガイド",
        "Troubleshooting index",
    ),
    (
        "trouble_index_intro",
        "うまくいかないときは、見えている症状から探してください。",
        "Find what you see, then follow the fix.",
    ),
    ("arises_at", "起きる場所", "Where it happens"),
    ("cause", "原因", "Cause"),
    ("remedy_procedure", "解決する手順", "Fixed by"),
    (
        "remedied_here",
        "この手順で解決できるトラブル",
        "This procedure fixes",
    ),
    (
        "continue_to",
        "続けて「{section}」へ進む",
        "Continue with “{section}”",
    ),
    (
        "continued_from",
        "「{section}」を終えてやり直すときは、ここから進めます。",
        "Coming back from “{section}” to start over? Continue here.",
    ),
    ("filter", "症状で絞り込む", "Filter by symptom"),
    ("filter_placeholder", "例：メンテナンス", "e.g. maintenance"),
    ("filter_count", "{n}件", "{n} entries"),
    (
        "filter_none",
        "当てはまるトラブルはありません。",
        "No entry matches.",
    ),
];

impl Labels {
    /// The keys `labels:` in site.yaml may override.
    pub(crate) fn keys() -> impl Iterator<Item = &'static str> {
        LABELS.iter().map(|(key, _, _)| *key)
    }

    pub(crate) fn for_language(language: &str) -> Self {
        let english = language == "en";
        Self(
            LABELS
                .iter()
                .map(|(key, ja, en)| {
                    (
                        (*key).to_owned(),
                        (if english { *en } else { *ja }).to_owned(),
                    )
                })
                .collect(),
        )
    }

    pub(crate) fn get(&self, key: &str) -> &str {
        self.0.get(key).map_or("", String::as_str)
    }

    /// The badge of step `number`: "STEP9".
    pub(crate) fn step(&self, number: usize) -> String {
        format!("{}{number}", self.get("step"))
    }

    /// A length of time in words: "1分30秒", "1 min 30 s".
    pub(crate) fn duration(&self, seconds: u32) -> String {
        let parts = [
            ("duration_hours", seconds / 3600),
            ("duration_minutes", seconds / 60 % 60),
            ("duration_seconds", seconds % 60),
        ];
        parts
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(key, n)| self.fill(key, &[("n", &n.to_string())]))
            .collect::<Vec<_>>()
            .join(self.get("duration_join"))
    }

    /// The text of a range of steps: "STEP9〜STEP22".
    pub(crate) fn step_range(&self, from: usize, to: usize) -> String {
        self.fill(
            "step_range",
            &[("from", &self.step(from)), ("to", &self.step(to))],
        )
    }

    /// Fills `{name}` placeholders of label `key`, in one pass (a placeholder the label does
    /// not know stays as written; a value is not searched for placeholders).
    pub(crate) fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let template = self.get(key);
        let room = values.iter().map(|(_, value)| value.len()).sum::<usize>();
        let mut out = String::with_capacity(template.len() + room);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let filled = after.find('}').and_then(|close| {
                let value = values.iter().find(|(name, _)| *name == &after[..close])?;
                Some((value.1, close))
            });
            if let Some((value, close)) = filled {
                out.push_str(value);
                rest = &after[close + 1..];
            } else {
                out.push('{');
                rest = after;
            }
        }
        out.push_str(rest);
        out
    }
}

/// A label `text` around its first `placeholder` (`{step}`, which starts with `{`), for the
/// callers that measure a filled label without filling it: each `{` found by its byte, then
/// compared, as [`Labels::fill`] reads them (`split_once` set up a substring searcher for each
/// of a page's references).
pub(crate) fn split_at_placeholder<'t>(
    text: &'t str,
    placeholder: &str,
) -> Option<(&'t str, &'t str)> {
    let (at, _) = text
        .match_indices('{')
        .find(|(at, _)| text[*at..].starts_with(placeholder))?;
    Some((&text[..at], &text[at + placeholder.len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_filled_once() {
        let labels = Labels(BTreeMap::from([(
            "t".to_owned(),
            "{a}と{b}、{c}と{a".to_owned(),
        )]));
        let filled = labels.fill("t", &[("a", "{b}"), ("b", "B")]);
        // The same as replacing each placeholder in turn, except that a value is left as it is.
        assert_eq!(filled, "{b}とB、{c}と{a");
        assert_eq!(labels.fill("none", &[("a", "A")]), "");
        let ja = Labels::for_language("ja");
        assert_eq!(ja.step_range(9, 22), "STEP9〜STEP22");
    }

    #[test]
    fn durations_in_words() {
        let ja = Labels::for_language("ja");
        assert_eq!(ja.duration(300), "5分");
        assert_eq!(ja.duration(90), "1分30秒");
        assert_eq!(ja.duration(3600 + 5), "1時間5秒");
        let en = Labels::for_language("en");
        assert_eq!(en.duration(90), "1 min 30 s");
    }

    #[test]
    fn defaults_and_trailing_slash() {
        let c = SiteConfig::parse(
            Path::new("site.yaml"),
            "title: T\nbase_url: https://x.test\n",
        )
        .unwrap();
        assert_eq!(c.language, "ja");
        assert_eq!(c.theme, "default");
        assert_eq!(c.base_url, "https://x.test/");
        assert_eq!(c.labels().step(9), "STEP9");
    }

    #[test]
    fn label_overrides_apply_and_typos_are_caught() {
        let c = SiteConfig::parse(
            Path::new("site.yaml"),
            "title: T\nbase_url: /\nlabels:\n  toc: もくじ\n",
        )
        .unwrap();
        assert_eq!(c.labels().get("toc"), "もくじ");
        let err = SiteConfig::parse(
            Path::new("site.yaml"),
            "title: T\nbase_url: /\nlabels:\n  tco: x\n",
        )
        .unwrap_err();
        let d = err.iter().next().unwrap();
        assert_eq!(
            d.hint.as_ref().map(ToString::to_string).as_deref(),
            Some("did you mean `toc`?")
        );
        assert_eq!(d.position.map(|p| p.line), Some(4));
    }
}
