# tebiki's messages in English. One message per id; the ids are stable (they are the `code`
# of `check --format json`): change a text freely, never an id. Every id here is also in
# locales/ja/tebiki.ftl, with the same arguments (tests/lang.rs checks it).
# Code, file names and YAML keys stay in backticks, as written.

## Diagnostics: their frame

level-error = error
level-warning = warning
level-help = help
the-site = the site
current-folder = the current folder
more-problems = … and { $count } more { $count ->
        [one] problem
       *[other] problems
    } in { $file } (fix the ones above first, then run again)
errors-found = { $errors } { $errors ->
        [one] error
       *[other] errors
    } found{ $warnings ->
        [0] {""}
        [one] , { $warnings } warning
       *[other] , { $warnings } warnings
    }
label-first-one = the first one
did-you-mean = did you mean `{ $name }`?
use-one-of = use one of { $names }
cannot-read = could not read { $what }: { $error }

## YAML

this-value = this value
found-sequence = sequence
found-mapping = mapping
one-of-nothing = nothing
one-of-two = `{ $a }` or `{ $b }`
one-of-many = one of { $names }
missing-field = missing field `{ $field }`
missing-field-hint = add `{ $field }: …` here
unknown-field = unknown field `{ $field }`, expected { $expected }
unknown-field-none = unknown field `{ $field }`, there are no fields
remove-field = remove `{ $field }`
remove-field-known = remove `{ $field }`; the known fields here are { $known }
unknown-variant = unknown variant `{ $variant }`, expected { $expected }
yaml-empty-value = { $path }this value is empty, expected text
yaml-empty-value-hint = write the text after the colon ("" for no text)
yaml-second-document = a second YAML document starts here (a `---` line)
yaml-second-document-hint = one file holds one document: remove this `---` line
yaml-unknown-anchor = this alias (`*name`) names no anchor (`&name`) written before it
yaml-unknown-anchor-hint = write the value out, or define `&name` first
yaml-duplicate-key-unnamed = a key is written twice in the same mapping
yaml-duplicate-key = `{ $key }` is written twice in the same mapping
yaml-duplicate-key-hint = keep one of the two `{ $key }`
yaml-keep-one = keep one of the two: the first `{ $key }` is at line { $line }
yaml-wrong-kind = { $path }wrong kind of value: { $found }, expected { $expected }
kind-mapping = a mapping (`key: value` lines)
kind-mapping-hint = write `key: value` lines here, not a list or a single value
kind-text = a string
kind-text-hint = write this value as plain text; put it in quotes if it starts with `[`, `{"{"}`, `@`, `*` or `&`
kind-list = a list (`- item` lines or `[a, b]`)
kind-list-hint = write one `- item` per line, or `[a, b]`
kind-whole-number = a whole number
kind-whole-number-hint = write digits only, e.g. `3`
kind-number = a number
kind-number-hint = write a number, e.g. `12.5`
kind-bool = true or false
kind-bool-hint = write `true` or `false`
yaml-tab = a tab character indents this line, but YAML allows only spaces
yaml-tab-hint = YAML is indented with spaces, not tabs: replace the tab on this line with spaces
yaml-unclosed-quote = this quoted text is never closed
yaml-unclosed-quote-hint = this quoted text is never closed: add the closing quote
yaml-unclosed-list = this `[` list is never closed
yaml-unclosed-list-hint = add `]`, or write the list one `- item` per line; if the text starts with `[`, put it in quotes
yaml-unclosed-mapping = this `{"{"}` mapping is never closed
yaml-unclosed-mapping-hint = add `{"}"}`; if the text starts with `{"{"}`, put it in quotes
yaml-mismatched-close = `{ $open }` is closed by `{ $close }`
yaml-mismatched-close-hint = close `[` with `]` and `{"{"}` with `{"}"}`
yaml-colon = a `: ` where no new key can start
yaml-colon-hint = the value contains `: `; put the whole value in quotes, or check this line's indentation
yaml-reserved-start = a value cannot start with `{ $character }`
yaml-reserved-start-hint = put the value in quotes; YAML reserves `@`, `` ` ``, `%` and others at the start
yaml-key-indent = this line is not indented like the keys around it
yaml-key-indent-hint = check this line's indentation: it must line up with the keys above it
yaml-item-indent = this line is not indented like the list items around it
yaml-item-indent-hint = check this line's indentation: list items must line up
yaml-too-deep = recursion limit exceeded: the values are nested too deeply
yaml-too-deep-hint = this YAML is nested too deeply: guides need only a few levels
yaml-too-many-aliases = repetition limit exceeded: this YAML would grow too large
yaml-too-many-aliases-hint = this YAML repeats aliases (`*name`) so often that it would grow too large: write the values out

## check

placeholder = 「{ $text }」 is the template's text, still waiting for yours
placeholder-hint = write the guide's own words here (tebiki new put this text in for you to replace)
stale-screenshot = { $step } shows { $app } { $captured }, older than the { $version } the guide documents
stale-trouble-picture = the picture of trouble entry `{ $id }` shows { $app } { $captured }, older than the { $version } the guide documents
retake-screenshot = take the screenshot again in { $app } { $version } and set `captured: {"{"}version: "{ $version }"{"}"}`
link-leaves-site = `{ $dest }` leaves the site
link-no-target = `{ $dest }` points to `{ $target }`, which the site does not have
link-no-fragment = `{ $dest }`: the page `{ $target }` has no element with id `{ $fragment }`{ $close }
fragment-did-you-mean = {" "}(did you mean `#{ $name }`?)
broken-link = broken link: { $problem }
broken-link-hint = fix the path (relative to the page), or put the file in the guide's folder
broken-template-link = broken link in the page { $page }: { $problem }
broken-template-link-hint = this link comes from a template: check the theme's templates

## Files and paths

not-utf8 = this file is not UTF-8 text: byte { $byte } at line { $line }, column { $column } is not valid UTF-8
not-utf8-hint = save the file as UTF-8 (files in Shift_JIS or EUC-JP must be converted, e.g. with `iconv -f SHIFT_JIS -t UTF-8`)
permissions-hint = check the permissions of the file and of the folders above it
not-regular = it is { $kind }, not a regular file
not-regular-hint = tebiki reads only regular files: replace it with a regular file, or remove it
too-large = it is { $size } large, over the limit of { $limit }
too-large-hint = split it into smaller files; if it really must be this large, set { $variable } to a number of megabytes
path-not-relative = { $what } is not a path inside the site folder
path-outside = { $what } is outside the site folder
path-links-out = { $what } is reached through a link that leads outside the site folder
path-special = { $what } is { $kind }, not a regular file
path-io = could not look at { $what }: { $error }
path-inside-hint = keep { $noun } inside the site folder (the one with site.yaml) and give a path relative to the guide's folder
path-links-out-hint = copy { $noun } into the site folder instead of linking to it
path-special-hint = tebiki reads only regular files: replace { $noun } with a regular file, or remove it
noun-file = the file
noun-step-file = the step's file
noun-font = the font
noun-avatar = the avatar
noun-picture = the picture
noun-guide-folder = the guide folder

## The command line's summaries

wrote-file = wrote { $file }
build-summary = built { $guides } { $guides ->
        [one] guide
       *[other] guides
    } ({ $steps } steps, { $pages } pages, { $files } files; pictures: { $encoded } encoded, { $reused } from the cache; share cards: { $cards } drawn) into { $output } in { $ms } ms
build-stale-screenshots = { $count } screenshot(s) show an older version of the app than their guide documents: `tebiki check` lists them
build-stopped = the build stopped; the previous output was left as it was
check-no-problems = no problems found
check-only-warnings = no errors found, only the warnings above
fix-nothing-changed = nothing was changed
fix-nothing = nothing to fix: every UI text of the vocabulary is referred to, and every annotation has its anchor
fix-summary = fixed { $texts } hand-written UI text(s), wrote the new place of { $moved } annotation(s) and recorded the anchors of { $recorded } figure(s), in { $files } file(s)
where-count = { $count } { $count ->
        [one] place uses
       *[other] places use
    } `{ $id }`
where-nowhere = `{ $id }` is written nowhere in this site{ $close }
did-you-mean-suffix = {" "}(did you mean `{ $name }`?)
init-created = created a new site in { $dir } ({ $files } files). Next:
    {"  "}cd { $dir }
    {"  "}tebiki serve    # preview at http://127.0.0.1:1111/
    {"  "}tebiki build    # write the site into public/

## publish's report

publish-nothing-published = nothing was published; the blog was left as it was
publish-note = note: { $note }
publish-css-heading = --- CSS for the theme's Additional CSS ---
publish-dry-run = dry run: nothing was changed on { $blog }
publish-post = {" "}post { $id } ({ $link })
publish-refused = { $guide }: refused{ $post }: it was edited on the blog ({ $modified } UTC) since tebiki last wrote it; left as it is
publish-refused-hint = help: bring the change into the guide's sources and publish again, or overwrite it with --force
publish-guide = { $guide }: { $action }{ $post }; pictures: { $uploaded } { $dry ->
        [1] to upload
       *[0] uploaded
    }, { $reused } { $dry ->
        [1] already there
       *[0] reused
    }
publish-created = created
publish-updated = updated
publish-would-create = would create
publish-would-update = would update
publish-leaves = leaves the blog: { $link }
publish-lands-nowhere = lands nowhere on the blog: { $link }

## serve

serve-cannot-watch = could not watch the site's files (try --poll)
serve-stopped = stopped
serve-root-replaced = the site folder { $folder } was replaced; serving the new one
serve-root-gone = the site folder { $folder } is gone or holds no site; the last version stays served until it is back
serve-reachable = --bind { $bind } makes the preview reachable from the network: anyone who can reach this machine can read the drafts
serve-no-address = no network address was found; open this machine's address, port { $port }, on the phone
serve-phone = on a phone in the same network, open { $urls }
serve-serving = serving { $root } at { $url } (Ctrl-C to stop)
serve-previous-stays = the previous good version stays served
serve-built = { $again ->
        [1] rebuilt
       *[0] built
    } in { $ms } ms ({ $files } files)
serve-port-taken = port { $port } is taken; using { $other }
serve-cannot-listen = could not listen on { $ip } ports { $port }–{ $last }: { $error }
serve-no-browser = could not open a browser; open { $url } yourself
overlay-first-failed = The build failed, so there is nothing to show yet. Fix the problems below and save.
overlay-last-failed = The last build failed; this is the previous good version. Fix the problems below and save.

## References (`@id`)

ref-no-guide = there is no guide `{ $slug }`
ref-no-guide-hint = write the folder name of a guide under content/
ref-unlisted-hint = steps/{ $id }.md exists, but no procedure lists it: add `- { $id }` to a procedure's `steps:` in guide.yaml, or change this reference
ref-unknown-hint = use the id of a step, section or trouble entry of `{ $guide }` (the name of a step file without .md)
ref-unknown = unknown reference `@{ $id }`: no step, section or trouble entry has this id
ref-range-apart = range `@{ $a }..{ $b }`: `{ $b }` is not in the same procedure as `{ $a }`
ref-range-apart-hint = a range runs between two steps of one procedure
ref-range-backwards = range `@{ $a }..{ $b }` runs backwards
ref-range-backwards-hint = write `@{ $b }..{ $a }`
ref-not-a-step = `{ $id }` is not a step; a range runs between two steps
ref-not-a-step-hint = name two steps of the same procedure
ref-no-section = there is no section `{ $section }`
ref-no-section-hint = name a procedure section's id
ref-section-lacks-step = section `{ $section }` has no step `{ $step }`
ref-section-lacks-step-hint = section `{ $section }` does not list this step

## Markdown

no-character = there is no character `{ $id }`
no-characters-hint = define the character under `characters:` in site.yaml (name, avatar, side)
characters-are-hint = the characters of site.yaml are { $names }
script-hint = tebiki publishes raw HTML as written; remove the script, or write the code as `code` to show it
script-warning = the content contains { $what }, which runs in the reader's browser

## site.yaml

no-config = there is no { $file } in { $root }
no-config-hint = run tebiki in the site's folder, or pass --root with the folder that holds site.yaml
the-font = the font `{ $path }`
the-avatar = the avatar `{ $path }`
og-font-missing = { $what } (`og_font:` in site.yaml) does not exist
og-font-missing-hint = point `og_font:` at a .ttf, .otf or .ttc file inside the site
avatar-missing = { $what } of character `{ $id }` does not exist
avatar-missing-hint = put the picture in static/, or correct the path

## Pictures

picture-missing = { $what } does not exist
picture-missing-hint = add the file at { $path }, or remove `image:` to leave the slot empty

## guide.yaml: sections, steps, windows

continue-to-itself-hint = a section cannot continue to itself
continue-to-other-hint = name the id of another section
continue-to-unknown = section `{ $section }` continues to `{ $next }`, which is not another section of this guide
step-listed-twice = step `{ $step }` is listed twice in section `{ $section }`
step-listed-twice-hint = a step appears once per procedure; remove one of the two entries
not-a-date = `{ $value }` is not a date
not-a-date-hint = write a real calendar date as YYYY-MM-DD, e.g. 2026-11-27
no-sections = this guide has no sections
no-sections-hint = add at least one section with `id`, `kind: procedure`, `title` and `steps`
field-not-in-kind = a { $kind } section has no `{ $field }`
field-not-in-kind-hint = `{ $field }` belongs to `kind: { $owner }` sections; change the kind or remove `{ $field }`
section-empty = section `{ $section }` has no { $field }
section-empty-hint = add `{ $field }:` to the section
window-duplicate = duplicate window id `{ $id }`
window-duplicate-hint = give each window its own id
window-duration = duration `{ $text }`: { $problem }
window-duration-hint = write it like `5m`, `90s`, `1m30s` or `5分`
window-no-step = window `{ $id }`: there is no step `{ $step }`
window-no-step-hint = name a step listed in one of the guide's procedures
window-section-lacks = window `{ $id }`: section `{ $section }` does not list both `{ $from }` and `{ $to }`
window-section-lacks-hint = name the procedure that lists both steps
window-apart = window `{ $id }`: `{ $from }` and `{ $to }` are not in the same procedure
window-apart-hint = a window runs between two steps of one procedure
window-backwards = window `{ $id }` ends at `{ $to }`, which comes before its start `{ $from }`
window-backwards-hint = swap `from` and `to`
window-ambiguous = window `{ $id }`: several procedures list both `{ $from }` and `{ $to }`
window-ambiguous-hint = add `section: <id>` to say which procedure the window is in

## content/ and guide folders

folder-not-guide = the folder { $folder } has no guide.yaml, so it is not built
folder-not-guide-hint = add a guide.yaml to make it a guide, or move the folder out of content/
no-content-folder = there is no content folder at { $folder }
no-content-folder-hint = create `content/<guide-slug>/guide.yaml`, or pass --root with the site's folder
guide-file-is-folder = guide.yaml is a folder, not a file
guide-file-is-folder-hint = a guide folder holds a guide.yaml file and a steps/ folder
guide-file-yml = a guide file must be called guide.yaml
guide-file-yml-hint = rename guide.yml to guide.yaml
the-file = the file { $path }
the-folder = the folder { $path }
the-guide-folder = the guide folder { $path }
the-step-file = the file of step `{ $step }` ({ $written })
folder-permissions-hint = check the folder's permissions: tebiki must be able to list and read it
step-file-is-folder = { $what } is a folder, not a file
step-file-is-folder-hint = name the step's .md file, e.g. { $folder }/{ $step }.md
step-two-files = step `{ $id }` is given two different files: { $second } here, and { $first } at { $at }
step-two-files-hint = one id names one step: give the other step its own id, or list the same file in both places
step-two-files-label = `{ $id }` is { $file } here
step-no-file = step `{ $id }` has no file: { $path } does not exist
step-no-file-close-hint = did you mean `{ $name }`? (steps/{ $name }.md exists)
step-no-file-hint = create { $path } with a `title:` front matter, or fix the id
step-unlisted = step `{ $id }` is not listed in any procedure, so it is not shown
step-unlisted-hint = add `- { $id }` to a procedure's `steps:` in guide.yaml, or delete the file

## --help: help-COMMAND is a command's summary, help-COMMAND--ARGUMENT an argument's

help-usage = Usage:
help-heading-commands = Commands
help-heading-options = Options
help-heading-arguments = Arguments
help-flag-help = Print help
help-flag-version = Print version
help = A static site generator for illustrated step-by-step guides
help--lang = The language of tebiki's messages (default: from `LC_ALL`, `LC_MESSAGES` or `LANG`; Japanese for `ja_JP.UTF-8` and the like, else English). For `init`, also the example's language
help-build = Build the site into the output folder (default: public/)
help-build--root = The site's folder, holding site.yaml
help-build--output-dir = Where to write the site (default: `output_dir` from site.yaml, else public/ in the root)
help-build--base-url = The URL the site will be published at (overrides `base_url` in site.yaml)
help-build--drafts = Build the guides marked `draft: true` too (to look at them; never for publishing)
help-check = Check the site without writing anything: sources, references, links, trouble entries
help-check--root = The site's folder, holding site.yaml
help-check--format = How to report problems: for people, or as JSON for editors and CI
help-check--fix = Rewrite the UI texts written by hand into references to the vocabulary (ui.yaml), printing the diff first
help-check--where-used = List every place this id is written instead of checking: a UI text (`@id` or `id`), a step, a section or a trouble entry, with `file:line:col`
help-serve = Preview the site with live reload (built in memory; public/ is not touched)
help-serve--root = The site's folder, holding site.yaml
help-serve--bind = The address to listen on (loopback by default; 0.0.0.0 to reach it from a phone)
help-serve--port = The port (the next free one is taken if it is busy; 0 picks any)
help-serve--open = Open the preview in the default browser
help-serve--poll = Watch by polling, for file systems without change events (WSL, Docker volumes, network drives)
help-serve--allow-hosts = Also answer requests for this host name (besides localhost and this machine's addresses); may be given several times
help-serve--allow-edit = Let pages save annotations even when the preview is reachable from the network (`--bind 0.0.0.0`); on loopback they always may
help-init = Start a new site: site.yaml and a small example guide, in an empty or new folder
help-init--dir = The folder of the new site (created if missing; must be empty)
help-new = Add a guide or a step (its files, and its id in guide.yaml)
help-new-guide = A new guide: content/SLUG/guide.yaml and its first step
help-new-guide--slug = The guide's folder name, used in its URL (lower-case letters, digits, `-`)
help-new-guide--app = The app the guide documents (written as `app: name:`)
help-new-guide--app-version = The app's version the guide documents, e.g. 12.1 (written as `app: version:`)
help-new-guide--root = The site's folder, holding site.yaml
help-new-section = A new section at the end of GUIDE's guide.yaml (a procedure comes with its first step)
help-new-section--guide = The guide's folder name
help-new-section--id = The section's id (its anchor on the page)
help-new-section--kind = What the section holds
help-new-section--title = Its title (default: a placeholder that `check` points out)
help-new-section--root = The site's folder, holding site.yaml
help-new-step = A new step: content/GUIDE/steps/ID.md, and ID in guide.yaml (by default at the end of the first procedure)
help-new-step--guide = The guide's folder name
help-new-step--id = The step's id (its file name without .md)
help-new-step--after = Put it after this step
help-new-step--section = Put it at the end of this procedure (or, with --after, look for that step there)
help-new-step--root = The site's folder, holding site.yaml
help-publish = Publish the guides elsewhere (today: as posts of a `WordPress` blog)
help-publish-wordpress = Each guide as a post of your `WordPress` blog, through its REST API: created at the first run, the same post updated at every later one; pictures uploaded once. The application password comes from `TEBIKI_WP_APP_PASSWORD` or `~/.config/tebiki/credentials`
help-publish-wordpress--root = The site's folder, holding site.yaml
help-publish-wordpress--guide = Only this guide (its folder name)
help-publish-wordpress--status = The post's status (default: draft for a new post; an existing post keeps its status)
help-publish-wordpress--dry-run = Show what would be done and the post's block markup; change nothing anywhere
help-publish-wordpress--url = The blog's address (overrides site.yaml's publish.wordpress.url)
help-publish-wordpress--user = The WordPress user (overrides site.yaml's publish.wordpress.user)
help-publish-wordpress--force = Overwrite posts that were edited on the blog since tebiki last wrote them (otherwise such a post is left as it is, and the command says what was changed there)
help-publish-wordpress--format = How to report: for people, or as JSON
help-completions = Print the shell completion script (e.g. `tebiki completions bash > ~/.local/share/bash-completion/completions/tebiki`)
help-completions--shell = The shell

## site.yaml's values

url-not-http = `{ $scheme }:` is not http or https
url-no-scheme = `{ $url }` has no `https://`
url-bad-character = it contains { $character }, which a URL cannot hold
url-no-host = `{ $url }` names no host
url-not-url = `{ $url }` is not a URL ({ $error })
unsupported-language = unsupported language `{ $language }`
unsupported-language-hint = use one of { $languages }; labels can be overridden with `labels:`
unknown-label = unknown label `{ $key }`
known-labels-hint = known labels: { $labels }
character-bad-id = `{ $id }` is not a character id
character-bad-id-hint = use letters, digits, `-` and `_`, e.g. `guide`: balloons name it as `> [!SAY guide]`
avatar-not-static = the avatar `{ $path }` is not a file in static/
avatar-not-static-hint = put the picture in the site's static/ folder and write its path, e.g. `avatar: static/avatars/guide.svg`
base-url-invalid = `base_url` must be the site's address, an absolute http(s) URL: { $why }
base-url-invalid-hint = write the address the site will be published at, e.g. https://example.com/ (or / for a site at the root of any host)
base-url-flag-hint = give --base-url the address the site will be published at, e.g. https://example.com/
theme-bad-name = `{ $theme }` is not a theme name
theme-bad-name-hint = write the name of a folder in themes/, e.g. `theme: default`
max-megapixels-range = `max_megapixels: { $value }` is out of range
max-megapixels-range-hint = write a number of megapixels from 0.1 to 1000 (default 50; a phone screenshot is about 3)
quality-range = `quality: { $value }` is more than 100
quality-range-hint = write a WebP quality from 0 to 100 (default 50; `lossless: true` for pixel-exact pictures)
portrait-width-range = `portrait_width: { $value }` is out of range
portrait-width-range-hint = write the widest a phone screenshot is drawn, in CSS pixels, from 120 to 1200 (default 360)
twitter-site-invalid = `{ $handle }` is not an X (Twitter) account name
twitter-site-invalid-hint = write the account as `@name`: letters, digits and `_`, at most 15 after the `@`

## Ids and names

slug-taken = the guide folder name `{ $slug }` is taken by tebiki's own `{ $slug }` output
slug-taken-hint = rename the folder, e.g. `{ $slug }-guide`
slug-invalid = the guide folder name `{ $slug }` cannot be used as a URL slug
slug-invalid-hint = use lower-case ASCII letters, digits and `-`, e.g. `zaim-amazon`
id-reserved = the id `{ $id }` is reserved for the theme
id-reserved-hint = choose another id (ids starting with `{ $prefix }` are the theme's)
id-invalid = `{ $id }` is not a valid id
id-invalid-hint = use lower-case ASCII letters, digits and `-` (e.g. `press-back`)
what-section = section `{ $id }`
what-step = step `{ $id }`
what-trouble = trouble entry `{ $id }`
duplicate-id = duplicate id `{ $id }`: { $what } has the same id as { $first }{ $place }
at-place = {" "}at { $place }
duplicate-id-hint = ids must be unique within a guide; rename one of them
duplicate-id-label = { $first } has the id `{ $id }` here

## Trouble entries

trouble-no-symptom = trouble entry `{ $id }` has no symptom
trouble-no-symptom-hint = describe what the reader sees, e.g. 「◯メンテナンス中」と表示される
trouble-no-remedy = trouble entry `{ $id }` has no remedy
trouble-no-remedy-hint = add `remedy:` saying what to do, with references to the steps that fix it
trouble-no-place = trouble entry `{ $id }` does not say where it arises
trouble-no-place-hint = add `arises_at:` with the steps or sections where the reader meets it
trouble-unknown-place = trouble entry `{ $id }` arises at `{ $place }`, which is not a step or section of this guide
trouble-place-hint = name a step id, a range `first..last`, or a section id
trouble-range-apart-hint = `{ $b }` must be a later step of the same procedure as `{ $a }`
trouble-range-backwards-hint = the range runs backwards: write `{ $b }..{ $a }`

## UI texts (【@id】)

ui-text-unknown = there is no UI text `{ $id }`
ui-text-define-hint = name it in the guide's { $file } (or the site's), e.g. `{ $id }: {"{"}text: 連携設定, kind: button{"}"}`
ui-text-add-hint = add `{ $id }` to { $file }
ui-by-hand = { $written } is written by hand; the vocabulary has it as `{ $id }`
ui-by-hand-hint = write 【@{ $id }】, so that a rename in ui.yaml reaches it (`tebiki check --fix` does it)
ui-doubled = { $written } is shown as { $shows }: 【@{ $id }】 is already shown as { $prose }
ui-doubled-hint = write 【@{ $id }】 alone (`tebiki check --fix` does it)
ui-unused = no page uses the UI text `{ $id }`
ui-unused-hint = refer to it as 【@id】 where the guide names it, or remove it
ui-id-invalid = `{ $id }` is not a UI id
ui-id-invalid-hint = use lower-case ASCII letters, digits and `-`, e.g. `link-settings`

## Step files

step-no-front-matter = this step file has no front matter
step-no-front-matter-hint = start the file with a `---` line, then `title: …`, then another `---` line
step-changed-in-build = this step file changed while the build was running
step-changed-in-build-hint = run the build again once the file is saved
anchors-file-hint = anchors.yaml is written by tebiki: remove it and run `tebiki check --fix` to make it again

## Figures: screenshots, mock-ups, annotations

coordinate-hint = write a number of pixels of the picture (0 is its left or top edge), or a percentage like "12%"
coordinate-not-number = `{ $value }` is not a number tebiki can draw
size-not-positive = a size must be above zero, not `{ $value }`
coordinate-range = `{ $value }` is out of range: coordinates go from { $min } to { $max }
annotation-missing = a `{ $shape }` annotation needs { $fields }
annotation-missing-hint = add { $fields } (pixels, or percentages like "12%")
annotation-cannot-look = a `{ $shape }` annotation cannot be a "look here" mark
annotation-cannot-look-hint = `look: true` is for circle, ellipse, frame and arrow: remove it here
version-not-plain = `{ $version }` is not a plain version string like `12.1` or `5.2.0`
version-not-plain-hint = write the version as the app shows it, in single quotes and nothing else: `version: '5.2'`
image-src-and-mockup = an image has either `src` (a screenshot) or `mockup`, not both
image-src-and-mockup-hint = remove `mockup:` once the screenshot exists, or remove `src:`
image-no-src = this image has neither `src` nor `mockup`
image-no-src-hint = add `src: images/<file>.png`, or describe the screen under `mockup:`
image-quality-hint = write a WebP quality from 0 to 100, or `lossless: true` for pixel-exact pictures
mockup-screenshot-field = `{ $key }` is for screenshots; a mock-up is drawn as SVG
mockup-screenshot-field-hint = remove `{ $key }:`, or use it with `src:`
image-no-alt = this image has no alt text
image-no-alt-hint = add `alt:` saying what the picture shows and what is highlighted
mockup-nested = a `{ $inner }` cannot be inside a `{ $outer }`
mockup-nested-hint = put text, fields, checkboxes, rows, buttons or messages inside it; a notification, dialog or menu goes in the screen's own `items:`
mockup-id-twice = the id `{ $id }` is used twice in this mock-up
mockup-id-twice-hint = give each element its own id
mockup-to-highlight = highlight
mockup-to-look = mark to look at
mockup-to-avoid = mark as not to press
mockup-item-needs = a `{ $kind }` item needs `{ $field }`
mockup-item-needs-hint = add `{ $field }:` to this item
mockup-no-ids = (no ids yet: add `id:` to an item)
mockup-one-of = { $key } one of: { $listed }
mockup-unknown-id = there is no element `{ $wanted }` to { $what } in this mock-up
og-image-svg = the share picture `{ $src }` is an SVG, which X, Facebook and LINE do not show
og-image-svg-hint = use a PNG or JPEG of 1200×630, or remove `og_image:` to get the generated card
the-image = the image `{ $src }`
screenshots-not-here = screenshots are not looked at here
picture-is-folder = { $what } is a folder, not a picture
picture-is-folder-hint = name the picture's file, e.g. images/step1.png
picture-unreadable = { $what } cannot be read as a picture
picture-unreadable-hint = use a PNG, JPEG, WebP or SVG (with width and height) file
picture-too-large = { $what } is { $width }×{ $height } pixels ({ $megapixels } megapixels), more than the { $limit } megapixels tebiki decodes
picture-too-large-hint = make the picture smaller (a phone screenshot is about 3 megapixels), or raise `max_megapixels:` in site.yaml

## Annotations following a retaken screenshot

shape-circle = circle
shape-ellipse = ellipse
shape-frame = frame
shape-arrow = arrow
shape-badge = badge
shape-label = label
shape-mask = mask
shape-forbid = forbid sign
annotation-followed = the { $shape } followed its target in { $src } from { $was } to { $now }
annotation-followed-hint = it is drawn at its new place; run `tebiki check --fix` to write the new numbers into this file
annotation-ambiguous = what this { $shape } pointed at is in more than one place in { $src }; best match { $score } at { $at }, another { $second }
annotation-lost = what this { $shape } pointed at is no longer in { $src }; best match { $score } at { $at }
mask-lost-hint = the mask would no longer hide what it hid, so nothing was published: place it again in the annotation editor (`tebiki serve`, "Edit annotations") or set its numbers by hand
annotation-lost-hint = it is drawn at its old place: place it again in the annotation editor (`tebiki serve`, "Edit annotations") or set its numbers by hand
mask-unanchored = { $src } was taken again, and this mask has no anchor to follow: tebiki cannot tell whether it still hides what it hid
mask-unanchored-hint = check the mask in the annotation editor (`tebiki serve`, "Edit annotations") and save: that records the new screenshot; nothing was published

## Themes, templates, share cards, search, pictures

no-theme = there is no theme `{ $theme }`: { $folder } does not exist
no-theme-hint = set `theme: default`, or create the theme's folder with templates/ and static/
template-builtin-hint = this is the built-in theme: please report it
template-own-hint = the site's own templates: { $templates }
template-error = template error: { $error }
template-render = could not render `{ $name }`: { $error }
the-theme-file = the theme or static file { $path }
card-prepare = could not prepare the share card: { $error }
cards-draw = could not draw the share cards: { $error }
card-draw = could not draw the share card of `{ $title }`: { $why }
card-draw-hint = check the theme's card.svg: it must be an SVG of 1200×630
card-font-missing = no font on this machine has every character of `{ $title }`: its share card will miss some of them
card-font-missing-hint = install a Japanese font (Debian: fonts-noto-cjk), or set `og_font:` in site.yaml to a font file
search-index = could not make the search index: { $error }
search-index-hint = set `search: false` in site.yaml to build without search, and report this
picture-process = could not process the picture { $src }: { $error }
picture-process-hint = use a PNG, JPEG or WebP file that opens in an image viewer
the-site-folder = the site folder { $path }
risk-script = a <script> element
risk-event-handler = an inline event handler
risk-javascript-url = a javascript: URL

## Windows' durations

duration-empty = it is empty
duration-no-number = expected a number at `{ $rest }`
duration-too-large = the number is too large
duration-bad-unit = `{ $unit }` is not a unit (h, m or s)
duration-no-unit = `{ $number }` has no unit (h, m or s)
duration-unit-order = give each unit once, largest first
duration-zero = a window needs some time
duration-too-long = a countdown is offered for at most 24 hours

## Reading and writing files

io-read = could not read { $path }
io-not-utf8 = { $path } is not UTF-8 text
io-write = could not write { $path }
io-create = could not create { $path }
io-temporary = could not write a temporary file beside { $path }
io-create-folder = could not create the folder { $path }
io-copy = could not copy { $from } to { $to }
io-rename = could not rename { $from } to { $to }
io-remove-folder = could not remove the folder { $path }
io-remove = could not remove { $path }
io-open = could not open { $path }
site-folder-gone = the site folder { $path } is gone (moved or deleted); nothing was written
with-help = { $message }
    {"  "}help: { $hint }

## The output folder

output-has-sources = refusing to use { $path } as the output folder: it contains the site's sources
output-has-sources-hint = choose a folder inside the site, e.g. --output-dir public
output-in-sources = refusing to write the output into { $path }: it is inside the site's `{ $folder }/` folder
output-in-sources-hint = choose another folder, e.g. --output-dir public
output-is-file = refusing to replace { $path }: it is a file, not a folder
output-is-file-hint = remove it or choose another --output-dir
output-not-ours = refusing to replace { $path }: it is not empty and tebiki did not create it (no { $marker } file in it)
output-not-ours-hint = choose another --output-dir, or empty that folder yourself
output-lock = could not lock { $path } for this build

## Editing the author's files

edit-changed = { $path } changed since tebiki read it; nothing was written
edit-changed-hint = run the command again (or reload the page) to start from the file as it is now
edit-read-only = { $path } is read-only; nothing was written
edit-read-only-hint = make it writable (chmod u+w { $path }) or make the change by hand
edit-links-out = { $path } is a link that leads outside the site folder; tebiki edits only files inside it
edit-invalid = the edited { $path } would not be read correctly ({ $why }); nothing was written

## tebiki new, tebiki init

new-not-a-guide = `{ $slug }` is not a guide of this site: give the guide's folder name under content/ (lower-case ASCII letters, digits and `-`), e.g. `my-guide`
new-cannot-open-site = could not open the site folder { $path }
new-bad-slug = `{ $slug }` cannot be a guide's folder name: use lower-case ASCII letters, digits and `-`, e.g. `my-guide`
new-guide-exists = there is a guide `{ $slug }` already ({ $path }): pick another name
new-no-guide = there is no guide `{ $slug }`: content/{ $slug }/guide.yaml does not exist{ $close }
what-a-step = step
what-a-section = section
new-bad-id = `{ $id }` cannot be a { $what } id: use lower-case ASCII letters, digits and `-`, e.g. `{ $example }`
new-guide-has-problems = { $path } has problems: run `tebiki check` first
new-step-exists = the guide `{ $slug }` has a step `{ $id }` already: pick another id
new-section-exists = the guide `{ $slug }` has a section or step `{ $id }` already: pick another id
new-guide-not-yaml = guide.yaml is not well-formed YAML
new-section-unsafe = cannot add the section `{ $id }` safely: write its sections one `- id: …` item per line, then try again
new-step-no-neighbour = cannot place `{ $id }` safely: the section `{ $section }` lists no step to put it next to; add the line `- { $id }` under its `steps:` yourself
new-step-flow-list = cannot place `{ $id }` safely: the steps of `{ $section }` are written as a `[…]` list; write them one `- id` per line first
new-step-tabs = cannot place `{ $id }` safely: the steps' lines are not indented with spaces
new-step-unsafe = cannot place `{ $id }` safely in guide.yaml; add the line `- { $id }` yourself
new-no-after = no procedure of this guide has a step `{ $after }` to put the new one after{ $close }
new-no-procedure = this guide has no procedure `{ $wanted }`{ $close }
new-no-procedures = this guide has no procedure to add a step to
init-not-empty = the folder { $path } is not empty (it has { $name }): tebiki init writes only into an empty or new folder; nothing was written

## publish: the blog and its password

publish-no-blog = no WordPress blog to publish to
publish-no-blog-hint = add to site.yaml:
    {"    "}publish:
    {"      "}wordpress:
    {"        "}url: https://your-blog.example/
    {"        "}user: your-login-name
    {"  "}(or give --url and --user)
publish-plain-http = refusing to send the application password to { $url } over plain HTTP
publish-plain-http-hint = use the blog's https:// address (plain http is allowed only for a blog on this machine)
publish-bad-url = the blog's address `{ $url }` is not an http(s) URL
publish-bad-url-hint = write it like https://your-blog.example/
publish-no-password = no application password for { $url }
publish-no-password-hint = create one in the blog's admin (Users → Profile → Application Passwords), then set { $variable }, or add a line `{ $url } <password>` to { $file }
publish-password-in-site = refusing to read a password from { $path }: it is inside the site, where it would be committed and published
publish-password-in-site-hint = move it to ~/.config/tebiki/credentials
publish-password-open = refusing to read the passwords in { $path }: other users may read it (permissions { $mode })
publish-password-open-hint = chmod 600 { $path }

publish-needs-posts = nothing was published: these guides link to guides that have no post on the blog yet
publish-needs-line = { $guide } needs { $needs }
publish-needs-posts-hint = publish all guides at once (leave out --guide), or publish { $guides } first
publish-note-unfiltered = the stylesheet, the HowTo JSON-LD and the reader tools (the countdown of a timed window, the 「できた」 checkboxes) are inside each post ({ $user } may post unfiltered HTML)
publish-note-filtered = { $user } may not post <style> or <script>: the HowTo JSON-LD and the reader tools (countdown, 「できた」 checkboxes) are left out, the post shows the static window marks, and the stylesheet below goes into the theme (外観 → カスタマイズ → 追加CSS / Appearance → Customize → Additional CSS)
publish-draft = the guide `{ $slug }` is a draft: drafts are never published; nothing was sent
publish-draft-hint = when it is ready, remove `draft: true` from content/{ $slug }/guide.yaml
publish-no-guide = there is no guide `{ $slug }`{ $close }
publish-guides-are = the guides are: { $guides }
publish-dry-run-offline = a dry run does not talk to the blog
publish-links-to-site = nothing was published: these links lead to pages of the static site, which site.yaml does not say is hosted at { $base }:
    {"  "}{ $links }
publish-links-to-site-hint = remove the links, or if the site built by `tebiki build` really is published there, set `publish: wordpress: site_hosted: true`
publish-reserve = could not reserve the post of { $slug }
publish-lands-nowhere-refused = the post of { $slug } would have links or pictures that land nowhere on the blog (it was not changed): { $missing }
publish-post-unchanged = the post was not changed
publish-no-file = the post of { $slug } shows { $src }, which is no file of the site (it was not changed)
publish-upload = could not upload the picture { $src } (the post was not changed)
missing-needs-post = the link { $href } (needs the post of { $guide })
missing-picture = the picture { $href }
missing-static-page = the link { $href } (a page of the static site)

## The WordPress REST API

wp-no-users-me = the REST API has no /wp/v2/users/me route
wp-server-error = { $what }: server error
wp-failed = { $what } failed
wp-unreadable = { $what }: could not read the answer: { $error }
wp-not-wordpress = { $what }: the answer is not what the WordPress REST API sends ({ $error }); is the address a WordPress site?
wp-http = { $what } was answered with HTTP { $status }{ $said }
wp-refused-password-hint = WordPress refused the user or the application password. In the blog's admin, open Users → Profile → Application Passwords, add one named `tebiki`, and put it in TEBIKI_WP_APP_PASSWORD (or ~/.config/tebiki/credentials); check `user:` in site.yaml's `publish: wordpress:`
wp-forbidden-hint = the user may not do this: publishing needs a user who can upload files and edit posts (an Author, Editor or Administrator)
wp-no-api-hint = the REST API is not there: check the blog's address in site.yaml, and that no plugin disables the REST API
wp-too-large-hint = the server refused an upload as too large: raise PHP's upload_max_filesize and post_max_size (and nginx's client_max_body_size) on the blog's server
wp-server-failed-hint = the blog's server failed: try again later, or look at its error log
wp-other-hint = look at the message above; nothing was changed on the post
wp-unreachable = { $what }: could not reach { $base }: { $error }
wp-unreachable-hint = check the address and that the blog is up (a REST API disabled by a plugin answers 404)
publish-draw-picture = could not draw the picture { $src } for the post
publish-svg-not-utf8 = { $src } is not UTF-8 SVG
publish-not-a-picture = { $src } is not a picture WordPress takes (SVG, PNG, JPEG, GIF or WebP)
publish-record-invalid = { $file } is not what tebiki publish writes; fix it, or remove it (the posts are then found again by their slugs)
publish-record-write = could not write the publish record
publish-rewrite = could not rewrite the post's links: { $error }
serve-no-thread = could not start the rebuild thread
serve-no-runtime = could not start the server's runtime
serve-no-sigterm = could not listen for SIGTERM
serve-no-ctrl-c = could not listen for Ctrl-C

## The annotation editor (tebiki serve): its buttons and labels

editor-edit = Edit annotations
editor-lost = The retaken screenshot no longer shows what these annotations pointed at:
editor-lost-old = Before
editor-lost-new = Best match now
editor-title = Edit annotations
editor-select = Select
editor-circle = Circle
editor-ellipse = Ellipse
editor-frame = Frame
editor-arrow = Arrow
editor-badge = Badge
editor-label = Label
editor-forbid = Forbid
editor-mask = Mask
editor-rounded = Rounded corners
editor-del = Delete
editor-undo = Undo
editor-redo = Redo
editor-save = Save
editor-cancel = Cancel
editor-text = Text
editor-number = Number
editor-saved = Saved. The page reloads…
editor-saving = Saving…
editor-changed = The file changed since this page was made.
editor-reload = Reload the page
editor-none = Nothing selected. Drag on the picture to draw, or pick a shape and press Enter.
editor-tools = Shapes
editor-shapes = Annotations
editor-unit = Unit
editor-press = Press here
editor-look = Look here
editor-avoid = Do not press
editor-elements = Elements of the mock-up
editor-marks-hint = Click an element to mark it; click it again to unmark it.
editor-unmarked = not marked

## The annotation editor: why a save was refused

editor-no-screenshot = there is no screenshot `{ $figure }` in this preview
editor-cannot-read-screenshot = could not read the screenshot: { $error }
editor-no-figure = there is no figure `{ $figure }` in this preview
editor-send-something = send `annotations`, or a mock-up's `highlight`, `look` or `avoid`
editor-front-matter-gone = the file changed: its front matter is gone
editor-file-changed = the file changed since this page was made; reload the page to edit it as it is now
editor-not-a-mockup = this figure is a screenshot: `highlight`, `look` and `avoid` are a mock-up's; mark a screenshot with annotations
editor-yaml-gone = the file's YAML is gone
editor-not-yaml = the file is not well-formed YAML now
editor-figure-gone = the figure is no longer in the file
editor-file-annotations = the file's annotations: { $error }
editor-mockup-gone = the figure is no longer a mock-up
editor-file-mockup = the file's mock-up: { $error }
editor-annotation = annotation { $number }: { $problem }
output-path-escapes = internal error: output path { $path } leaves the output folder
publish-empty-mockup = an empty mock-up

## check --where: what an id is at each place

where-kind-step-file = step file
where-kind-ui-text = UI text
where-kind-reference = reference
where-kind-defined = defined
where-kind-window = window
where-kind-arises-at = arises at
where-kind-continues-to = continues to
where-kind-listed = listed
editor-too-large = the annotations are more than 64 KiB
editor-save-failed = the save failed
editor-post-only = POST only
editor-off = editing is off: the preview is reachable from the network; start tebiki serve with --allow-edit to save from pages
editor-no-token = this page has no valid editing token: reload it
editor-other-origin = the editor's requests come only from the preview's own pages
editor-request-too-long = the request is too long
editor-read-failed = the read failed
editor-bad-request = not a request of the editor: { $error }
edit-not-yaml = the YAML is not well-formed
edit-no-place-for-annotations = the figure has neither `src` nor `alt` to put `annotations` beside
edit-mockup-no-key = the mock-up has no key to put the list beside
edit-mockup-not-under-key = the mock-up is not under a key
edit-mockup-key-gone = the mock-up's key is not in the file
build-waiting = another tebiki build is writing beside { $path }; waiting for it to finish…

## Mistakes on the command line (clap's own words are kept in English)

cli-unknown-command = there is no command `{ $name }`
cli-unknown-argument = unknown option `{ $name }`
cli-invalid-value = `{ $value }` is not a value of { $arg } (the values are: { $valid })
cli-missing-argument = missing: { $args }
cli-more-help = for more, run the command with --help
