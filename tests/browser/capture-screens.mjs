// Real phone screenshots for the anchor tests (tests/anchors.rs, tests/browser/editor.test.mjs):
// small HTML screens of a Japanese app rendered by Debian's Chromium at 390×844 CSS pixels and
// deviceScaleFactor 3, so each PNG is 1170×2532 like an iPhone's screenshot.
//
//   node tests/browser/capture-screens.mjs OUT_DIR
//
// writes OUT_DIR/<version>/<screen>.png for three versions of the app, and OUT_DIR/boxes.json
// with where the things the tests annotate are, in the PNG's pixels:
//   { "v1": { "settings": { "button": [x, y, w, h], "card": […], … }, … }, "v2": …, "v3": … }
//
//   v1  the app as the guide was written for it
//   v2  the same screens taken again after an update: a notice above the settings moves the
//       personal card and the list down, the 「連携する」 button moved down by 300 px, the
//       confirmation's buttons moved down under a new check box, the error dialog moved down;
//       the finished screen did not change
//   v3  the 「連携する」 button is gone (settings.png keeps the personal card;
//       settings-redesigned.png is the settings screen redone, the personal card's
//       surroundings gone too), the confirmation's 「許可する」 is now an outlined
//       「同意して続ける」
//
// The screens are: settings (step 1), confirm (step 2), done (step 3) and error (a failure
// sign). Fonts are the machine's (Noto Sans CJK, which .ci/run installs); Chromium is started
// as lib.mjs starts it, with no network.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { launch } from './lib.mjs';

export const VERSIONS = ['v1', 'v2', 'v3'];
export const VIEWPORT = { width: 390, height: 844 };
export const SCALE = 3;

const STYLE = `
  * { box-sizing: border-box; margin: 0; padding: 0; }
  html, body { width: 390px; height: 844px; overflow: hidden; background: #f2f2f7; }
  body { font-family: "Noto Sans CJK JP", "Noto Sans JP", sans-serif; color: #1c1c1e; position: relative; }
  .status { position: absolute; top: 0; left: 0; right: 0; height: 44px; display: flex;
    justify-content: space-between; align-items: center; padding: 0 24px; font-size: 15px; font-weight: 600; }
  .header { position: absolute; top: 44px; left: 0; right: 0; height: 52px; background: #fff;
    border-bottom: 1px solid #d1d1d6; display: flex; align-items: center; justify-content: center;
    font-size: 18px; font-weight: 700; }
  .header .back { position: absolute; left: 16px; color: #1a73e8; font-size: 17px; font-weight: 400; }
  .abs { position: absolute; left: 16px; right: 16px; }
  .notice { background: #fff4e5; border: 1px solid #f0b46a; border-radius: 12px; padding: 12px 14px;
    font-size: 14px; color: #7a4b00; }
  .heading { font-size: 13px; color: #6c6c70; padding-left: 12px; letter-spacing: 0.05em; }
  .card { background: #fff; border-radius: 14px; height: 96px; display: flex; align-items: center;
    gap: 14px; padding: 0 16px; box-shadow: 0 1px 2px rgb(0 0 0 / 0.12); }
  .avatar { width: 60px; height: 60px; border-radius: 50%; background: #5e5ce6; color: #fff;
    display: flex; align-items: center; justify-content: center; font-size: 26px; font-weight: 700; }
  .name { font-size: 22px; font-weight: 700; }
  .phone { font-size: 17px; color: #3a3a3c; margin-top: 2px; letter-spacing: 0.02em; }
  .list { background: #fff; border-radius: 14px; overflow: hidden; }
  .row { height: 56px; display: flex; align-items: center; gap: 12px; padding: 0 16px;
    border-bottom: 1px solid #e5e5ea; font-size: 17px; }
  .row:last-child { border-bottom: 0; }
  .icon { width: 30px; height: 30px; border-radius: 8px; color: #fff; display: flex;
    align-items: center; justify-content: center; font-size: 15px; font-weight: 700; }
  .row .text { flex: 1; }
  .row .detail { color: #8e8e93; font-size: 15px; }
  .chev { color: #c7c7cc; font-size: 22px; }
  .toggle { width: 51px; height: 31px; border-radius: 16px; background: #34c759; position: relative; }
  .toggle::after { content: ""; position: absolute; right: 2px; top: 2px; width: 27px; height: 27px;
    border-radius: 50%; background: #fff; box-shadow: 0 1px 3px rgb(0 0 0 / 0.3); }
  .button { height: 52px; border-radius: 12px; background: #1a73e8; color: #fff; font-size: 18px;
    font-weight: 700; display: flex; align-items: center; justify-content: center; letter-spacing: 0.1em; }
  .outlined { background: #fff; color: #0b8043; border: 2px solid #0b8043; letter-spacing: 0; font-size: 17px; }
  .plain { color: #1a73e8; font-size: 17px; text-align: center; }
  .sheet { background: #fff; border-radius: 18px; padding: 24px 20px; text-align: center;
    box-shadow: 0 4px 20px rgb(0 0 0 / 0.12); }
  .sheet h1 { font-size: 20px; margin-bottom: 12px; }
  .sheet p { font-size: 15px; color: #3a3a3c; line-height: 1.6; text-align: left; }
  .logos { display: flex; justify-content: center; align-items: center; gap: 16px; margin: 8px 0 20px; }
  .logo { width: 64px; height: 64px; border-radius: 16px; color: #fff; font-size: 24px; font-weight: 800;
    display: flex; align-items: center; justify-content: center; }
  .dots { font-size: 22px; color: #8e8e93; letter-spacing: 0.2em; }
  .check { display: flex; align-items: center; gap: 10px; font-size: 15px; }
  .box { width: 24px; height: 24px; border: 2px solid #1a73e8; border-radius: 6px; background: #1a73e8;
    color: #fff; display: flex; align-items: center; justify-content: center; font-size: 16px; }
  .big-check { width: 120px; height: 120px; border-radius: 50%; background: #34c759; color: #fff;
    font-size: 72px; display: flex; align-items: center; justify-content: center; margin: 0 auto; }
  .dim { position: absolute; inset: 0; background: rgb(0 0 0 / 0.35); }
  .alert { background: #fff; border-radius: 16px; text-align: center; overflow: hidden; }
  .alert h1 { font-size: 18px; padding: 22px 16px 6px; }
  .alert p { font-size: 14px; color: #3a3a3c; padding: 0 18px 18px; line-height: 1.6; }
  .alert .code { font-size: 13px; color: #8e8e93; padding-bottom: 14px; }
  .alert .act { height: 50px; border-top: 1px solid #d1d1d6; display: flex; align-items: center;
    justify-content: center; font-size: 17px; color: #1a73e8; }
  .alert .act.strong { font-weight: 700; color: #d93025; }
`;

const status = '<div class="status"><span>9:41</span><span>●●● ▮</span></div>';

/** The settings screen: personal card, a list, the 「連携する」 button. */
function settings(version, redesigned) {
  const down = version === 'v1' ? 0 : 80; // the notice pushes everything below it down
  const parts = [status, '<div class="header">設定</div>'];
  if (version !== 'v1') {
    parts.push(
      '<div class="abs notice" style="top:108px;height:64px">新しいバージョンになりました。<br>連携の設定が下に移りました。</div>',
    );
  }
  if (redesigned) {
    // The personal section is redone: no heading, no card; a search field and a banner instead.
    parts.push(
      `<div class="abs" style="top:${120 + down}px;height:40px;background:#e3e3e8;border-radius:10px;padding:8px 12px;color:#8e8e93;font-size:16px">設定を検索</div>`,
      `<div class="abs" data-box="card" style="top:${172 + down}px;height:80px;background:#2c2c2e;border-radius:14px;color:#fff;display:flex;align-items:center;padding:0 18px;font-size:17px;font-weight:700">プレミアムを無料で試す　›</div>`,
    );
  } else {
    parts.push(
      `<div class="abs heading" style="top:${122 + down}px">本人情報</div>`,
      `<div class="abs card" data-box="card" style="top:${146 + down}px"><div class="avatar">山</div><div><div class="name">山田 太郎</div><div class="phone">090-1234-5678</div></div></div>`,
    );
  }
  parts.push(
    `<div class="abs heading" style="top:${262 + down}px">アプリの設定</div>`,
    `<div class="abs list" style="top:${286 + down}px">
      <div class="row" data-box="row"><div class="icon" style="background:#ff3b30">通</div><div class="text">通知</div><div class="toggle"></div></div>
      <div class="row"><div class="icon" style="background:#34c759">家</div><div class="text">家計簿アプリ</div><div class="detail">Zaim</div><div class="chev">›</div></div>
      <div class="row"><div class="icon" style="background:#007aff">銀</div><div class="text">銀行口座</div><div class="detail">2件</div><div class="chev">›</div></div>
      <div class="row"><div class="icon" style="background:#8e8e93">？</div><div class="text">ヘルプ</div><div class="chev">›</div></div>
    </div>`,
  );
  if (version === 'v1') {
    parts.push('<div class="abs button" data-box="button" style="top:540px">連携する</div>');
  } else if (version === 'v2') {
    parts.push('<div class="abs button" data-box="button" style="top:640px">連携する</div>');
  }
  parts.push('<div class="abs plain" style="top:780px;font-size:13px;color:#8e8e93">バージョン 12.4.0</div>');
  return parts.join('\n');
}

/** Asking whether to link: two logos, an explanation, 「許可する」 and 「キャンセル」. */
function confirm(version) {
  const down = version === 'v1' ? 0 : 60;
  const parts = [
    status,
    '<div class="header"><span class="back">‹ 戻る</span>アカウント連携</div>',
    `<div class="abs sheet" style="top:124px">
      <div class="logos"><div class="logo" data-box="logo" style="background:#e8710a">Z</div><div class="dots">⋯</div><div class="logo" style="background:#232f3e">A</div></div>
      <h1>アカウントを連携しますか？</h1>
      <p>家計簿アプリがあなたの購入履歴を読み取れるようになります。パスワードは保存されません。</p>
    </div>`,
  ];
  if (version !== 'v1') {
    parts.push(
      '<div class="abs check" style="top:436px"><div class="box">✓</div>利用規約とプライバシーポリシーに同意する</div>',
    );
  }
  if (version === 'v3') {
    parts.push(
      `<div class="abs button outlined" data-box="allow" style="top:${470 + down}px">同意して続ける</div>`,
    );
  } else {
    parts.push(`<div class="abs button" data-box="allow" style="top:${470 + down}px">許可する</div>`);
  }
  parts.push(`<div class="abs plain" data-box="cancel" style="top:${540 + down}px">キャンセル</div>`);
  return parts.join('\n');
}

/** Linked: a big check mark and 「閉じる」 (the same in every version). */
function done() {
  return [
    status,
    '<div class="header">連携完了</div>',
    '<div class="abs" style="top:200px"><div class="big-check">✓</div></div>',
    '<div class="abs" style="top:350px;text-align:center;font-size:22px;font-weight:700">連携が完了しました</div>',
    '<div class="abs" style="top:396px;text-align:center;font-size:15px;color:#3a3a3c;line-height:1.7">最初の明細が届くまで、<br>数分かかることがあります。</div>',
    '<div class="abs button" data-box="close" style="top:600px;left:96px;right:96px">閉じる</div>',
  ].join('\n');
}

/** The failure sign: a dialog 「連携できませんでした」 with 「もう一度試す」. */
function error(version) {
  const top = version === 'v1' ? 280 : 360;
  return [
    status,
    '<div class="header"><span class="back">‹ 戻る</span>アカウント連携</div>',
    '<div class="abs" style="top:120px;font-size:15px;color:#6c6c70">Amazon.co.jp と連携しています…</div>',
    '<div class="dim"></div>',
    `<div class="abs alert" style="top:${top}px;left:40px;right:40px">
      <h1>連携できませんでした</h1>
      <p>サインインの承認が5分以内に確認できませんでした。もう一度お試しください。</p>
      <div class="code">エラーコード E-5012</div>
      <div class="act strong" data-box="retry">もう一度試す</div>
      <div class="act">閉じる</div>
    </div>`,
  ].join('\n');
}

/** Every screen of `version`: file name → body HTML. */
export function screensOf(version) {
  const screens = {
    settings: settings(version, false),
    confirm: confirm(version),
    done: done(),
    error: error(version),
  };
  if (version === 'v3') screens['settings-redesigned'] = settings(version, true);
  return screens;
}

/**
 * Renders every screen of every version into `out` (or only `versions` and `screens`); returns
 * the boxes (see above).
 */
export async function capture(out, { versions = VERSIONS, screens = null } = {}) {
  const browser = await launch();
  const boxes = {};
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: SCALE });
    const page = await context.newPage();
    for (const version of versions) {
      mkdirSync(path.join(out, version), { recursive: true });
      boxes[version] = {};
      for (const [name, body] of Object.entries(screensOf(version))) {
        if (screens && !screens.includes(name)) continue;
        await page.setContent(
          `<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><style>${STYLE}</style></head><body>${body}</body></html>`,
          { waitUntil: 'load' },
        );
        await page.evaluate(() => document.fonts.ready);
        boxes[version][name] = await page.evaluate(
          (scale) =>
            Object.fromEntries(
              [...document.querySelectorAll('[data-box]')].map((el) => {
                const r = el.getBoundingClientRect();
                return [el.dataset.box, [r.x, r.y, r.width, r.height].map((v) => Math.round(v * scale))];
              }),
            ),
          SCALE,
        );
        await page.screenshot({ path: path.join(out, version, `${name}.png`), animations: 'disabled' });
      }
    }
    await context.close();
  } finally {
    await browser.close();
  }
  writeFileSync(path.join(out, 'boxes.json'), `${JSON.stringify(boxes, null, 2)}\n`);
  return boxes;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node tests/browser/capture-screens.mjs OUT_DIR');
    process.exit(2);
  }
  await capture(path.resolve(out));
  console.log(`captured ${VERSIONS.join(', ')} into ${path.resolve(out)}`);
}
