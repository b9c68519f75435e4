# tebiki のメッセージ(日本語)。id は locales/en/tebiki.ftl と同じ(`check --format json` の
# `code` になるので変えないこと)。引数も同じものを使う(tests/lang.rs が確かめる)。
# コード・ファイル名・YAML のキーは英語版と同じくバッククォートで囲む。

## 診断の枠

level-error = エラー
level-warning = 警告
level-help = ヒント
the-site = サイト
current-folder = 今のフォルダー
more-problems = … { $file } にはほかに { $count } 件の問題があります(上のものを直してから、もう一度実行してください)
errors-found = エラー { $errors } 件{ $warnings ->
        [0] {""}
       *[other] 、警告 { $warnings } 件
    }
label-first-one = 一つ目はここ
did-you-mean = `{ $name }` のことですか?
use-one-of = { $names } のどれかを使ってください
cannot-read = { $what } を読めませんでした: { $error }

## YAML

this-value = この値
found-sequence = リスト
found-mapping = マッピング
one-of-nothing = なし
one-of-two = `{ $a }` か `{ $b }`
one-of-many = { $names } のどれか
missing-field = フィールド `{ $field }` がありません
missing-field-hint = ここに `{ $field }: …` を書いてください
unknown-field = 不明なフィールド `{ $field }` です(書けるのは { $expected })
unknown-field-none = 不明なフィールド `{ $field }` です(ここにはフィールドを書けません)
remove-field = `{ $field }` を消してください
remove-field-known = `{ $field }` を消してください。ここに書けるフィールドは { $known } です
unknown-variant = `{ $variant }` は使えない値です(使えるのは { $expected })
yaml-empty-value = { $path }値が空です。テキストを書いてください
yaml-empty-value-hint = コロンの後にテキストを書いてください(テキストなしなら "")
yaml-second-document = ここから二つ目の YAML 文書が始まっています(`---` の行)
yaml-second-document-hint = 一つのファイルに文書は一つだけです。この `---` の行を消してください
yaml-unknown-anchor = このエイリアス(`*name`)が指すアンカー(`&name`)が、これより前に書かれていません
yaml-unknown-anchor-hint = 値をそのまま書くか、先に `&name` を定義してください
yaml-duplicate-key-unnamed = 同じマッピングに同じキーが二回書かれています
yaml-duplicate-key = 同じマッピングに `{ $key }` が二回書かれています
yaml-duplicate-key-hint = 二つの `{ $key }` のどちらかを残してください
yaml-keep-one = どちらか一つを残してください。一つ目の `{ $key }` は { $line } 行目です
yaml-wrong-kind = { $path }値の種類が違います: { $found } ではなく { $expected } を書いてください
kind-mapping = マッピング(`キー: 値` の行)
kind-mapping-hint = ここにはリストや単独の値ではなく、`キー: 値` の行を書いてください
kind-text = テキスト
kind-text-hint = この値はふつうのテキストとして書いてください。`[`、`{"{"}`、`@`、`*`、`&` で始まるときは引用符で囲みます
kind-list = リスト(`- 項目` の行か `[a, b]`)
kind-list-hint = 1 行に一つずつ `- 項目` と書くか、`[a, b]` と書いてください
kind-whole-number = 整数
kind-whole-number-hint = 数字だけを書いてください(例: `3`)
kind-number = 数値
kind-number-hint = 数値を書いてください(例: `12.5`)
kind-bool = true か false
kind-bool-hint = `true` か `false` を書いてください
yaml-tab = この行はタブで字下げされていますが、YAML で使えるのはスペースだけです
yaml-tab-hint = YAML の字下げはタブではなくスペースです。この行のタブをスペースに置き換えてください
yaml-unclosed-quote = 引用符で始まったテキストが閉じられていません
yaml-unclosed-quote-hint = 引用符で始まったテキストが閉じられていません。閉じる引用符を足してください
yaml-unclosed-list = `[` で始まったリストが閉じられていません
yaml-unclosed-list-hint = `]` を足すか、リストを 1 行ずつ `- 項目` で書いてください。テキストが `[` で始まるときは引用符で囲みます
yaml-unclosed-mapping = `{"{"}` で始まったマッピングが閉じられていません
yaml-unclosed-mapping-hint = `{"}"}` を足してください。テキストが `{"{"}` で始まるときは引用符で囲みます
yaml-mismatched-close = `{ $open }` が `{ $close }` で閉じられています
yaml-mismatched-close-hint = `[` は `]` で、`{"{"}` は `{"}"}` で閉じてください
yaml-colon = 新しいキーを始められない場所に `: ` があります
yaml-colon-hint = 値に `: ` が含まれています。値全体を引用符で囲むか、この行の字下げを確かめてください
yaml-reserved-start = 値を `{ $character }` で始めることはできません
yaml-reserved-start-hint = 値を引用符で囲んでください。YAML では `@`、`` ` ``、`%` などで始まる値は特別な意味を持ちます
yaml-key-indent = この行の字下げが周りのキーとそろっていません
yaml-key-indent-hint = この行の字下げを確かめてください。上のキーと同じ位置にそろえます
yaml-item-indent = この行の字下げが周りのリスト項目とそろっていません
yaml-item-indent-hint = この行の字下げを確かめてください。リストの項目は同じ位置にそろえます
yaml-too-deep = 入れ子の上限を超えました: 値の入れ子が深すぎます
yaml-too-deep-hint = この YAML は入れ子が深すぎます。ガイドに必要なのは数段だけです
yaml-too-many-aliases = 繰り返しの上限を超えました: この YAML は大きくなりすぎます
yaml-too-many-aliases-hint = この YAML はエイリアス(`*name`)を繰り返し使いすぎていて、大きくなりすぎます。値をそのまま書いてください

## check

placeholder = 「{ $text }」はひな形のテキストのままです
placeholder-hint = ここにガイドの言葉を書いてください(tebiki new が置き換え用に入れたテキストです)
stale-screenshot = { $step } のスクリーンショットは { $app } { $captured } のもので、ガイドが説明する { $version } より古いです
stale-trouble-picture = トラブル項目 `{ $id }` の画像は { $app } { $captured } のもので、ガイドが説明する { $version } より古いです
retake-screenshot = { $app } { $version } でスクリーンショットを撮り直し、`captured: {"{"}version: "{ $version }"{"}"}` と書いてください
link-leaves-site = `{ $dest }` はサイトの外を指しています
link-no-target = `{ $dest }` が指す `{ $target }` はサイトにありません
link-no-fragment = `{ $dest }`: ページ `{ $target }` に id が `{ $fragment }` の要素はありません{ $close }
fragment-did-you-mean = (`#{ $name }` のことですか?)
broken-link = リンク切れ: { $problem }
broken-link-hint = パス(ページからの相対パス)を直すか、ファイルをガイドのフォルダーに置いてください
broken-template-link = ページ { $page } にリンク切れがあります: { $problem }
broken-template-link-hint = このリンクはテンプレートが作ったものです。テーマのテンプレートを確かめてください

## ファイルとパス

not-utf8 = このファイルは UTF-8 のテキストではありません: { $line } 行 { $column } 列目のバイト { $byte } は UTF-8 として正しくありません
not-utf8-hint = ファイルを UTF-8 で保存してください(Shift_JIS や EUC-JP のファイルは変換が必要です。例: `iconv -f SHIFT_JIS -t UTF-8`)
permissions-hint = ファイルと、その上のフォルダーのアクセス権を確かめてください
not-regular = これは { $kind } で、ふつうのファイルではありません
not-regular-hint = tebiki が読むのはふつうのファイルだけです。ふつうのファイルに置き換えるか、消してください
too-large = 大きさが { $size } で、上限の { $limit } を超えています
too-large-hint = 小さなファイルに分けてください。どうしてもこの大きさが必要なら、{ $variable } にメガバイト数を設定します
path-not-relative = { $what } はサイトのフォルダーの中を指すパスではありません
path-outside = { $what } はサイトのフォルダーの外にあります
path-links-out = { $what } へは、サイトのフォルダーの外へ出るリンクを通ってたどり着きます
path-special = { $what } は { $kind } で、ふつうのファイルではありません
path-io = { $what } を調べられませんでした: { $error }
path-inside-hint = { $noun }はサイトのフォルダー(site.yaml のあるフォルダー)の中に置き、ガイドのフォルダーからの相対パスで書いてください
path-links-out-hint = { $noun }へリンクするのではなく、サイトのフォルダーにコピーしてください
path-special-hint = tebiki が読むのはふつうのファイルだけです。{ $noun }をふつうのファイルに置き換えるか、消してください
noun-file = ファイル
noun-step-file = 手順のファイル
noun-font = フォント
noun-avatar = アバター画像
noun-picture = 画像
noun-guide-folder = ガイドのフォルダー

## コマンドラインのまとめ

wrote-file = { $file } を書きました
build-summary = ガイド { $guides } 件をビルドしました(手順 { $steps }、ページ { $pages }、ファイル { $files }。画像: 変換 { $encoded }、キャッシュから { $reused }。シェア画像: 描画 { $cards })。出力先 { $output }、{ $ms } ms
build-stale-screenshots = { $count } 枚のスクリーンショットが、ガイドの説明するものより古いバージョンのアプリを写しています。`tebiki check` で一覧できます
build-stopped = ビルドを中止しました。前回の出力はそのままです
check-no-problems = 問題は見つかりませんでした
check-only-warnings = エラーはありません(上の警告だけです)
fix-nothing-changed = 何も変更していません
fix-nothing = 直すものはありません: 語彙の UI テキストはすべて参照で書かれ、注釈にはすべてアンカーがあります
fix-summary = 手書きの UI テキスト { $texts } 件を直し、注釈 { $moved } 件の新しい位置を書き、図 { $recorded } 件のアンカーを記録しました(ファイル { $files } 件)
where-count = `{ $id }` を使っている場所: { $count } 件
where-nowhere = `{ $id }` はこのサイトのどこにも書かれていません{ $close }
did-you-mean-suffix = (`{ $name }` のことですか?)
init-created = { $dir } に新しいサイトを作りました(ファイル { $files } 件)。次は:
    {"  "}cd { $dir }
    {"  "}tebiki serve    # http://127.0.0.1:1111/ でプレビュー
    {"  "}tebiki build    # public/ にサイトを書き出す

## publish の報告

publish-nothing-published = 何も公開していません。ブログはそのままです
publish-note = 注: { $note }
publish-css-heading = --- テーマの「追加 CSS」に入れる CSS ---
publish-dry-run = 試行のみ(--dry-run): { $blog } では何も変更していません
publish-post = (投稿 { $id }、{ $link })
publish-refused = { $guide }: 見送り{ $post }: tebiki が前回書いたあと、ブログ上で編集されています({ $modified } UTC)。そのままにしました
publish-refused-hint = ヒント: 変更をガイドのソースに取り込んでもう一度公開するか、--force で上書きしてください
publish-guide = { $guide }: { $action }{ $post }。画像: { $dry ->
        [1] アップロード予定 { $uploaded }、アップロード済み { $reused }
       *[0] アップロード { $uploaded }、再利用 { $reused }
    }
publish-created = 作成しました
publish-updated = 更新しました
publish-would-create = 作成します
publish-would-update = 更新します
publish-leaves = ブログの外へのリンク: { $link }
publish-lands-nowhere = ブログのどこにも行き着かないリンク: { $link }

## serve

serve-cannot-watch = サイトのファイルを監視できませんでした(--poll を試してください)
serve-stopped = 停止しました
serve-root-replaced = サイトのフォルダー { $folder } が置き換えられました。新しいほうを表示します
serve-root-gone = サイトのフォルダー { $folder } がなくなったか、サイトがありません。戻るまで最後の版を表示し続けます
serve-reachable = --bind { $bind } でプレビューがネットワークから見えます。このマシンに届く人は誰でも下書きを読めます
serve-no-address = ネットワークのアドレスが見つかりませんでした。スマートフォンでこのマシンのアドレスのポート { $port } を開いてください
serve-phone = 同じネットワークのスマートフォンでは { $urls } を開いてください
serve-serving = { $root } を { $url } で表示しています(Ctrl-C で停止)
serve-previous-stays = 前回うまくいった版を表示し続けます
serve-built = { $again ->
        [1] 再ビルドしました
       *[0] ビルドしました
    }({ $ms } ms、ファイル { $files } 件)
serve-port-taken = ポート { $port } は使用中です。{ $other } を使います
serve-cannot-listen = { $ip } のポート { $port }–{ $last } で待ち受けられませんでした: { $error }
serve-no-browser = ブラウザーを開けませんでした。{ $url } を自分で開いてください
overlay-first-failed = ビルドに失敗したため、まだ表示できるものがありません。下の問題を直して保存してください。
overlay-last-failed = 最後のビルドに失敗しました。これは前回うまくいった版です。下の問題を直して保存してください。

## 参照(`@id`)

ref-no-guide = ガイド `{ $slug }` はありません
ref-no-guide-hint = content/ の下にあるガイドのフォルダー名を書いてください
ref-unlisted-hint = steps/{ $id }.md はありますが、どの手順セクションにも載っていません。guide.yaml の手順セクションの `steps:` に `- { $id }` を足すか、この参照を直してください
ref-unknown-hint = `{ $guide }` の手順・セクション・トラブル項目の id を書いてください(手順ファイルの名前から .md を除いたもの)
ref-unknown = 不明な参照 `@{ $id }` です: この id の手順・セクション・トラブル項目はありません
ref-range-apart = 範囲 `@{ $a }..{ $b }`: `{ $b }` は `{ $a }` と同じ手順セクションにありません
ref-range-apart-hint = 範囲は一つの手順セクションの二つの手順の間を指します
ref-range-backwards = 範囲 `@{ $a }..{ $b }` が逆向きです
ref-range-backwards-hint = `@{ $b }..{ $a }` と書いてください
ref-not-a-step = `{ $id }` は手順ではありません。範囲は二つの手順の間を指します
ref-not-a-step-hint = 同じ手順セクションの手順を二つ書いてください
ref-no-section = セクション `{ $section }` はありません
ref-no-section-hint = 手順セクションの id を書いてください
ref-section-lacks-step = セクション `{ $section }` に手順 `{ $step }` はありません
ref-section-lacks-step-hint = セクション `{ $section }` はこの手順を載せていません

## Markdown

no-character = キャラクター `{ $id }` はありません
no-characters-hint = site.yaml の `characters:` にキャラクターを定義してください(name、avatar、side)
characters-are-hint = site.yaml のキャラクターは { $names } です
script-hint = tebiki は生の HTML を書かれたとおりに公開します。スクリプトを消すか、見せたいコードなら `code` として書いてください
script-warning = 本文に { $what } が含まれています。これは読者のブラウザーで実行されます

## site.yaml

no-config = { $root } に { $file } がありません
no-config-hint = サイトのフォルダーで tebiki を実行するか、site.yaml のあるフォルダーを --root で指定してください
the-font = フォント `{ $path }`
the-avatar = アバター画像 `{ $path }`
og-font-missing = { $what }(site.yaml の `og_font:`)がありません
og-font-missing-hint = `og_font:` にはサイトの中の .ttf、.otf、.ttc ファイルを指定してください
avatar-missing = キャラクター `{ $id }` の{ $what }がありません
avatar-missing-hint = 画像を static/ に置くか、パスを直してください

## 画像

picture-missing = { $what } がありません
picture-missing-hint = { $path } にファイルを置くか、`image:` を消して枠を空けてください

## guide.yaml: セクション・手順・待ち時間

continue-to-itself-hint = セクションを自分自身に続けることはできません
continue-to-other-hint = ほかのセクションの id を書いてください
continue-to-unknown = セクション `{ $section }` の続き先 `{ $next }` は、このガイドのほかのセクションではありません
step-listed-twice = 手順 `{ $step }` がセクション `{ $section }` に二回載っています
step-listed-twice-hint = 一つの手順セクションに同じ手順は一回だけです。どちらかを消してください
not-a-date = `{ $value }` は日付ではありません
not-a-date-hint = 実在する日付を YYYY-MM-DD で書いてください(例: 2026-11-27)
no-sections = このガイドにはセクションがありません
no-sections-hint = `id`、`kind: procedure`、`title`、`steps` を持つセクションを少なくとも一つ足してください
field-not-in-kind = { $kind } のセクションに `{ $field }` は書けません
field-not-in-kind-hint = `{ $field }` は `kind: { $owner }` のセクションに書くものです。kind を変えるか、`{ $field }` を消してください
section-empty = セクション `{ $section }` に { $field } がありません
section-empty-hint = セクションに `{ $field }:` を足してください
window-duplicate = 待ち時間の id `{ $id }` が重複しています
window-duplicate-hint = 待ち時間にはそれぞれ別の id を付けてください
window-duration = 時間 `{ $text }`: { $problem }
window-duration-hint = `5m`、`90s`、`1m30s`、`5分` のように書いてください
window-no-step = 待ち時間 `{ $id }`: 手順 `{ $step }` はありません
window-no-step-hint = ガイドの手順セクションに載っている手順を書いてください
window-section-lacks = 待ち時間 `{ $id }`: セクション `{ $section }` には `{ $from }` と `{ $to }` の両方は載っていません
window-section-lacks-hint = 両方の手順が載っている手順セクションを書いてください
window-apart = 待ち時間 `{ $id }`: `{ $from }` と `{ $to }` は同じ手順セクションにありません
window-apart-hint = 待ち時間は一つの手順セクションの二つの手順の間に置きます
window-backwards = 待ち時間 `{ $id }` の終わり `{ $to }` が、始まり `{ $from }` より前にあります
window-backwards-hint = `from` と `to` を入れ替えてください
window-ambiguous = 待ち時間 `{ $id }`: `{ $from }` と `{ $to }` の両方を載せた手順セクションが複数あります
window-ambiguous-hint = `section: <id>` を足して、どの手順セクションの待ち時間かを書いてください

## content/ とガイドのフォルダー

folder-not-guide = フォルダー { $folder } には guide.yaml がないので、ビルドされません
folder-not-guide-hint = ガイドにするなら guide.yaml を置き、そうでなければフォルダーを content/ の外へ移してください
no-content-folder = { $folder } に content フォルダーがありません
no-content-folder-hint = `content/<ガイドのスラッグ>/guide.yaml` を作るか、サイトのフォルダーを --root で指定してください
guide-file-is-folder = guide.yaml がファイルではなくフォルダーです
guide-file-is-folder-hint = ガイドのフォルダーには guide.yaml ファイルと steps/ フォルダーを置きます
guide-file-yml = ガイドのファイル名は guide.yaml にしてください
guide-file-yml-hint = guide.yml を guide.yaml に名前を変えてください
the-file = ファイル { $path }
the-folder = フォルダー { $path }
the-guide-folder = ガイドのフォルダー { $path }
the-step-file = 手順 `{ $step }` のファイル({ $written })
folder-permissions-hint = フォルダーのアクセス権を確かめてください。tebiki が一覧して読めなければなりません
step-file-is-folder = { $what } がファイルではなくフォルダーです
step-file-is-folder-hint = 手順の .md ファイルを指定してください(例: { $folder }/{ $step }.md)
step-two-files = 手順 `{ $id }` に二つの別のファイルが指定されています: ここでは { $second }、{ $at } では { $first }
step-two-files-hint = 一つの id は一つの手順を指します。もう一方の手順に別の id を付けるか、両方で同じファイルを指定してください
step-two-files-label = ここでは `{ $id }` は { $file }
step-no-file = 手順 `{ $id }` のファイルがありません: { $path } は存在しません
step-no-file-close-hint = `{ $name }` のことですか?(steps/{ $name }.md はあります)
step-no-file-hint = `title:` のフロントマターを書いた { $path } を作るか、id を直してください
step-unlisted = 手順 `{ $id }` はどの手順セクションにも載っていないので、表示されません
step-unlisted-hint = guide.yaml の手順セクションの `steps:` に `- { $id }` を足すか、ファイルを消してください

## --help: help-コマンド はコマンドの説明、help-コマンド--引数 は引数の説明

help-usage = 使い方:
help-heading-commands = コマンド
help-heading-options = オプション
help-heading-arguments = 引数
help-flag-help = ヘルプを表示する
help-flag-version = バージョンを表示する
help = 図解つきの手順ガイドを作る静的サイトジェネレーター
help--lang = tebiki のメッセージの言語(省略時は `LC_ALL`、`LC_MESSAGES`、`LANG` から決める。`ja_JP.UTF-8` などなら日本語、それ以外は英語)。`init` では作る例の言語も兼ねる
help-build = サイトを出力フォルダーにビルドする(省略時: public/)
help-build--root = サイトのフォルダー(site.yaml のある場所)
help-build--output-dir = サイトを書き出す場所(省略時: site.yaml の `output_dir`、なければサイトのフォルダーの public/)
help-build--base-url = サイトを公開する URL(site.yaml の `base_url` より優先)
help-build--drafts = `draft: true` のガイドもビルドする(確認用。公開には使わないこと)
help-check = 何も書き出さずにサイトを検査する: ソース、参照、リンク、トラブル項目
help-check--root = サイトのフォルダー(site.yaml のある場所)
help-check--format = 問題の報告の形式: 人が読む形か、エディターや CI 向けの JSON か
help-check--fix = 手書きの UI テキストを語彙(ui.yaml)への参照に書き換える(先に差分を表示する)
help-check--where-used = 検査の代わりに、この id が書かれている場所をすべて `ファイル:行:列` で一覧する: UI テキスト(`@id` か `id`)、手順、セクション、トラブル項目
help-serve = ライブリロードつきでサイトをプレビューする(メモリー上でビルドし、public/ には触れない)
help-serve--root = サイトのフォルダー(site.yaml のある場所)
help-serve--bind = 待ち受けるアドレス(既定はループバック。スマートフォンから見るなら 0.0.0.0)
help-serve--port = ポート番号(使用中なら次の空きポートを使う。0 なら任意)
help-serve--open = 既定のブラウザーでプレビューを開く
help-serve--poll = 変更の通知がないファイルシステム(WSL、Docker のボリューム、ネットワークドライブ)向けに、ポーリングで監視する
help-serve--allow-hosts = このホスト名へのリクエストにも応える(localhost とこのマシンのアドレスのほかに)。複数回指定できる
help-serve--allow-edit = プレビューがネットワークから見えるとき(`--bind 0.0.0.0`)も、ページから注釈を保存できるようにする。ループバックでは常に保存できる
help-init = 新しいサイトを始める: 空か新しいフォルダーに site.yaml と小さな例のガイドを作る
help-init--dir = 新しいサイトのフォルダー(なければ作る。空であること)
help-new = ガイドや手順を足す(ファイルと、guide.yaml の id)
help-new-guide = 新しいガイド: content/SLUG/guide.yaml と最初の手順
help-new-guide--slug = ガイドのフォルダー名。URL に使う(英小文字、数字、`-`)
help-new-guide--app = ガイドが説明するアプリ(`app: name:` として書く)
help-new-guide--app-version = ガイドが説明するアプリのバージョン。例: 12.1(`app: version:` として書く)
help-new-guide--root = サイトのフォルダー(site.yaml のある場所)
help-new-section = GUIDE の guide.yaml の最後に新しいセクションを足す(手順セクションなら最初の手順も作る)
help-new-section--guide = ガイドのフォルダー名
help-new-section--id = セクションの id(ページ上のアンカー)
help-new-section--kind = セクションの種類
help-new-section--title = タイトル(省略時: `check` が指摘する仮のテキスト)
help-new-section--root = サイトのフォルダー(site.yaml のある場所)
help-new-step = 新しい手順: content/GUIDE/steps/ID.md を作り、guide.yaml に ID を足す(既定では最初の手順セクションの最後)
help-new-step--guide = ガイドのフォルダー名
help-new-step--id = 手順の id(.md を除いたファイル名)
help-new-step--after = この手順の後に置く
help-new-step--section = この手順セクションの最後に置く(--after と一緒なら、その手順をここで探す)
help-new-step--root = サイトのフォルダー(site.yaml のある場所)
help-publish = ガイドをほかの場所に公開する(今は `WordPress` ブログの投稿として)
help-publish-wordpress = 各ガイドを `WordPress` ブログの投稿として REST API で公開する: 初回に作成し、以降は同じ投稿を更新する。画像のアップロードは一度だけ。アプリケーションパスワードは `TEBIKI_WP_APP_PASSWORD` か `~/.config/tebiki/credentials` から読む
help-publish-wordpress--root = サイトのフォルダー(site.yaml のある場所)
help-publish-wordpress--guide = このガイドだけ(フォルダー名)
help-publish-wordpress--status = 投稿の状態(省略時: 新しい投稿は下書き。既存の投稿は今の状態のまま)
help-publish-wordpress--dry-run = 何をするかと投稿のブロックマークアップを表示するだけで、どこも変更しない
help-publish-wordpress--url = ブログのアドレス(site.yaml の publish.wordpress.url より優先)
help-publish-wordpress--user = WordPress のユーザー(site.yaml の publish.wordpress.user より優先)
help-publish-wordpress--force = tebiki が前回書いたあとブログ上で編集された投稿も上書きする(指定しなければその投稿はそのままにし、ブログで何が変わったかを表示する)
help-publish-wordpress--format = 報告の形式: 人が読む形か JSON か
help-completions = シェルの補完スクリプトを出力する(例: `tebiki completions bash > ~/.local/share/bash-completion/completions/tebiki`)
help-completions--shell = シェル

## site.yaml の値

url-not-http = `{ $scheme }:` は http でも https でもありません
url-no-scheme = `{ $url }` に `https://` がありません
url-bad-character = URL に使えない文字 { $character } が含まれています
url-no-host = `{ $url }` にホスト名がありません
url-not-url = `{ $url }` は URL ではありません({ $error })
unsupported-language = 対応していない言語 `{ $language }` です
unsupported-language-hint = { $languages } のどれかを使ってください。ラベルは `labels:` で書き換えられます
unknown-label = 不明なラベル `{ $key }` です
known-labels-hint = 使えるラベル: { $labels }
character-bad-id = `{ $id }` はキャラクターの id に使えません
character-bad-id-hint = 英数字と `-`、`_` を使ってください(例: `guide`)。吹き出しでは `> [!SAY guide]` のように書きます
avatar-not-static = アバター画像 `{ $path }` が static/ の中のファイルではありません
avatar-not-static-hint = 画像をサイトの static/ フォルダーに置き、そのパスを書いてください(例: `avatar: static/avatars/guide.svg`)
base-url-invalid = `base_url` にはサイトのアドレスを、http(s) の絶対 URL で書いてください: { $why }
base-url-invalid-hint = サイトを公開するアドレスを書いてください(例: https://example.com/。どのホストでもルートに置くなら /)
base-url-flag-hint = --base-url にはサイトを公開するアドレスを指定してください(例: https://example.com/)
theme-bad-name = `{ $theme }` はテーマの名前に使えません
theme-bad-name-hint = themes/ の中のフォルダー名を書いてください(例: `theme: default`)
max-megapixels-range = `max_megapixels: { $value }` は範囲外です
max-megapixels-range-hint = 0.1 から 1000 までのメガピクセル数を書いてください(既定は 50。スマートフォンのスクリーンショットは約 3)
quality-range = `quality: { $value }` が 100 を超えています
quality-range-hint = WebP の品質を 0 から 100 で書いてください(既定は 50。ピクセルまで正確にするなら `lossless: true`)
portrait-width-range = `portrait_width: { $value }` は範囲外です
portrait-width-range-hint = 縦長のスクリーンショットを表示する最大の幅を、CSS ピクセルで 120 から 1200 の間で書いてください(既定は 360)
twitter-site-invalid = `{ $handle }` は X(Twitter)のアカウント名ではありません
twitter-site-invalid-hint = アカウントは `@name` の形で書いてください(`@` の後に英数字と `_` を 15 文字まで)

## id と名前

slug-taken = ガイドのフォルダー名 `{ $slug }` は、tebiki 自身の出力 `{ $slug }` と重なります
slug-taken-hint = フォルダー名を変えてください(例: `{ $slug }-guide`)
slug-invalid = ガイドのフォルダー名 `{ $slug }` は URL のスラッグに使えません
slug-invalid-hint = 英小文字(ASCII)、数字、`-` を使ってください(例: `zaim-amazon`)
id-reserved = id `{ $id }` はテーマ用に予約されています
id-reserved-hint = ほかの id を選んでください(`{ $prefix }` で始まる id はテーマのものです)
id-invalid = `{ $id }` は id に使えません
id-invalid-hint = 英小文字(ASCII)、数字、`-` を使ってください(例: `press-back`)
what-section = セクション `{ $id }`
what-step = 手順 `{ $id }`
what-trouble = トラブル項目 `{ $id }`
duplicate-id = id `{ $id }` が重複しています: { $what } の id が、{ $place }{ $first } と同じです
at-place = { $place } の
duplicate-id-hint = id はガイドの中で重ならないようにします。どちらかの名前を変えてください
duplicate-id-label = { $first } の id `{ $id }` はここ

## トラブル項目

trouble-no-symptom = トラブル項目 `{ $id }` に症状(symptom)がありません
trouble-no-symptom-hint = 読者に何が見えるかを書いてください(例: 「◯メンテナンス中」と表示される)
trouble-no-remedy = トラブル項目 `{ $id }` に対処(remedy)がありません
trouble-no-remedy-hint = `remedy:` を足して、どうすればよいかを、直すための手順への参照と一緒に書いてください
trouble-no-place = トラブル項目 `{ $id }` に、どこで起きるかが書かれていません
trouble-no-place-hint = `arises_at:` を足して、読者がそれに出会う手順かセクションを書いてください
trouble-unknown-place = トラブル項目 `{ $id }` の起きる場所 `{ $place }` は、このガイドの手順でもセクションでもありません
trouble-place-hint = 手順の id、範囲 `最初..最後`、セクションの id のどれかを書いてください
trouble-range-apart-hint = `{ $b }` は `{ $a }` と同じ手順セクションの、後の手順でなければなりません
trouble-range-backwards-hint = 範囲が逆向きです: `{ $b }..{ $a }` と書いてください

## UI テキスト(【@id】)

ui-text-unknown = UI テキスト `{ $id }` はありません
ui-text-define-hint = ガイドの(またはサイトの){ $file } に定義してください(例: `{ $id }: {"{"}text: 連携設定, kind: button{"}"}`)
ui-text-add-hint = { $file } に `{ $id }` を足してください
ui-by-hand = { $written } が手書きされています。語彙では `{ $id }` です
ui-by-hand-hint = 【@{ $id }】 と書くと、ui.yaml での名前の変更がここにも届きます(`tebiki check --fix` で書き換えられます)
ui-doubled = { $written } は { $shows } と表示されます: 【@{ $id }】 はすでに { $prose } と表示されます
ui-doubled-hint = 【@{ $id }】 だけを書いてください(`tebiki check --fix` で書き換えられます)
ui-unused = UI テキスト `{ $id }` を使っているページがありません
ui-unused-hint = ガイドがそれを名指す場所で 【@id】 として参照するか、消してください
ui-id-invalid = `{ $id }` は UI テキストの id に使えません
ui-id-invalid-hint = 英小文字(ASCII)、数字、`-` を使ってください(例: `link-settings`)

## 手順のファイル

step-no-front-matter = この手順のファイルにはフロントマターがありません
step-no-front-matter-hint = ファイルを `---` の行で始め、`title: …` を書き、もう一度 `---` の行を書いてください
step-changed-in-build = ビルドの途中で、この手順のファイルが書き換えられました
step-changed-in-build-hint = ファイルを保存し終えてから、もう一度ビルドしてください
anchors-file-hint = anchors.yaml は tebiki が書くファイルです。消してから `tebiki check --fix` を実行すると作り直されます

## 図: スクリーンショット・モックアップ・注釈

coordinate-hint = 画像のピクセル数(0 が左端・上端)か、"12%" のような割合を書いてください
coordinate-not-number = `{ $value }` は tebiki が描ける数値ではありません
size-not-positive = 大きさは 0 より大きくしてください(`{ $value }` になっています)
coordinate-range = `{ $value }` は範囲外です: 座標は { $min } から { $max } までです
annotation-missing = `{ $shape }` の注釈には { $fields } が必要です
annotation-missing-hint = { $fields } を足してください(ピクセル数か、"12%" のような割合)
annotation-cannot-look = `{ $shape }` の注釈は「ここを見る」印にできません
annotation-cannot-look-hint = `look: true` を使えるのは circle、ellipse、frame、arrow だけです。ここでは消してください
version-not-plain = `{ $version }` は `12.1` や `5.2.0` のような単純なバージョン表記ではありません
version-not-plain-hint = アプリに表示されるとおりのバージョンを、単一引用符で囲んでそれだけ書いてください: `version: '5.2'`
image-src-and-mockup = 画像には `src`(スクリーンショット)か `mockup` のどちらか一方を書きます
image-src-and-mockup-hint = スクリーンショットができたら `mockup:` を消すか、`src:` を消してください
image-no-src = この画像には `src` も `mockup` もありません
image-no-src-hint = `src: images/<ファイル>.png` を足すか、`mockup:` に画面を書いてください
image-quality-hint = WebP の品質を 0 から 100 で書くか、ピクセルまで正確にするなら `lossless: true` と書いてください
mockup-screenshot-field = `{ $key }` はスクリーンショット用です。モックアップは SVG で描かれます
mockup-screenshot-field-hint = `{ $key }:` を消すか、`src:` と一緒に使ってください
image-no-alt = この画像には代替テキストがありません
image-no-alt-hint = `alt:` を足して、画像に何が写っていて何を強調しているかを書いてください
mockup-nested = `{ $inner }` は `{ $outer }` の中に置けません
mockup-nested-hint = 中に置けるのはテキスト、入力欄、チェックボックス、行、ボタン、メッセージです。通知・ダイアログ・メニューは画面の `items:` に直接置きます
mockup-id-twice = id `{ $id }` がこのモックアップで二回使われています
mockup-id-twice-hint = 要素にはそれぞれ別の id を付けてください
mockup-to-highlight = 強調する
mockup-to-look = 「ここを見る」印を付ける
mockup-to-avoid = 「押さない」印を付ける
mockup-item-needs = `{ $kind }` の項目には `{ $field }` が必要です
mockup-item-needs-hint = この項目に `{ $field }:` を足してください
mockup-no-ids = (まだ id がありません: 項目に `id:` を足してください)
mockup-one-of = { $key } に使える id: { $listed }
mockup-unknown-id = このモックアップに、{ $what }要素 `{ $wanted }` はありません
og-image-svg = シェア画像 `{ $src }` は SVG です。X、Facebook、LINE では表示されません
og-image-svg-hint = 1200×630 の PNG か JPEG を使うか、`og_image:` を消して自動で作られるカードを使ってください
the-image = 画像 `{ $src }`
screenshots-not-here = ここではスクリーンショットを調べません
picture-is-folder = { $what } が画像ではなくフォルダーです
picture-is-folder-hint = 画像のファイルを指定してください(例: images/step1.png)
picture-unreadable = { $what } を画像として読めません
picture-unreadable-hint = PNG、JPEG、WebP、SVG(width と height のあるもの)のファイルを使ってください
picture-too-large = { $what } は { $width }×{ $height } ピクセル({ $megapixels } メガピクセル)で、tebiki が読み込む上限の { $limit } メガピクセルを超えています
picture-too-large-hint = 画像を小さくするか(スマートフォンのスクリーンショットは約 3 メガピクセル)、site.yaml の `max_megapixels:` を上げてください

## 撮り直したスクリーンショットでの注釈の追従

shape-circle = 円
shape-ellipse = 楕円
shape-frame = 枠
shape-arrow = 矢印
shape-badge = 番号バッジ
shape-label = ラベル
shape-mask = マスク
shape-forbid = 禁止マーク
annotation-followed = { $shape }が { $src } の中で対象を追って { $was } から { $now } へ移りました
annotation-followed-hint = 新しい位置に描いています。`tebiki check --fix` を実行すると、新しい数値をこのファイルに書き込みます
annotation-ambiguous = この{ $shape }が指していたものが { $src } の中に複数あります。最もよく一致したのは { $at }({ $score })、ほかに { $second }
annotation-lost = この{ $shape }が指していたものが { $src } に見つかりません。最もよく一致したのは { $at }({ $score })
mask-lost-hint = マスクが隠していたものを隠せなくなるため、何も公開していません。注釈エディター(`tebiki serve` の「注釈を編集」)で置き直すか、数値を手で直してください
annotation-lost-hint = 前の位置に描いています。注釈エディター(`tebiki serve` の「注釈を編集」)で置き直すか、数値を手で直してください
mask-unanchored = { $src } が撮り直されましたが、このマスクには追うためのアンカーがありません。今も隠すべきものを隠しているか tebiki には判断できません
mask-unanchored-hint = 注釈エディター(`tebiki serve` の「注釈を編集」)でマスクを確かめて保存してください。新しいスクリーンショットが記録されます。何も公開していません

## テーマ・テンプレート・シェア画像・検索・画像

no-theme = テーマ `{ $theme }` はありません: { $folder } が存在しません
no-theme-hint = `theme: default` にするか、templates/ と static/ を持つテーマのフォルダーを作ってください
template-builtin-hint = これは組み込みのテーマです。報告してください
template-own-hint = サイト独自のテンプレート: { $templates }
template-error = テンプレートのエラー: { $error }
template-render = `{ $name }` を描画できませんでした: { $error }
the-theme-file = テーマまたは静的ファイル { $path }
card-prepare = シェア画像を準備できませんでした: { $error }
cards-draw = シェア画像を描けませんでした: { $error }
card-draw = `{ $title }` のシェア画像を描けませんでした: { $why }
card-draw-hint = テーマの card.svg を確かめてください。1200×630 の SVG でなければなりません
card-font-missing = `{ $title }` のすべての文字を持つフォントがこのマシンにありません。シェア画像で一部の文字が欠けます
card-font-missing-hint = 日本語フォントを入れるか(Debian: fonts-noto-cjk)、site.yaml の `og_font:` にフォントファイルを指定してください
search-index = 検索インデックスを作れませんでした: { $error }
search-index-hint = site.yaml に `search: false` と書けば検索なしでビルドできます。この問題は報告してください
picture-process = 画像 { $src } を処理できませんでした: { $error }
picture-process-hint = 画像ビューアーで開ける PNG、JPEG、WebP のファイルを使ってください
the-site-folder = サイトのフォルダー { $path }
risk-script = <script> 要素
risk-event-handler = インラインのイベントハンドラー
risk-javascript-url = javascript: の URL

## 待ち時間の長さ

duration-empty = 空です
duration-no-number = `{ $rest }` の位置に数値がありません
duration-too-large = 数値が大きすぎます
duration-bad-unit = `{ $unit }` は単位ではありません(h、m、s)
duration-no-unit = `{ $number }` に単位がありません(h、m、s)
duration-unit-order = 単位は一回ずつ、大きいものから書いてください
duration-zero = 待ち時間には長さが必要です
duration-too-long = カウントダウンは 24 時間までです

## ファイルの読み書き

io-read = { $path } を読めませんでした
io-not-utf8 = { $path } は UTF-8 のテキストではありません
io-write = { $path } を書けませんでした
io-create = { $path } を作れませんでした
io-temporary = { $path } の隣に一時ファイルを書けませんでした
io-create-folder = フォルダー { $path } を作れませんでした
io-copy = { $from } を { $to } にコピーできませんでした
io-rename = { $from } を { $to } に名前を変えられませんでした
io-remove-folder = フォルダー { $path } を消せませんでした
io-remove = { $path } を消せませんでした
io-open = { $path } を開けませんでした
site-folder-gone = サイトのフォルダー { $path } がなくなりました(移動か削除)。何も書いていません
with-help = { $message }
    {"  "}ヒント: { $hint }

## 出力フォルダー

output-has-sources = { $path } は出力フォルダーに使えません: サイトのソースが入っています
output-has-sources-hint = サイトの中のフォルダーを選んでください(例: --output-dir public)
output-in-sources = { $path } には出力を書きません: サイトの `{ $folder }/` フォルダーの中です
output-in-sources-hint = ほかのフォルダーを選んでください(例: --output-dir public)
output-is-file = { $path } は置き換えません: フォルダーではなくファイルです
output-is-file-hint = それを消すか、別の --output-dir を選んでください
output-not-ours = { $path } は置き換えません: 空ではなく、tebiki が作ったものでもありません(中に { $marker } ファイルがありません)
output-not-ours-hint = 別の --output-dir を選ぶか、そのフォルダーを自分で空にしてください
output-lock = このビルドのために { $path } をロックできませんでした

## 作者のファイルの編集

edit-changed = tebiki が読んだあとに { $path } が変更されました。何も書いていません
edit-changed-hint = コマンドをもう一度実行して(またはページを再読み込みして)、今のファイルからやり直してください
edit-read-only = { $path } は読み取り専用です。何も書いていません
edit-read-only-hint = 書き込めるようにするか(chmod u+w { $path })、手で変更してください
edit-links-out = { $path } はサイトのフォルダーの外へ出るリンクです。tebiki が編集するのはフォルダーの中のファイルだけです
edit-invalid = 編集後の { $path } が正しく読めなくなります({ $why })。何も書いていません

## tebiki new、tebiki init

new-not-a-guide = `{ $slug }` はこのサイトのガイドではありません。content/ の下のガイドのフォルダー名(英小文字、数字、`-`)を指定してください(例: `my-guide`)
new-cannot-open-site = サイトのフォルダー { $path } を開けませんでした
new-bad-slug = `{ $slug }` はガイドのフォルダー名に使えません。英小文字(ASCII)、数字、`-` を使ってください(例: `my-guide`)
new-guide-exists = ガイド `{ $slug }` はすでにあります({ $path })。ほかの名前を選んでください
new-no-guide = ガイド `{ $slug }` はありません: content/{ $slug }/guide.yaml が存在しません{ $close }
what-a-step = 手順
what-a-section = セクション
new-bad-id = `{ $id }` は{ $what }の id に使えません。英小文字(ASCII)、数字、`-` を使ってください(例: `{ $example }`)
new-guide-has-problems = { $path } に問題があります。先に `tebiki check` を実行してください
new-step-exists = ガイド `{ $slug }` には手順 `{ $id }` がすでにあります。ほかの id を選んでください
new-section-exists = ガイド `{ $slug }` にはセクションか手順 `{ $id }` がすでにあります。ほかの id を選んでください
new-guide-not-yaml = guide.yaml が正しい YAML ではありません
new-section-unsafe = セクション `{ $id }` を安全に足せません。セクションを 1 行ずつ `- id: …` の項目で書いてから、もう一度試してください
new-step-no-neighbour = `{ $id }` を安全に置けません: セクション `{ $section }` には隣に置ける手順がありません。`steps:` の下に `- { $id }` の行を自分で足してください
new-step-flow-list = `{ $id }` を安全に置けません: `{ $section }` の手順が `[…]` のリストで書かれています。先に 1 行ずつ `- id` で書いてください
new-step-tabs = `{ $id }` を安全に置けません: 手順の行がスペースで字下げされていません
new-step-unsafe = guide.yaml に `{ $id }` を安全に置けません。`- { $id }` の行を自分で足してください
new-no-after = このガイドには、新しい手順をその後に置ける手順 `{ $after }` がありません{ $close }
new-no-procedure = このガイドに手順セクション `{ $wanted }` はありません{ $close }
new-no-procedures = このガイドには手順を足せる手順セクションがありません
init-not-empty = フォルダー { $path } は空ではありません({ $name } があります)。tebiki init が書き込むのは空か新しいフォルダーだけです。何も書いていません

## publish: ブログとパスワード

publish-no-blog = 公開先の WordPress ブログがありません
publish-no-blog-hint = site.yaml に次のように書いてください:
    {"    "}publish:
    {"      "}wordpress:
    {"        "}url: https://your-blog.example/
    {"        "}user: ログイン名
    {"  "}(または --url と --user を指定)
publish-plain-http = アプリケーションパスワードを暗号化されない HTTP で { $url } へ送ることはしません
publish-plain-http-hint = ブログの https:// のアドレスを使ってください(http が使えるのはこのマシン上のブログだけです)
publish-bad-url = ブログのアドレス `{ $url }` は http(s) の URL ではありません
publish-bad-url-hint = https://your-blog.example/ のように書いてください
publish-no-password = { $url } のアプリケーションパスワードがありません
publish-no-password-hint = ブログの管理画面(ユーザー → プロフィール → アプリケーションパスワード)で作り、{ $variable } に設定するか、{ $file } に `{ $url } <パスワード>` の行を足してください
publish-password-in-site = { $path } からはパスワードを読みません: サイトの中にあり、コミットされて公開されてしまいます
publish-password-in-site-hint = ~/.config/tebiki/credentials に移してください
publish-password-open = { $path } のパスワードは読みません: ほかのユーザーが読めます(アクセス権 { $mode })
publish-password-open-hint = chmod 600 { $path }

publish-needs-posts = 何も公開していません: 次のガイドは、まだブログに投稿のないガイドにリンクしています
publish-needs-line = { $guide } には { $needs } が必要です
publish-needs-posts-hint = すべてのガイドをまとめて公開するか(--guide を付けない)、先に { $guides } を公開してください
publish-note-unfiltered = スタイルシート、HowTo の JSON-LD、読者向けの機能(待ち時間のカウントダウン、「できた」チェックボックス)は各投稿の中に入っています({ $user } はフィルターなしの HTML を投稿できます)
publish-note-filtered = { $user } は <style> や <script> を投稿できません: HowTo の JSON-LD と読者向けの機能(カウントダウン、「できた」チェックボックス)は外し、投稿には静的な待ち時間の印を表示します。下のスタイルシートはテーマに入れてください(外観 → カスタマイズ → 追加CSS)
publish-draft = ガイド `{ $slug }` は下書きです。下書きは公開しません。何も送っていません
publish-draft-hint = 準備ができたら content/{ $slug }/guide.yaml から `draft: true` を消してください
publish-no-guide = ガイド `{ $slug }` はありません{ $close }
publish-guides-are = ガイドは次のとおりです: { $guides }
publish-dry-run-offline = 試行(--dry-run)ではブログと通信しません
publish-links-to-site = 何も公開していません: 次のリンクは静的サイトのページを指していますが、site.yaml にはそのサイトが { $base } に置かれているとは書かれていません:
    {"  "}{ $links }
publish-links-to-site-hint = リンクを消すか、`tebiki build` で作ったサイトが本当にそこで公開されているなら `publish: wordpress: site_hosted: true` と書いてください
publish-reserve = { $slug } の投稿を確保できませんでした
publish-lands-nowhere-refused = { $slug } の投稿に、ブログのどこにも行き着かないリンクや画像があります(投稿は変更していません): { $missing }
publish-post-unchanged = 投稿は変更していません
publish-no-file = { $slug } の投稿が表示する { $src } は、サイトのファイルではありません(投稿は変更していません)
publish-upload = 画像 { $src } をアップロードできませんでした(投稿は変更していません)
missing-needs-post = リンク { $href }({ $guide } の投稿が必要)
missing-picture = 画像 { $href }
missing-static-page = リンク { $href }(静的サイトのページ)

## WordPress の REST API

wp-no-users-me = REST API に /wp/v2/users/me がありません
wp-server-error = { $what }: サーバーのエラー
wp-failed = { $what } に失敗しました
wp-unreadable = { $what }: 応答を読めませんでした: { $error }
wp-not-wordpress = { $what }: 応答が WordPress の REST API のものではありません({ $error })。アドレスは WordPress のサイトですか?
wp-http = { $what } に HTTP { $status } が返りました{ $said }
wp-refused-password-hint = WordPress がユーザーかアプリケーションパスワードを拒否しました。ブログの管理画面で ユーザー → プロフィール → アプリケーションパスワード を開き、`tebiki` という名前で追加して、TEBIKI_WP_APP_PASSWORD(または ~/.config/tebiki/credentials)に入れてください。site.yaml の `publish: wordpress:` の `user:` も確かめてください
wp-forbidden-hint = このユーザーにはできない操作です。公開には、ファイルのアップロードと投稿の編集ができるユーザー(投稿者、編集者、管理者)が必要です
wp-no-api-hint = REST API が見つかりません。site.yaml のブログのアドレスと、REST API を無効にするプラグインがないかを確かめてください
wp-too-large-hint = サーバーがアップロードを大きすぎるとして拒否しました。ブログのサーバーで PHP の upload_max_filesize と post_max_size(nginx なら client_max_body_size も)を上げてください
wp-server-failed-hint = ブログのサーバーでエラーが起きました。時間をおいて試すか、サーバーのエラーログを見てください
wp-other-hint = 上のメッセージを確かめてください。投稿は変更していません
wp-unreachable = { $what }: { $base } に接続できませんでした: { $error }
wp-unreachable-hint = アドレスと、ブログが動いていることを確かめてください(プラグインで無効にされた REST API は 404 を返します)
publish-draw-picture = 投稿用の画像 { $src } を描けませんでした
publish-svg-not-utf8 = { $src } は UTF-8 の SVG ではありません
publish-not-a-picture = { $src } は WordPress が受け付ける画像(SVG、PNG、JPEG、GIF、WebP)ではありません
publish-record-invalid = { $file } は tebiki publish が書いたものと違います。直すか、消してください(消すと投稿はスラッグで探し直されます)
publish-record-write = 公開の記録を書けませんでした
publish-rewrite = 投稿のリンクを書き換えられませんでした: { $error }
serve-no-thread = 再ビルド用のスレッドを始められませんでした
serve-no-runtime = サーバーのランタイムを始められませんでした
serve-no-sigterm = SIGTERM を待ち受けられませんでした
serve-no-ctrl-c = Ctrl-C を待ち受けられませんでした

## 注釈エディター(tebiki serve)のボタンと表示

editor-edit = 注釈を編集
editor-lost = 撮り直した画像で、次の注釈が指していたものが見つかりません：
editor-lost-old = 前
editor-lost-new = いちばん近いところ
editor-title = 注釈を編集
editor-select = 選択
editor-circle = 円
editor-ellipse = 楕円
editor-frame = 枠
editor-arrow = 矢印
editor-badge = 番号
editor-label = ラベル
editor-forbid = 禁止
editor-mask = マスク
editor-rounded = 角を丸くする
editor-del = 削除
editor-undo = 元に戻す
editor-redo = やり直す
editor-save = 保存
editor-cancel = キャンセル
editor-text = 文字
editor-number = 番号
editor-saved = 保存しました。ページを読み込み直します…
editor-saving = 保存しています…
editor-changed = このページを作ったあとで、ファイルが変更されています。
editor-reload = ページを再読み込み
editor-none = 何も選ばれていません。画像の上をドラッグして描くか、図形を選んで Enter を押してください。
editor-tools = 図形
editor-shapes = 注釈
editor-unit = 単位
editor-press = 押すところ
editor-look = 見るところ
editor-avoid = 押さないところ
editor-elements = モックアップの要素
editor-marks-hint = 要素をクリックすると印が付きます。もう一度クリックすると外れます。
editor-unmarked = 印なし

## 注釈エディター: 保存できなかった理由

editor-no-screenshot = このプレビューにスクリーンショット `{ $figure }` はありません
editor-cannot-read-screenshot = スクリーンショットを読めませんでした: { $error }
editor-no-figure = このプレビューに図 `{ $figure }` はありません
editor-send-something = `annotations` か、モックアップの `highlight`・`look`・`avoid` を送ってください
editor-front-matter-gone = ファイルが変更されました: フロントマターがなくなっています
editor-file-changed = このページを作ったあとでファイルが変更されました。ページを再読み込みして、今のファイルを編集してください
editor-not-a-mockup = この図はスクリーンショットです。`highlight`・`look`・`avoid` はモックアップ用です。スクリーンショットには注釈で印を付けてください
editor-yaml-gone = ファイルの YAML がなくなっています
editor-not-yaml = ファイルが今は正しい YAML ではありません
editor-figure-gone = 図がもうファイルにありません
editor-file-annotations = ファイルの注釈: { $error }
editor-mockup-gone = 図がもうモックアップではありません
editor-file-mockup = ファイルのモックアップ: { $error }
editor-annotation = 注釈 { $number }: { $problem }
output-path-escapes = 内部エラー: 出力パス { $path } が出力フォルダーの外を指しています
publish-empty-mockup = 空のモックアップです

## check --where: 各場所での id の使われ方

where-kind-step-file = 手順のファイル
where-kind-ui-text = UI テキスト
where-kind-reference = 参照
where-kind-defined = 定義
where-kind-window = 待ち時間
where-kind-arises-at = 起きる場所
where-kind-continues-to = 続き先
where-kind-listed = 手順の一覧
editor-too-large = 注釈が 64 KiB を超えています
editor-save-failed = 保存に失敗しました
editor-post-only = POST だけを受け付けます
editor-off = 編集はできません: プレビューがネットワークから見えています。ページから保存するには tebiki serve を --allow-edit 付きで起動してください
editor-no-token = このページには有効な編集用トークンがありません。再読み込みしてください
editor-other-origin = エディターのリクエストはプレビュー自身のページからしか受け付けません
editor-request-too-long = リクエストが長すぎます
editor-read-failed = 読み込みに失敗しました
editor-bad-request = エディターのリクエストではありません: { $error }
edit-not-yaml = YAML が正しくありません
edit-no-place-for-annotations = 図に `src` も `alt` もないので、`annotations` を置く場所がありません
edit-mockup-no-key = モックアップに、リストを隣に置けるキーがありません
edit-mockup-not-under-key = モックアップがキーの下にありません
edit-mockup-key-gone = モックアップのキーがファイルにありません
build-waiting = ほかの tebiki のビルドが { $path } の隣に書き込んでいます。終わるのを待っています…

## コマンドラインの誤り

cli-unknown-command = `{ $name }` というコマンドはありません
cli-unknown-argument = 不明なオプション `{ $name }` です
cli-invalid-value = `{ $value }` は { $arg } に使えない値です(使えるのは { $valid })
cli-missing-argument = 指定が足りません: { $args }
cli-more-help = 詳しくは --help を付けて実行してください
