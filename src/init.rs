//! `tebiki init`: a new site in an empty folder — `site.yaml` and one small example guide
//! (three steps, one of them shared by two procedures, a timed window, a failure sign with its
//! remedy, a mock-up) that builds and passes `check` as it is. Japanese by default.
//!
//! The example guide is a draft (`draft: true`): `serve` shows it, `build` and `publish` leave
//! it out, so that it is never published beside the author's own guides by mistake.
//!
//! It refuses a folder that has anything in it, before writing anything.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::i18n::msg;

/// The language of the example.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Lang {
    Ja,
    En,
}

/// The files of a new site: (path relative to the site, text).
fn files(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::Ja => JA,
        Lang::En => EN,
    }
}

/// Creates the example site in `dir` (created if missing); the files written.
pub(crate) fn init(dir: &Path, lang: Lang) -> Result<Vec<PathBuf>> {
    if dir.exists() {
        let mut entries = crate::fs::read_dir(dir)
            .map_err(|e| anyhow::Error::new(e).context(msg!("io-read", path = dir)))?;
        if let Some(entry) = entries.next() {
            let name = entry.map_or_else(|_| "?".into(), |e| e.file_name());
            return Err(anyhow::Error::new(msg!(
                "init-not-empty",
                path = dir,
                name = name.to_string_lossy().into_owned()
            )));
        }
    }
    let mut written = Vec::new();
    let today = crate::new::today();
    for (rel, text) in files(lang) {
        let path = dir.join(rel);
        let text = text.replace(SAMPLE_DATE, &today);
        crate::edit::create(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// The date the example's texts hold, written as today's.
const SAMPLE_DATE: &str = "2026-01-01";

const JA: &[(&str, &str)] = &[
    (
        "site.yaml",
        "# サイト全体の設定。base_url は公開するアドレスに書き換えてください。\ntitle: わたしの手引き\nbase_url: https://example.com/\nlanguage: ja\ndescription: 設定の手順を、1ステップずつ図解で案内します。\nauthor: わたし\n# サイト内検索（どのページにも検索欄）。ガイドが何千ステップにもなったら、build が遅くなるので false に。\nsearch: true\n",
    ),
    (
        "content/notifications/guide.yaml",
        "# 手順の順番はここだけで決まります。番号（STEP1, STEP2, …）は自動で付きます。\ntitle: サンプルアプリで通知をオンにする方法\ndescription: サンプルアプリの通知をオンにして、テスト通知が届くことを確かめるまでの手順です。\npublished: 2026-01-01\n# 見本のガイドです。draft: true のあいだは tebiki build の出力にも WordPress にも出ません（tebiki serve では「下書き」の印つきで見られます）。\ndraft: true\nwindows:\n  - id: test-window\n    label: 1分以内\n    from: switch\n    to: confirm\n    note: スイッチを切り替えてから1分以内に、テスト通知が届いたかを確かめます。\nsections:\n  - id: main\n    kind: procedure\n    title: 通知をオンにする\n    steps:\n      - open-settings\n      - switch\n      - confirm\n  - id: undo\n    kind: procedure\n    title: 通知をオフに戻す\n    intro: うまくいかなかったときは、いったんオフに戻してからやり直します。\n    steps:\n      - open-settings\n      - switch\n  - id: trouble\n    kind: failure\n    title: うまくいかないとき\n    signs:\n      - id: no-test\n        symptom: テスト通知が届かない\n        cause: 端末の設定で、サンプルアプリの通知が止められていることがあります。\n        remedy: '[](@undo) でいったんオフに戻し、端末の設定を確かめてから [](@main) をやり直してください。'\n        arises_at: [confirm]\n",
    ),
    (
        "content/notifications/steps/open-settings.md",
        "---\ntitle: 設定を開く\n---\nサンプルアプリを起動し、右下の【設定】をタップします。\n\nこの手順は「通知をオンにする」と「通知をオフに戻す」の両方で使います。\n",
    ),
    (
        "content/notifications/steps/switch.md",
        "---\ntitle: 通知のスイッチを切り替える\nimage:\n  alt: 設定画面。「通知」の行が赤い枠で囲まれている\n  mockup:\n    screen: 設定\n    left: back\n    items:\n      - {kind: row, id: notify, text: 通知, detail: オフ, chevron: true}\n      - {kind: row, text: 表示, chevron: true}\n    highlight: [notify]\n---\n「通知」の行をタップして、スイッチを切り替えます。\n\n> [!TIP]\n> 切り替えると、すぐにテスト通知が送られます。[](@confirm) までを続けて進めましょう。\n",
    ),
    (
        "content/notifications/steps/confirm.md",
        "---\ntitle: テスト通知を確かめる\n---\n画面の上に「テスト通知です」と表示されれば完了です。\n\n届かないときは、[](@no-test) を見てください。\n",
    ),
];

const EN: &[(&str, &str)] = &[
    (
        "site.yaml",
        "# The site's settings. Set base_url to the address you publish at.\ntitle: My guides\nbase_url: https://example.com/\nlanguage: en\ndescription: Setting things up, one illustrated step at a time.\nauthor: Me\n# Site search (a box on every page). With thousands of steps it slows the build: set false.\nsearch: true\n",
    ),
    (
        "content/notifications/guide.yaml",
        "# The order of the steps is set here only; their numbers (STEP1, STEP2, ...) are computed.\ntitle: Turning on notifications in the sample app\ndescription: How to turn on the sample app's notifications and check that a test notification arrives.\npublished: 2026-01-01\n# An example guide. While it says draft: true it is left out of tebiki build and never published (tebiki serve shows it, marked Draft).\ndraft: true\nwindows:\n  - id: test-window\n    label: within 1 minute\n    from: switch\n    to: confirm\n    note: Check for the test notification within a minute of flipping the switch.\nsections:\n  - id: main\n    kind: procedure\n    title: Turn notifications on\n    steps:\n      - open-settings\n      - switch\n      - confirm\n  - id: undo\n    kind: procedure\n    title: Turn them off again\n    intro: If it did not work, turn them off first, then start again.\n    steps:\n      - open-settings\n      - switch\n  - id: trouble\n    kind: failure\n    title: When it does not work\n    signs:\n      - id: no-test\n        symptom: No test notification arrives\n        cause: The phone's own settings may block the sample app's notifications.\n        remedy: 'Turn them off with [](@undo), check the phone''s settings, then follow [](@main) again.'\n        arises_at: [confirm]\n",
    ),
    (
        "content/notifications/steps/open-settings.md",
        "---\ntitle: Open the settings\n---\nStart the sample app and tap **Settings** at the bottom right.\n\nBoth procedures, turning on and turning off, start with this step.\n",
    ),
    (
        "content/notifications/steps/switch.md",
        "---\ntitle: Flip the notifications switch\nimage:\n  alt: The settings screen, with the Notifications row framed in red\n  mockup:\n    screen: Settings\n    left: back\n    items:\n      - {kind: row, id: notify, text: Notifications, detail: 'Off', chevron: true}\n      - {kind: row, text: Display, chevron: true}\n    highlight: [notify]\n---\nTap the **Notifications** row to flip its switch.\n\n> [!TIP]\n> A test notification is sent at once: go on to [](@confirm) without a pause.\n",
    ),
    (
        "content/notifications/steps/confirm.md",
        "---\ntitle: Check the test notification\n---\nWhen \"This is a test notification\" appears at the top of the screen, you are done.\n\nIf nothing arrives, see [](@no-test).\n",
    ),
];
